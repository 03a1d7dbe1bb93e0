"""What a conversion run did, accounting for every record read.

``read = converted + deletions + events + pages + info + system + non_posts + keepalives +
rejected``: a record is a line of NDJSON (a keep-alive if blank), or an element of a JSON array
or of a search page's results. Posts, deletions and compliance events are converted
(``not_converted`` of them had no form in the target format: counted, not written, their loss
declared); an X API v2 page (or stream line) is one record holding any number of posts
(``page_posts``), each converted and written as a record of its own; info lines and the other
system messages (warnings, errors) are the same in every format: counted, not written; X API
v2's lines of errors only and batch compliance jobs and results are known records that are no
posts (``non_posts``): counted, not written. How a summary is told (text, JSON) is
``xformat.reporting``'s.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from xformat.records import shown_name

COUNTERS = {
    "post": "converted",
    "delete": "deletions",
    "compliance": "events",
    "info": "info",
    "warn": "system",
    "error": "system",
    "page": "pages",
    "stream-line": "pages",
    "errors": "non_posts",
    "compliance-job": "non_posts",
    "compliance-result": "non_posts",
}
"""The counter of each kind of record (kinds have the same name in every format)."""
PAGES = "pages"
"""The counter of records of many posts (``Kind.many``), whose posts ``page_posts`` counts."""
SYSTEM_COUNTERS = frozenset({"info", "system", "non_posts"})
"""Counters of the kinds that are never converted, never lost: the same in every format, or
known records that hold no post."""


@dataclass
class Summary:
    read: int = 0
    converted: int = 0
    """Posts written in the target format."""
    deletions: int = 0
    """Deletion notices written in the target format."""
    events: int = 0
    """Compliance events (``user_delete``, ``scrub_geo``...) written in the target format, or
    counted in ``not_converted``."""
    unchanged: int = 0
    """Of ``converted``, ``deletions`` and ``events``: records already in the target format, copied as they were."""
    not_converted: int = 0
    """Of ``events``: records the target format has no form for (a native ``drop`` or ``undrop``
    in Activity Streams): known, counted and not written; their loss (``no_activity_form``) says so."""
    pages: int = 0
    """X API v2 pages and stream lines (empty ones too): records of any number of posts."""
    page_posts: int = 0
    """The posts of ``pages``, each converted and written as a record of its own (or, already in
    the target format, copied with their page)."""
    api_errors: int = 0
    """X API v2 ``errors`` entries (objects a request named and could not get): counted."""
    non_posts: int = 0
    """Known records that hold no post: X API v2 lines of errors only, batch compliance jobs
    and result lines. Counted, not written."""
    info: int = 0
    """Info lines (a stream's information, a Historical PowerTrack file's last line)."""
    system: int = 0
    """The other system messages: a stream's warnings and errors."""
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
        parts = self.converted + self.deletions + self.events + self.pages + self.info + self.system + self.non_posts
        return parts + self.keepalives + self.rejected == self.read

    def count(self, kind: str, times: int = 1) -> str:
        """Counts ``times`` records of ``kind`` (a kind's name: ``post``, ``compliance``...);
        the name of the counter that took them."""
        counter = COUNTERS[kind]
        setattr(self, counter, getattr(self, counter) + times)
        return counter

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "converted": self.converted,
            "deletions": self.deletions,
            "events": self.events,
            "not_converted": self.not_converted,
            "pages": self.pages,
            "page_posts": self.page_posts,
            "api_errors": self.api_errors,
            "non_posts": self.non_posts,
            "info": self.info,
            "system": self.system,
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
