"""X API v2: response pages, stream lines and twarc2-flattened posts, converted through the hub.

A v2 body is an envelope (``data``, ``includes``, ``meta``, ``errors``, ``matching_rules``,
twarc2's ``__twarc``) around any number of posts, which reference the users, posts, media,
places and polls of ``includes`` by id. Its kinds:

- ``page``: a search, timeline or lookup page (``data`` a list; or no ``data`` but ``meta``,
  ``includes``: a page of no results), one line of twarc2's output, and what ``xformat convert
  --to v2 --v2-pages N`` writes (``xformat.v2pagewriter``). Holds many posts, each converted on
  its own (``pieces``: ``xformat.v2pages`` resolves what each references).
- ``stream-line``: one post in its envelope (``data`` an object): a filtered-stream message or a
  single lookup, and what ``xformat convert --to v2`` writes. Counted with the pages.
- ``post``: one line of ``twarc2 flatten`` output, the includes inlined.
- ``errors``: a line of ``errors`` and no post (a stream disconnect, a failed lookup): counted.
- ``compliance-job`` and ``compliance-result``: batch compliance jobs (``data`` a job or jobs) and
  the lines of their results; known records, not posts: counted.

``errors`` entries and ``meta`` are a page's own matters: counted, never converted, never lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any

import msgspec
from msgspec import UNSET

from xformat.formats.base import Format, Kind, Members, Pieces
from xformat.formats.native import ERROR, INFO, WARN
from xformat.models.native import ComplianceNotice, DeleteNotice, Post
from xformat.models.v2 import (
    V2ComplianceJobs,
    V2ComplianceResult,
    V2FlatPost,
    V2FlatReference,
    V2Page,
    V2Post,
    V2StreamLine,
)
from xformat.v2pages import Bundle, bundle_of, bundles_of, referenced_keys

if TYPE_CHECKING:
    from xformat.compliance import Actions, Report
    from xformat.convert.links import Links

_ENVELOPE = frozenset({"data", "includes", "meta", "errors", "matching_rules", "__twarc"})
"""The members of a v2 body; a post's own members are everything else."""
_FLAT = frozenset(
    {
        "__twarc",
        "author_id",
        "author",
        "edit_history_tweet_ids",
        "conversation_id",
        "public_metrics",
        "referenced_tweets",
        "attachments",
        "reply_settings",
    }
)
"""Members of v2 posts (and twarc2's) that no other format's post has."""
_JOB = frozenset({"upload_url", "download_url", "resumable", "status"})
"""Members of a compliance job that no post has (a post always has ``text``)."""


def _page_rule(page: V2Page) -> str | None:
    if page.data is UNSET:
        return "an errors-only line, not a page" if page.errors is not UNSET else None
    if isinstance(page.data, V2Post) and page.meta is UNSET:
        return "one post in its envelope: a stream line, not a page"
    return None


def _stream_rule(line: V2StreamLine) -> str | None:
    return "no post: a stream line holds one in data" if line.data is UNSET else None


def _errors_rule(line: V2Page) -> str | None:
    return "it holds posts: a page, not an errors-only line" if line.data is not UNSET else None


