"""Post and account times: native ``Wed Oct 10 20:19:24 +0000 2018`` and ISO ``2018-10-10T20:19:24.000Z``.

Hand-rolled rather than strptime/strftime: these run twice per record on the hot path, and
both layouts are fixed-width.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache

from xformat.errors import RecordError

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NUM = {name: f"{i:02d}" for i, name in enumerate(_MONTHS, 1)}
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def native_to_iso(native: str) -> str:
    """``Wed Oct 10 20:19:24 +0000 2018`` -> ``2018-10-10T20:19:24.000Z``."""
    _, month, day, clock, offset, year = native.split(" ")
    if offset != "+0000":
        try:
            moment = datetime.strptime(native, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC)
        except (ValueError, OverflowError) as exc:
            raise _impossible(native, exc) from None
        return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return f"{year}-{_MONTH_NUM[month]}-{day}T{clock}.000Z"


def iso_to_native(iso: str) -> str:
    """``2018-10-10T20:19:24.123Z`` -> ``Wed Oct 10 20:19:24 +0000 2018`` (native times have no milliseconds)."""
    try:
        weekday_month_day, year = _native_day(iso[:10])
    except ValueError as exc:
        raise _impossible(iso, exc) from None
    return f"{weekday_month_day} {iso[11:19]} +0000 {year}"


@lru_cache(maxsize=4096)
def _native_day(iso_day: str) -> tuple[str, str]:
    """``2018-10-10`` -> (``Wed Oct 10``, ``2018``): an archive holds few distinct days, many posts each."""
    year, month, day = int(iso_day[0:4]), int(iso_day[5:7]), int(iso_day[8:10])
    return f"{_DAYS[date(year, month, day).weekday()]} {_MONTHS[month - 1]} {iso_day[8:10]}", iso_day[0:4]


def millis_to_iso(millis: str, zone: str = "Z") -> str:
    """``"1539202764123"`` (deletion timestamp_ms) -> ``2018-10-10T20:19:24.123Z`` (``zone``: ``Z`` or,
    as compliance events write it, ``+00:00``)."""
    value = int(millis)
    try:
        moment = datetime.fromtimestamp(value // 1000, UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise _impossible(millis, exc) from None
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{value % 1000:03d}{zone}"


def iso_to_millis(iso: str) -> str:
    """``2018-10-10T20:19:24.123Z`` (or ``...+00:00``) -> ``"1539202764123"``."""
    try:
        moment = datetime(
            int(iso[0:4]),
            int(iso[5:7]),
            int(iso[8:10]),
            int(iso[11:13]),
            int(iso[14:16]),
            int(iso[17:19]),
            tzinfo=UTC,
        )
    except ValueError as exc:
        raise _impossible(iso, exc) from None
    return str(int(moment.timestamp()) * 1000 + iso_millis(iso))


def iso_millis(iso: str) -> int:
    """The milliseconds of an ISO time's fraction (``.1`` -> 100, none -> 0)."""
    fraction = iso[19:].removesuffix("Z").removesuffix("+00:00").removeprefix(".")
    return int((fraction + "000")[:3]) if fraction else 0


def _impossible(time: str, exc: Exception) -> RecordError:
    """A time the schemas' patterns let through (day 39, year 0, offset +9900) that no calendar has."""
    return RecordError(f"not a possible time: {time!r} ({exc})")
