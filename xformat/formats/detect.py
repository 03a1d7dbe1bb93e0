"""Which format and kind a record is, from what it holds, wherever its members stand.

Detection reads a record's top-level members, never where a key stands in its bytes: real
archives hold the same members in any order (sorted keys, ``verb`` thousands of bytes in). A
small msgspec struct of the members the formats tell records apart by (``sniff``) decodes only
those, as raw slices; msgspec skips the rest without building anything. Each format scores a
record by how many of its signature members it holds (``recognise``); the format then names
the kind.

The decode (``xformat.decoding``) is the last word: a record is what its model decodes. For a
large record, which in archives is a post, it first tries the post of a format hinted at
cheaply (``first_attempt``: a marker key in the first bytes, else the last record's format),
and sniffs only when that decode fails, so that no order of members costs more than one failed
attempt; small records (notices, info lines) are sniffed first, but for those marked as records
of the last record's format when its posts are often small (``Format.small_posts``). Validation explains a failed
record against the same verdict.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
from msgspec import UNSET, Raw, UnsetType

from xformat.formats import FORMATS, HUB
from xformat.formats.base import Format, Kind, Members

SMALL = 1024
"""Records shorter than this are sniffed before any decode: real notices and info lines are
under 500 bytes, posts over 1,500 (the user object alone), but X API v2 posts of the default
fields (``Format.small_posts``)."""

_MEMBERS = sorted({name for fmt in FORMATS for name in fmt.signature | fmt.telling})
# Attribute names of the struct's fields (members need not be identifiers); renamed to the members.
_ATTRS = {name: f"m{i}" for i, name in enumerate(_MEMBERS)}
_Sniffed = msgspec.defstruct(
    "_Sniffed",
    [(attr, Raw | UnsetType, UNSET) for attr in _ATTRS.values()],
    rename={attr: name for name, attr in _ATTRS.items()},
)
_SNIFF = msgspec.json.Decoder(_Sniffed)
_TEXT = msgspec.json.Decoder(str)
_CONTAINER = msgspec.json.Decoder(dict[str, Raw] | list[Raw])
_OBJECT = msgspec.json.Decoder(dict[str, Raw])


class _Sniff:
    """``Members`` of a record's bytes."""

    __slots__ = ("_found",)

    def __init__(self, found: Any) -> None:
        self._found = found

    def has(self, name: str) -> bool:
        attr = _ATTRS.get(name)
        return attr is not None and getattr(self._found, attr) is not UNSET

    def text(self, name: str) -> str | None:
        attr = _ATTRS.get(name)
        raw = UNSET if attr is None else getattr(self._found, attr)
        if raw is UNSET:
            return None
        try:
            return _TEXT.decode(raw)
        except msgspec.ValidationError:
            return None

    def is_object(self, name: str) -> bool:
        raw = self._raw(name)
        return raw is not None and bytes(raw[:1]) == b"{"

    def keys_in(self, name: str) -> frozenset[str]:
        raw = self._raw(name)
        if raw is None:
            return frozenset()
        try:
            found = _CONTAINER.decode(raw)
            if isinstance(found, list):
                found = _OBJECT.decode(found[0]) if found else {}
        except msgspec.ValidationError:  # a string, a number...
            return frozenset()
        return frozenset(found)

    def _raw(self, name: str) -> memoryview | None:
        attr = _ATTRS.get(name)
        raw = UNSET if attr is None else getattr(self._found, attr)
        return None if raw is UNSET else memoryview(raw)


class _Parsed:
    """``Members`` of a record already parsed into Python objects."""

    __slots__ = ("_data",)

    def __init__(self, data: Any) -> None:
        self._data = data if isinstance(data, dict) else {}

    def has(self, name: str) -> bool:
        return name in self._data

    def text(self, name: str) -> str | None:
        value = self._data.get(name)
        return value if isinstance(value, str) else None

    def is_object(self, name: str) -> bool:
        return isinstance(self._data.get(name), dict)

    def keys_in(self, name: str) -> frozenset[str]:
        value = self._data.get(name)
        if isinstance(value, list):
            value = value[0] if value else None
        return frozenset(value) if isinstance(value, dict) else frozenset()


def sniff(raw: bytes) -> Members:
    """The top-level members of ``raw`` that tell formats and kinds apart.

    Raises msgspec's ``DecodeError`` for malformed JSON, ``ValidationError`` for a value that is
    not an object (the reason the record's decode would give too).
    """
    return _Sniff(_SNIFF.decode(raw))


def members_of(data: Any) -> Members:
    """The same for a record already parsed (``msgspec.json.decode``)."""
    return _Parsed(data)