class XApiV2(Format):
    def kind_of(self, members: Members) -> str:
        if members.has("data"):
            keys = members.keys_in("data")
            if "text" not in keys and keys & _JOB:
                return "compliance-job"
            return "stream-line" if members.is_object("data") and not members.has("meta") else "page"
        if members.has("errors"):
            return "errors"
        if members.has("text") or members.has("id"):
            return "post"  # a flattened post: twarc2 gives it a __twarc of its own
        if members.has("includes") or members.has("meta") or members.has("__twarc"):
            return "page"  # a page of no results
        if members.has("action") and not members.has("text"):
            return "compliance-result"
        for name in ("info", "warn", "error"):  # system messages, the same in every format
            if self.kinds[name].may_be(members):
                return name
        return "post"

    # --- what a record holds ------------------------------------------------------------------
    def pieces(self, value: Any) -> Pieces:
        errors = value.errors
        # Built without the named tuple's Python __new__: a frame per record saved.
        return tuple.__new__(Pieces, (bundles_of(value), 0 if errors is UNSET else len(errors)))

    def problems(self, value: Any) -> int:
        errors = getattr(value, "errors", UNSET)
        return 0 if errors is UNSET else len(errors)

    def own_form(self, data: Any, index: int, count: int) -> Any:
        # A record of one post comes back whole; a post of a page as a stream line of its own,
        # the first with the objects of the page's includes that no post reaches, which a
        # conversion declares on it (``unreferenced_includes``): its patch carries them back.
        if count == 1:
            return data
        line = post_line(data, index)
        left = unreferenced(data, post_lines(data)) if index == 0 else {}
        if left:
            includes = line.setdefault("includes", {})
            for group, items in left.items():
                includes[group] = includes.get(group, []) + items
        return line

    # --- ids and compliance -----------------------------------------------------------------
    def post_id(self, post: Any) -> str:
        return str(post.id)

    def author_id(self, post: Any) -> str | None:
        if post.author_id is not UNSET:
            return str(post.author_id)
        author = getattr(post, "author", UNSET)  # a flattened post's inlined author
        return None if author is UNSET or author.id is UNSET else str(author.id)

    def deleted_id(self, notice: Any) -> str:
        raise TypeError("X API v2 has no deletion notices")

    def embedded(self, post: Any) -> Iterator[tuple[str, Any]]:
        # Only a flattened post holds copies of others: its references merged with the posts
        # the page included (those it did not include are a type and an id).
        if isinstance(post, (V2FlatPost, V2FlatReference)):
            for ref in post.referenced_tweets or ():
                if ref.text is not UNSET:
                    yield "referenced_tweets", ref

    def held(self, value: Any) -> Iterator[Any]:
        # A page's posts are its data, and the posts its includes copy (quoted, retweeted,
        # replied to); a flattened post holds those inlined.
        if isinstance(value, V2FlatPost):
            yield from super().held(value)
            return
        yield from _data(value)
        if value.includes is not UNSET:
            yield from value.includes.tweets or ()

    def ids(self, value: Any, *, users: bool, embedded: bool) -> Iterator[str]:
        # Without ``embedded``, the page's own posts (data), not those its includes copy.
        if isinstance(value, V2FlatPost):
            yield from super().ids(value, users=users, embedded=embedded)
            return
        for post in self.held(value) if embedded else _data(value):
            key = self.author_id(post) if users else self.post_id(post)
            if key is not None:
                yield key

    def comply(self, raw: bytes, value: Any, actions: Actions, report: Report) -> bytes | None:
        from xformat.v2compliance import comply_flat, comply_page

        if isinstance(value, V2FlatPost):
            return comply_flat(raw, value, actions, report)
        return comply_page(raw, value, actions, report)

    def scrub_geo(self, post: dict[str, Any]) -> bool:
        return post.pop("geo", None) is not None  # v2 leaves out what has no value

    # --- conversion through the hub ---------------------------------------------------------
    def to_hub(self, value: Any, losses: list[str]) -> Any:
        if type(value) is not Bundle:
            value = bundle_of(value) if isinstance(value, V2FlatPost) else self._one(value)[0]
        return self._post_from_v2(value, losses)

    @cached_property
    def _post_from_v2(self) -> Any:
        # Imported on first use: the converters import the formats, this module among them.
        from xformat.convert.from_v2 import post_from_v2

        return post_from_v2

    def _one(self, value: Any) -> list[Bundle]:
        """The post of a record that holds one; ``RecordError`` for a page of several or none."""
        from xformat.errors import RecordError

        posts = list(self.pieces(value).posts)
        if len(posts) != 1:
            raise RecordError(f"a page of {len(posts)} posts, not one post: each converts on its own", path="$.data")
        return posts

    def from_hub(self, value: Any, links: Links, losses: list[str]) -> Any:
        return self._from_hub[type(value)](value, losses)

    @cached_property
    def _from_hub(self) -> dict[type, Any]:
        from xformat.convert.to_v2 import notice_to_v2, post_to_v2

        return {Post: post_to_v2, DeleteNotice: notice_to_v2, ComplianceNotice: notice_to_v2}

    def time_of(self, value: Any) -> str | None:
        if isinstance(value, Bundle):
            value = value.post
        elif isinstance(value, (V2Page, V2StreamLine)):
            posts = _data(value)
            if not posts:
                return None
            value = posts[0]  # a page copied whole goes where its first post does
        if isinstance(value, (V2Post, V2FlatPost)):
            if value.created_at is not UNSET:
                return value.created_at
            from xformat.convert.from_v2 import iso_of_id

            return iso_of_id(value.id)
        return None

    def models(self) -> Iterator[tuple[type[msgspec.Struct], Kind]]:
        yield from super().models()
        # The posts a page holds, and those a flattened post holds: ids and authors of their own.
        yield V2Post, self.kinds["post"]
        yield V2FlatReference, self.kinds["post"]


def _data(value: V2Page | V2StreamLine) -> list[V2Post]:
    """The posts of a page or stream line (``data``: a list, one post, or none)."""
    data = value.data
    return [] if data is UNSET else data if isinstance(data, list) else [data]


