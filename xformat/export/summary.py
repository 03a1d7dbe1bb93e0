"""What an export (or a stats run) read, accounting for every record.

``read = rows + duplicates + non-posts + keepalives + rejected``: a record is a line of NDJSON
(a keep-alive if blank), or an element of a JSON array or of a search page's results; an X API
v2 page is one record of any number of posts (``pages``, ``page_posts``), each given a row or
found a duplicate (so it counts as its posts: ``read - pages + page_posts`` balances).
Non-posts are counted by kind as the decoder names them (``delete``, ``info``, ...), so a kind
it learns later is counted too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from xformat.export.rows import Failed, Outcome, Page
from xformat.records import Record
from xformat.rejects import Rejects
from xformat.wording import count

_NAMES = {
    "delete": "deletion",
    "compliance": "compliance event",
    "info": "info line",
    "warn": "warning line",
    "error": "error line",
}


@dataclass
class Counts:
    read: int = 0
    rows: int = 0
    """Posts given a row (each post once, unless duplicates are kept)."""
    duplicates: int = 0
    """Posts whose id was seen before, left out."""
    non_posts: Counter[str] = field(default_factory=Counter)
    """Kind (``delete``, ``info``, ...) -> records of that kind, counted and left out."""
    keepalives: int = 0
    rejected: int = 0
    pages: int = 0
    """X API v2 pages and stream lines read (empty ones too)."""
    page_posts: int = 0
    """Their posts, counted in ``rows`` or ``duplicates``."""
    stopped_early: bool = False
    """``max_errors`` was reached: the rest was not read and no output was written."""

    @property
    def balanced(self) -> bool:
        parts = self.rows + self.duplicates + sum(self.non_posts.values()) + self.keepalives + self.rejected
        return parts == self.read - self.pages + self.page_posts

    def counts_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "rows": self.rows,
            "duplicates": self.duplicates,
            "non_posts": dict(sorted(self.non_posts.items())),
            "keepalives": self.keepalives,
            "rejected": self.rejected,
            "pages": self.pages,
            "page_posts": self.page_posts,
            "stopped_early": self.stopped_early,
        }

    def counts_text(self, *, keep_duplicates: bool = False) -> str:
        dropped = f"{self.duplicates:,} duplicate{_s(self.duplicates)} left out"
        parts = [count(self.rows, "post"), "duplicates kept (not looked for)" if keep_duplicates else dropped]
        if self.pages:
            held = count(self.page_posts, "post")
            parts.append(f"{count(self.pages, 'X API v2 page')} holding {held} (among the above)")
        parts += [count(n, _NAMES.get(kind, f"{kind} record")) for kind, n in sorted(self.non_posts.items())]
        parts += [count(self.keepalives, "keep-alive"), f"{self.rejected:,} rejected"]
        return ", ".join(parts)


def account(
    records: list[Record] | None,
    outcomes: Sequence[Outcome],
    counts: Counts,
    rejects: Rejects,
    max_errors: int | None,
) -> bool:
    """Counts a chunk's records, in order (rows are counted as they are written); True once
    ``max_errors`` is reached. ``records`` are the chunk's records, None for a block."""
    for index, outcome in enumerate(outcomes):
        counts.read += 1
        if outcome == "post":
            continue
        if isinstance(outcome, Page):
            counts.pages += 1
            counts.page_posts += outcome.posts
            continue
        if isinstance(outcome, str):
            counts.non_posts[outcome] += 1
            continue
        if isinstance(outcome, Failed):
            rejects.add(outcome.record, outcome.reason, outcome.path)
        else:
            record = None if records is None else records[index]
            if record is None or record.error is None:
                counts.keepalives += 1
                continue
            rejects.add(record, record.error, "$")
        counts.rejected += 1
        if max_errors is not None and counts.rejected >= max_errors:
            counts.stopped_early = True
            return True
    return False


def first_seen(ids: Sequence[int], seen: set[int]) -> list[bool] | None:
    """Which of ``ids`` were not in ``seen`` (now added to it); None when none was."""
    keep = None
    for index, post_id in enumerate(ids):
        if post_id in seen:
            if keep is None:
                keep = [True] * len(ids)
            keep[index] = False
        else:
            seen.add(post_id)
    return keep


@dataclass
class ExportSummary(Counts):
    inputs: list[str] = field(default_factory=list)
    output: str | None = None
    """The table written; None when the run stopped early (nothing written)."""
    columns: list[str] = field(default_factory=list)
    rejects_file: str | None = None
    keep_duplicates: bool = False
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.counts_dict(),
            "keep_duplicates": self.keep_duplicates,
            "inputs": self.inputs,
            "output": self.output,
            "columns": self.columns,
            "rejects_file": self.rejects_file,
            "seconds": round(self.seconds, 3),
        }

    def text(self, shown_rejects: int) -> str:
        """The report on stderr; ``shown_rejects`` is how many rejects were already shown there."""
        rate = f" ({self.read / self.seconds:,.0f}/s)" if self.seconds > 0 else ""
        counts = self.counts_text(keep_duplicates=self.keep_duplicates)
        lines = [f"read {count(self.read, 'record')} in {self.seconds:.1f} s{rate}: {counts}"]
        if self.rejected and self.rejects_file:
            lines.append(f"rejects written to {self.rejects_file}")
        elif self.rejected > shown_rejects:
            lines.append(f"{self.rejected - shown_rejects:,} more rejects not shown: keep them all with --rejects PATH")
        if self.stopped_early:
            lines.append(f"stopped after {self.rejected:,} rejected records (--max-errors): no output written")
        elif self.output is not None and self.output != "-":
            lines.append(f"wrote {count(self.rows, 'row')} to {self.output}")
        return "\n".join(lines) + "\n"


def _s(count: int) -> str:
    return "" if count == 1 else "s"
