"""What a data set holds, before anyone analyses it: posts by type, day and language, authors,
top hashtags, mentions and link domains, duplicates and non-posts, date range, formats and eras.

Posts are read as the export reads them (``xformat.export.rows``), each post once: a post id
seen again counts as a duplicate only, except for formats and eras, which count every post
record (so that a file whose posts all repeat another's still shows). Hashtags and mentions are
counted case-insensitively (X treats them so), link domains from the most unwound URL of each
link, without ``www.``.

A post's era is the earliest schema era (``xformat.models.base.ERAS``) whose fields hold all
the fields it carries, embedded posts included: a record of 2019 that happens to carry no
field of a later era than 2012 fits 2012. Short Activity Streams posts carry nothing newer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import repeat
from typing import Any
from urllib.parse import urlsplit

from msgspec import UNSET
from msgspec import inspect as mi

from xformat.export.columns import BY_NAME, Row
from xformat.export.rows import RowMaker, chunks
from xformat.export.summary import Counts, account, first_seen
from xformat.models import Post
from xformat.models.base import ERAS
from xformat.progress import Progress
from xformat.records import Reader, expand_inputs
from xformat.rejects import Rejects

TOP = 10
DAYS_SHOWN = 31
"""Text output lists posts per day up to this many days, per month beyond."""

_COLUMNS = ("created_at", "post_type", "lang", "author_id", "hashtags", "mentions", "urls", "input_format")


@dataclass
class Stats:
    counts: Counts = field(default_factory=Counts)
    formats: Counter[str] = field(default_factory=Counter)
    """Format -> post records (duplicates included: each file's format shows)."""
    eras: Counter[str] = field(default_factory=Counter)
    """Era -> post records (duplicates included)."""
    types: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    days: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(UTC day, post type) -> posts."""
    authors: set[int] = field(default_factory=set)
    hashtags: Counter[str] = field(default_factory=Counter)
    mentions: Counter[str] = field(default_factory=Counter)
    domains: Counter[str] = field(default_factory=Counter)
    first: str | None = None
    """ISO time of the earliest post."""
    last: str | None = None
    inputs: list[str] = field(default_factory=list)

    def add(self, values: list[Any], *, duplicate: bool) -> None:
        """One post record's values (``_COLUMNS`` and its era); a duplicate counts for its format
        and era only."""
        created_at, post_type, lang, author_id, hashtags, mentions, urls, fmt, era = values
        self.formats[fmt] += 1
        self.eras[era] += 1
        if duplicate:
            self.counts.duplicates += 1
            return
        self.counts.rows += 1
        self.types[post_type] += 1
        self.languages[lang or "(none)"] += 1
        self.days[created_at[:10], post_type] += 1
        self.authors.add(int(author_id))
        self.hashtags.update(tag.lower() for tag in hashtags)
        self.mentions.update(name.lower() for name in mentions)
        self.domains.update(domain for url in urls if (domain := domain_of(url)))
        if self.first is None or created_at < self.first:
            self.first = created_at
        if self.last is None or created_at > self.last:
            self.last = created_at

    def per_day(self) -> dict[str, dict[str, int]]:
        """UTC day -> post type -> posts, days in order."""
        out: dict[str, dict[str, int]] = {}
        for (day, post_type), n in sorted(self.days.items()):
            out.setdefault(day, {})[post_type] = n
        return out

    def to_dict(self, top: int = TOP) -> dict[str, Any]:
        return {
            "records": self.counts.counts_dict(),
            "posts": self.counts.rows,
            "first": self.first,
            "last": self.last,
            "formats": dict(self.formats.most_common()),
            "eras": dict(sorted(self.eras.items())),
            "types": dict(self.types.most_common()),
            "languages": dict(self.languages.most_common()),
            "distinct_authors": len(self.authors),
            "days": self.per_day(),
            "top_hashtags": self.hashtags.most_common(top),
            "top_mentions": self.mentions.most_common(top),
            "top_domains": self.domains.most_common(top),
            "inputs": self.inputs,
        }

    def text(self, top: int = TOP) -> str:
        posts = self.counts.rows
        records = posts + self.counts.duplicates
        lines = [
            f"records      {self.counts.read:,} read: {self.counts.counts_text()}",
            f"posts        {posts:,} by {len(self.authors):,} distinct authors",
            f"date range   {self.first or '-'} .. {self.last or '-'} (UTC)",
            f"formats      {_list(self.formats.most_common(), records)} (post records, duplicates included)",
            f"eras         {_list(sorted(self.eras.items()), records)} (by the fields present)",
            f"types        {_list(self.types.most_common(), posts)}",
            f"languages    {_list(self.languages.most_common(), posts, top)}",
            f"hashtags     {_list(self.hashtags.most_common(), None, top, '#')}",
            f"mentions     {_list(self.mentions.most_common(), None, top, '@')}",
            f"link domains {_list(self.domains.most_common(), None, top)}",
        ]
        lines += self._timeline()
        return "\n".join(lines) + "\n"

    def _timeline(self) -> list[str]:
        days = self.per_day()
        if len(days) <= DAYS_SHOWN:
            title, periods = "per day", {day: sum(types.values()) for day, types in days.items()}
        else:
            title, periods = "per month", {}
            for day, types in days.items():
                periods[day[:7]] = periods.get(day[:7], 0) + sum(types.values())
        lines = []
        for i, (period, n) in enumerate(periods.items()):
            lines.append(f"{title if i == 0 else '':12} {period}  {n:,}")
        return lines


def _list(counts: list[tuple[str, int]], total: int | None, top: int | None = None, prefix: str = "") -> str:
    """``counts`` on one line, the first ``top`` of them, with their share of ``total``."""
    if not counts:
        return "-"
    shown = counts[:top]
    text = ", ".join(f"{prefix}{name} {n:,}" + (f" ({n / total:.1%})" if total else "") for name, n in shown)
    more = len(counts) - len(shown)
    return text + (f" and {more:,} more" if more > 0 else "")


def domain_of(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:  # a malformed link (a bad IPv6 literal): no domain to count
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def collect_stats(
    inputs: Reader | Sequence[str], rejects: Rejects | None = None, *, progress: Progress | None = None
) -> Stats:
    """The stats of the posts of ``inputs`` (files, directories, globs, or a ``Reader``), read in
    this process. Rejects go to ``rejects`` (by default they are only counted)."""
    reader = inputs if isinstance(inputs, Reader) else Reader(expand_inputs(inputs))
    rejects = rejects or Rejects(None, None)
    stats = Stats(inputs=reader.names)
    counts = stats.counts
    make = RowMaker([*(BY_NAME[name].get for name in _COLUMNS), _era])
    seen: set[int] = set()
    for records, data, meta in chunks(reader.pieces()):
        made = make(data, meta)
        account(records, made.outcomes, counts, rejects, None)
        keep = first_seen(made.ids, seen)
        for values, wanted in zip(made.rows, repeat(True) if keep is None else keep, strict=False):
            stats.add(values, duplicate=not wanted)
        if progress is not None:
            progress.update(counts.read, reader.bytes_read)
    return stats


def _era(row: Row) -> str:
    return era_of_post(row.post)


def era_of_post(post: Post) -> str:
    """The earliest era whose schemas allow every field ``post`` carries (see the module's doc)."""
    era = min(ERAS)
    for path, since in _since_fields(Post):
        if since > era and _present(post, path):
            era = since
    for name in _EMBEDDED:
        inner = getattr(post, name)
        if inner is not UNSET:
            era = max(era, era_of_post(inner))
    return era


_EMBEDDED = ("quoted_status", "retweeted_status")


def _present(value: Any, path: tuple[str, ...]) -> bool:
    for name in path:
        value = getattr(value, name, UNSET)
        if value is UNSET or value is None:
            return False
    return True


@cache
def _since_fields(cls: type) -> tuple[tuple[tuple[str, ...], str], ...]:
    """(attribute path, era) of each field of ``cls`` marked ``since(era)``, through the structs
    it holds (not lists, nor embedded posts: those are looked at on their own)."""
    found: list[tuple[tuple[str, ...], str]] = []

    def walk(info: mi.StructType, path: tuple[str, ...], within: frozenset[type]) -> None:
        for f in info.fields:
            since = _since(f.type)
            if since is not None:
                found.append(((*path, f.name), since))
                continue
            inner = _struct(f.type)
            if inner is not None and inner.cls not in within:
                walk(inner, (*path, f.name), within | {inner.cls})

    top = mi.type_info(cls)
    assert isinstance(top, mi.StructType)
    walk(top, (), frozenset({cls}))
    return tuple(found)


def _since(info: mi.Type) -> str | None:
    for member in info.types if isinstance(info, mi.UnionType) else (info,):
        if isinstance(member, mi.Metadata) and member.extra_json_schema:
            since = member.extra_json_schema.get("x-since")
            if isinstance(since, str):
                return since
    return None


def _struct(info: mi.Type) -> mi.StructType | None:
    for member in info.types if isinstance(info, mi.UnionType) else (info,):
        if isinstance(member, mi.Metadata):
            member = member.type
        if isinstance(member, mi.StructType):
            return member
    return None