def post_line(data: dict[str, Any], index: int) -> dict[str, Any]:
    """Post ``index`` of a v2 record (parsed: a page, or a stream line's one post) as a stream
    line of its own: the post, the objects of the record's includes it references
    (``referenced_keys``), each as often as the record lists it, and the record's other members
    but ``meta`` and ``errors`` (the record's matters, counted). Values are the record's own."""
    posts = data["data"]
    post = posts[index] if isinstance(posts, list) else posts
    line: dict[str, Any] = {"data": post}
    includes = data.get("includes")
    if isinstance(includes, dict):
        wanted = referenced_keys(post, includes)
        kept = {
            group: [item for item in items if key_of(group, item) in wanted.get(group, ())]
            for group, items in includes.items()
            if isinstance(items, list)
        }
        line["includes"] = {group: items for group, items in kept.items() if items}
    line.update((key, value) for key, value in data.items() if key not in ("data", "includes", "meta", "errors"))
    return line


def post_lines(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every post of a v2 record (parsed) as ``post_line`` gives it, in ``data`` order."""
    posts = data.get("data")
    count = len(posts) if isinstance(posts, list) else 0 if posts is None else 1
    return [post_line(data, index) for index in range(count)]


def unreferenced(data: dict[str, Any], lines: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """The objects of a v2 record's includes (parsed) that none of its posts' ``lines``
    (``post_lines``) holds and that are not one of its posts, by group: earlier versions of an
    edited post, a pinned post, posts referenced too deep."""
    includes = data.get("includes")
    if not isinstance(includes, dict):
        return {}
    held: dict[str, set[Any]] = {"tweets": {key_of("tweets", line["data"]) for line in lines}}
    for line in lines:
        for group, items in line.get("includes", {}).items():
            held.setdefault(group, set()).update(key_of(group, item) for item in items)
    left = {
        group: [item for item in items if key_of(group, item) not in held.get(group, ())]
        for group, items in includes.items()
        if isinstance(items, list)
    }
    return {group: items for group, items in left.items() if items}


def key_of(group: str, item: Any) -> Any:
    """What posts reference an included object by: its ``media_key``, else its ``id`` (users
    are referenced by username too: ``referenced_keys`` lists both)."""
    if not isinstance(item, dict):
        return None
    return item.get("media_key") if group == "media" else item.get("id")


V2 = XApiV2(
    name="v2",
    title="X API v2",
    aliases=("x-api-v2", "api-v2"),
    kinds={
        "page": Kind(
            "page",
            "v2-page",
            V2Page,
            "X API v2 response page",
            rule=_page_rule,
            many=True,
            # Not __twarc: a flattened post has one too, and must never be read as a page.
            holds=frozenset({"data", "includes", "meta"}),
        ),
        "stream-line": Kind(
            "stream-line",
            "v2-stream-line",
            V2StreamLine,
            "X API v2 stream line",
            rule=_stream_rule,
            many=True,
            holds=frozenset({"data"}),
        ),
        # Its members are all optional but id and text, which other formats' posts have too: a
        # record is taken for one only when it holds a member of v2 posts of its own.
        "post": Kind("post", "v2-flat-post", V2FlatPost, "twarc2-flattened X API v2 post", holds=_FLAT),
        "errors": Kind(
            "errors",
            "v2-page",
            V2Page,
            "X API v2 errors-only line",
            content=False,
            rule=_errors_rule,
            holds=frozenset({"errors"}),
        ),
        "compliance-job": Kind(
            "compliance-job",
            "v2-compliance-jobs",
            V2ComplianceJobs,
            "X API v2 batch compliance jobs",
            content=False,
            holds=frozenset({"data"}),
        ),
        "compliance-result": Kind(
            "compliance-result",
            "v2-compliance-result",
            V2ComplianceResult,
            "X API v2 batch compliance result line",
            content=False,
            holds=frozenset({"action"}),
        ),
        "info": INFO,
        "warn": WARN,
        "error": ERROR,
    },
    # The envelope's members, a post's members that no other format's post has (id and text
    # too: a default-fields post has nothing else), and a compliance result's.
    signature=frozenset(
        {
            *_ENVELOPE - {"matching_rules"},  # native posts have matching_rules too
            *_FLAT,
            "id",
            "text",
            "action",
            "reason",
        }
    ),
    telling=frozenset({"matching_rules"}),
    # A page's first member as the API orders it, twarc2's own member (a page's last, a sorted
    # page's first), and what a post's first members (or a flattened post's) hold.
    markers=(b'"data":', b'"__twarc":', b'"public_metrics":', b'"edit_history_tweet_ids":'),
    geo=("geo",),
    small_posts=True,
)
