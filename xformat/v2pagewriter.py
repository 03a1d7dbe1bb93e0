"""X API v2 response pages gathered from the stream lines ``convert --to v2`` writes, a post each.

``PageOutput`` is an ``Output`` (``xformat.output``) in front of another. It takes the lines the
conversion writes, one post each (``{"data": {...}, "includes": {...}}``, without
``matching_rules``: ``Converter(pages=True)``; a post of X API v2 input cut from its record with
what it references, ``xformat.convert.to_v2.repaged``), and writes pages of up to ``size`` posts,
in input order, shaped as search and lookup responses are::

    {"data": [post, ...], "includes": {"users": [...], ...},
     "meta": {"result_count": 2, "newest_id": "...", "oldest_id": "..."}}

- ``includes``: the union of the posts' includes, each object once (users, tweets, places, polls
  by ``id``, media by ``media_key``), in the order first met. A page holds one object per id, as
  the API's do, so a post whose line gives an object the page already holds with other contents
  (an account's counts that changed between two posts of a stream) starts a new page: keeping
  either copy would change what the other post reads back, a loss no record would declare. The
  pages are then shorter than ``size``. Copies equal as parsed JSON, their members in another
  order, are one (the first stands). A mentioned account a line includes as a stub (``id``,
  ``name``, ``username``: all a native mention knows of it) is no other content when the whole
  profile agrees with it: the whole profile stands in its place.
- ``meta``: ``result_count``, and ``newest_id``/``oldest_id``, the highest and lowest post ids
  as numbers (ids of different eras differ in length, so their text does not sort). No
  ``next_token``: the pages answer no request, so there is no cursor to continue from.

Pages are cut here, in the one process that writes, from the lines in their order: however the
input was cut into chunks for worker processes, the same input gives the same pages. A post's
bytes go into its page as they are: nothing is decoded into structs and encoded again, only the
ids are read.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
from msgspec import UNSET, Raw, UnsetType

from xformat.models.v2 import V2Includes, V2Meta
from xformat.output import Output, Time


class _Line(msgspec.Struct, forbid_unknown_fields=True):
    """A post's stream line as the conversion writes it for a page (anything else is a bug)."""

    data: Raw
    includes: dict[str, list[Raw]] = {}


class _Keys(msgspec.Struct):
    """What an object is named by: ``id`` (posts, users, places, polls), ``media_key`` (media)."""

    id: str | None = None
    media_key: str | None = None


class _LineKeys(msgspec.Struct):
    """The same line, read for the names of its post and objects only."""

    data: _Keys
    includes: dict[str, list[_Keys]] = {}


class _Page(msgspec.Struct, kw_only=True, omit_defaults=True):
    data: list[Raw]
    includes: dict[str, list[Raw]] | UnsetType = UNSET
    meta: V2Meta


_LINE = msgspec.json.Decoder(_Line)
_LINE_KEYS = msgspec.json.Decoder(_LineKeys)
_MEMBERS = msgspec.json.Decoder(dict[str, Raw])
_VALUE = msgspec.json.Decoder()
_ENCODER = msgspec.json.Encoder()
_GROUPS = V2Includes.__struct_fields__
"""The order of a page's ``includes`` groups, as the model defines them."""
_STUB = frozenset({"id", "name", "username"})
"""The members of a mentioned account a line includes for its mention only (``xformat.convert.to_v2``)."""


class PageOutput:
    """Writes the posts' lines it is given to ``output`` as response pages of up to ``size`` posts."""

    def __init__(self, output: Output, size: int) -> None:
        if size < 1:
            raise ValueError(f"a page holds at least one post, not {size}")
        self.size = size
        self._output = output
        self._posts: list[Raw] = []
        self._ids: list[int] = []
        self._time: Time = None
        self._includes: dict[str, dict[object, Raw]] = {}

    def write(self, lines: bytes | memoryview, sizes: Sequence[int], times: Sequence[Time] | None) -> None:
        # A copy: ``lines`` may be memory reused after the call, and the posts' bytes wait here
        # (as views of it) until their page is full.
        block = memoryview(bytes(lines))
        start = 0
        for index, size in enumerate(sizes):
            text = block[start : start + size]
            start += size
            # Read twice, in C each time: for the pieces' bytes, then for their names.
            line, names = _LINE.decode(text), _LINE_KEYS.decode(text)
            objects = [
                (group, _key(group, keys, item), item)
                for group, items in line.includes.items()
                for item, keys in zip(items, names.includes[group], strict=True)
            ]
            if self._posts and self._differs(objects):
                self._flush()
            if not self._posts and times is not None:
                self._time = times[index]  # a page goes where its first post does (--split-by)
            self._add(line.data, names.data.id, objects)
            if len(self._posts) == self.size:
                self._flush()

    def _differs(self, objects: list[tuple[str, object, Raw]]) -> bool:
        """Whether a line's ``objects`` give one the page holds with other contents."""
        for group, key, item in objects:
            held = self._includes.get(group, {}).get(key)
            if held is not None and bytes(held) != bytes(item) and _merged(group, held, item) is None:
                return True
        return False

    def _add(self, post: Raw, post_id: str | None, objects: list[tuple[str, object, Raw]]) -> None:
        assert post_id is not None, "a post without an id"
        self._posts.append(post)
        self._ids.append(int(post_id))  # an IdStr: decimal digits
        for group, key, item in objects:
            kept = self._includes.setdefault(group, {})
            held = kept.setdefault(key, item)
            if held is not item and bytes(held) != bytes(item):
                merged = _merged(group, held, item)
                assert merged is not None, "_differs let a differing copy through"
                kept[key] = merged  # a dict keeps the key's place

    def _flush(self) -> None:
        if not self._posts:
            return
        includes = {group: list(self._includes[group].values()) for group in _ordered(self._includes)}
        meta = V2Meta(result_count=len(self._posts), newest_id=str(max(self._ids)), oldest_id=str(min(self._ids)))
        page = _ENCODER.encode(_Page(data=self._posts, includes=includes or UNSET, meta=meta)) + b"\n"
        self._output.write(page, [len(page)], None if self._time is None else [self._time])
        self._posts, self._ids, self._time = [], [], None
        self._includes = {}

    def commit(self) -> list[str]:
        self._flush()  # the last page, shorter when the posts ran out
        return self._output.commit()

    def discard(self) -> None:
        self._posts, self._ids, self._time, self._includes = [], [], None, {}
        self._output.discard()


def _key(group: str, keys: _Keys, item: Raw) -> object:
    return (keys.media_key if group == "media" else keys.id) or bytes(item)


def _merged(group: str, held: Raw, item: Raw) -> Raw | None:
    """The one object that stands for two copies of an object: the first, when they are equal as
    parsed JSON (members in another order: an account twarc2 flatten merged into a mention);
    for an account, the whole profile, when the other is a mention's stub that agrees with it;
    None when they differ otherwise."""
    if _VALUE.decode(held) == _VALUE.decode(item):
        return held
    if group != "users":
        return None
    first, second = _MEMBERS.decode(held), _MEMBERS.decode(item)
    stub, whole = (first, second) if first.keys() <= _STUB else (second, first)
    if stub.keys() <= _STUB and all(k in whole and bytes(whole[k]) == bytes(v) for k, v in stub.items()):
        return item if whole is second else held
    return None


def _ordered(groups: dict[str, dict[object, Raw]]) -> list[str]:
    """The groups that hold something, in the model's order (any other after, as met)."""
    held = [group for group in groups if groups[group]]
    return sorted(held, key=lambda group: _GROUPS.index(group) if group in _GROUPS else len(_GROUPS))
