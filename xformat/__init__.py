"""xformat: X (Twitter) Enterprise data in Enriched Native and Activity Streams formats."""

from __future__ import annotations

__version__ = "0.1.0"