def recognise(members: Members, fmt: Format | None = None) -> tuple[Format, Kind]:
    """The format (``fmt`` if given) and kind that a record with ``members`` is, or most
    resembles: the format with most of its signature members, the earlier one on a tie."""
    if fmt is None:
        fmt, best = HUB, -1
        for candidate in FORMATS:  # the first of equals wins
            score = 0
            for member in candidate.signature:
                if members.has(member):
                    score += 1
            if score > best:
                fmt, best = candidate, score
    return fmt, fmt.kinds[fmt.kind_of(members)]


def candidates(members: Members, fmt: Format | None = None) -> list[tuple[Format, Kind]]:
    """Every (format, kind) a record may be, the one it resembles first; a kind whose telling
    members the record lacks (``Kind.holds``) is none of them."""
    best = recognise(members, fmt)
    rest = [
        (f, k)
        for f in ((fmt,) if fmt else FORMATS)
        for k in f.kinds.values()
        if (f, k) != best and k.may_be(members)
    ]
    return [best, *rest]


def first_attempt(raw: bytes, fmt: Format | None = None) -> tuple[Format, Kind] | None:
    """The decode to try before sniffing ``raw``, or None to sniff first (a small record, unless
    the last record's format has small posts, ``Format.small_posts``, and it holds its marker,
    or it holds the hint of a kind told by one, ``Format.hinted``: a deletion, of the format
    whose marker it holds).

    A hint, never a verdict: the format whose marker shows near either end of the record (where
    feeds and sorted keys put the members that tell), else the format of the last record
    decoded (archives are mostly of one format), each with the kind of the last record of that
    format, else its first kind.
    """
    size = len(raw)
    recent = _RECENT[0]
    if size < SMALL:
        # Only where the last record's format (or the one asked for) has small posts are its
        # markers looked for: a notice in an archive of another format pays no search (a pass of
        # _FOREIGN over a deletion costs thousands of instructions).
        marked = recent[0] if fmt is None else fmt
        if marked.small_posts:
            for marker in marked.markers:
                if marker in raw:
                    return recent if recent[0] is marked else (marked, marked.post)
        for hint in HINTS:
            if hint in raw:
                return _hinted(raw, fmt)
        return None
    if fmt is not None:
        return recent if recent[0] is fmt else (fmt, fmt.post)
    for window in _WINDOWS:
        start, end = (0, window) if window > 0 else (size + window, size)
        found = _FOREIGN.search(raw, start, end)
        if found is not None:
            marked = _FOREIGN_FORMATS[found.group()]
            return recent if recent[0] is marked else (marked, marked.post)
        for marker in HUB.markers:
            if raw.find(marker, start, end) >= 0:
                return recent if recent[0] is HUB else (HUB, HUB.post)
    return recent


def _hinted(raw: bytes, fmt: Format | None) -> tuple[Format, Kind] | None:
    """The kind a small record holding a hint is first decoded as (a deletion, the thousands of a
    stream, as ``xformat.read`` tells them; a sniff costs ten times the decode): of ``fmt``, else
    of the format whose marker it holds, else of the hub, whose deletions hold none."""
    if fmt is None:
        found = _FOREIGN.search(raw)
        fmt = HUB if found is None else _FOREIGN_FORMATS[found.group()]
    for hint, kind in fmt.hinted:
        if hint in raw:
            return fmt, kind
    return None


def remember(fmt: Format, kind: Kind) -> None:
    """The format and kind of the record just decoded: the first guess for the next record
    without a marker, and for the next of the same format (a file of twarc2-flattened posts,
    whose format has pages first). Kinds of no post (notices) are small: not remembered."""
    _RECENT[0] = (fmt, kind if kind.holds_posts else fmt.post)


# The hub's marker (created_at) is in X API v2 posts too: the other formats' markers, which no
# other format's record holds, are looked for first, all of a window in one pass of a regular
# expression (one bytes.find a marker and window costs several times more).
_FOREIGN_FORMATS = {marker: fmt for fmt in FORMATS if fmt is not HUB for marker in fmt.markers}
_FOREIGN = re.compile(b"|".join(re.escape(marker) for marker in _FOREIGN_FORMATS))
# Where markers are looked for: the first and last bytes (negative: from the end), short looks first.
_WINDOWS = (128, -128, 512, -512)
HINTS = tuple({hint for fmt in FORMATS for hint, _ in fmt.hinted})
"""What the small records of a kind told by a hint hold (deletions: ``b'"delete"'``)."""
_RECENT: list[tuple[Format, Kind]] = [(HUB, HUB.post)]
