"""A one-line progress display on stderr: records, records per second, bytes read of the total.

Redrawn at most a few times a second, whatever the call rate, so that it costs nothing on the
hot path; erased when done so that the summary that follows starts on a clean line.
"""

from __future__ import annotations

import time
from typing import TextIO

_INTERVAL = 0.25  # seconds between redraws


def _mib(n: float) -> str:
    return f"{n / 2**20:,.1f} MiB"


class Progress:
    def __init__(self, stream: TextIO, total_bytes: int | None) -> None:
        self.stream = stream
        self.total_bytes = total_bytes
        self._start = time.monotonic()
        self._next = self._start + _INTERVAL
        self._drawn = False

    def update(self, records: int, bytes_read: int) -> None:
        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + _INTERVAL
        elapsed = max(now - self._start, 1e-9)
        text = f"{records:,} records  {records / elapsed:,.0f}/s  {_mib(bytes_read)}"
        if self.total_bytes:
            share = min(bytes_read / self.total_bytes, 1.0)
            text += f" of {_mib(self.total_bytes)}  {share:.0%}"
            if share > 0:
                text += f"  ETA {_clock(elapsed / share - elapsed)}"
        self.stream.write(f"\r\x1b[K{text}")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
