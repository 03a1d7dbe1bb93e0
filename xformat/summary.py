"""What a conversion run did, accounting for every record read.

``read = converted + deletions + info + keepalives + rejected``: a record is a line of NDJSON
(a keep-alive if blank), or an element of a JSON array or of a search page's results.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from xformat.records import shown_name

SHOWN_CODES = 12  # losses and unknown fields listed on stderr; --summary-json has them all


@dataclass
class Summary:
    read: int = 0
    converted: int = 0
    """Posts written in the target format."""
    deletions: int = 0
    """Deletion notices written in the target format."""
    unchanged: int = 0
    """Of ``converted`` and ``deletions``: records already in the target format, copied as they were."""
    info: int = 0
    keepalives: int = 0
    rejected: int = 0
    losses: Counter[str] = field(default_factory=Counter)
    """Declared loss code -> number of records that incurred it."""
    unknown_fields: Counter[str] = field(default_factory=Counter)
    """JSON path of an unknown field (array indices as ``[*]``) -> number of records that had it."""
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    rejects_file: str | None = None
    stopped_early: bool = False
    """``--max-errors`` was reached: the rest was not read and no output was written."""
    seconds: float = 0.0

    @property
    def balanced(self) -> bool:
        parts = self.converted + self.deletions + self.info + self.keepalives + self.rejected
        return parts == self.read

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "converted": self.converted,
            "deletions": self.deletions,
            "info": self.info,
            "keepalives": self.keepalives,
            "rejected": self.rejected,
            "unchanged": self.unchanged,
            "losses": dict(self.losses.most_common()),
            "unknown_fields": dict(self.unknown_fields.most_common()),
            "inputs": [shown_name(name) for name in self.inputs],
            "outputs": [shown_name(name) for name in self.outputs],
            "rejects_file": shown_name(self.rejects_file) if self.rejects_file is not None else None,
            "stopped_early": self.stopped_early,
            "seconds": round(self.seconds, 3),
        }

    def text(self, shown_rejects: int) -> str:
        """The report on stderr; ``shown_rejects`` is how many rejects were already shown there."""
        rate = f" ({self.read / self.seconds:,.0f}/s)" if self.seconds > 0 else ""
        converted = f"{_n(self.converted, 'post')} and {_n(self.deletions, 'deletion')} converted"
        if self.unchanged:
            converted += f" ({self.unchanged:,} already in the target format, copied)"
        parts = [
            converted,
            _n(self.info, "info line"),
            _n(self.keepalives, "keep-alive"),
            f"{self.rejected:,} rejected",
        ]
        lines = [f"read {_n(self.read, 'record')} in {self.seconds:.1f} s{rate}: " + ", ".join(parts)]
        if self.losses:
            lines.append("losses applied (records): " + _counts(self.losses))
        if self.unknown_fields:
            lines.append("unknown fields dropped (records): " + _counts(self.unknown_fields))
        if self.rejected and self.rejects_file:
            lines.append(f"rejects written to {shown_name(self.rejects_file)}")
        elif self.rejected > shown_rejects:
            lines.append(f"{self.rejected - shown_rejects:,} more rejects not shown: keep them all with --rejects PATH")
        if self.stopped_early:
            lines.append(f"stopped after {self.rejected:,} rejected records (--max-errors): no output written")
        elif self.outputs and self.outputs != ["-"]:
            shown = ", ".join(shown_name(name) for name in self.outputs[:3])
            lines.append("wrote " + shown + (" …" if len(self.outputs) > 3 else ""))
        return "\n".join(lines) + "\n"


def _n(count: int, thing: str) -> str:
    return f"{count:,} {thing}{'' if count == 1 else 's'}"


def _counts(counter: Counter[str]) -> str:
    shown = ", ".join(f"{name} {n:,}" for name, n in counter.most_common(SHOWN_CODES))
    more = len(counter) - SHOWN_CODES
    return shown + (f" and {more} more (see --summary-json)" if more > 0 else "")
