"""What a conversion run did, accounting for every record read.

``read = converted + deletions + info + keepalives + rejected``: a record is a line of NDJSON
(a keep-alive if blank), or an element of a JSON array or of a search page's results. How a
summary is told (text, JSON) is ``xformat.reporting``'s.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from xformat.records import shown_name


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
