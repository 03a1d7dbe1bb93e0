"""Enriched Native: X's post object plus Gnip's enrichments; the hub every format converts through."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from msgspec import UNSET, structs

from xformat.formats.base import Format, Kind, Members
from xformat.models.feed import ErrorNotice, InfoNotice, WarnNotice
from xformat.models.native import ComplianceNotice, DeleteNotice, Post

if TYPE_CHECKING:
    from xformat.convert.links import Links

EVENTS = frozenset(f.name for f in structs.fields(ComplianceNotice)) - {"xformat_lossless"}
"""The compliance events, each the one member of a native event (``{"user_delete": {...}}``)."""

INFO = Kind("info", "feed-info", InfoNotice, "Feed info line", content=False, holds=frozenset({"info"}))
"""A stream's ``info`` message, and the last line of a Historical PowerTrack file: the same in
every format, which none converts."""
WARN = Kind("warn", "feed-warn", WarnNotice, "Feed warning line", content=False, holds=frozenset({"warn"}))
ERROR = Kind("error", "feed-error", ErrorNotice, "Feed error line", content=False, holds=frozenset({"error"}))
"""A stream's warnings and errors: system messages, the same in every format, as info lines are."""


def _one_event(notice: ComplianceNotice) -> str | None:
    """Why ``notice`` is no compliance event: it holds one event, named by its one member (the
    model declares every event optional, as it cannot say "exactly one")."""
    found = sum(getattr(notice, name) is not UNSET for name in EVENTS)
    return None if found == 1 else f"a compliance event has exactly one member, not {found}"


class EnrichedNative(Format):
    def kind_of(self, members: Members) -> str:
        # Every kind but posts is told by a top-level member of its own (delete, user_delete...).
        for kind in self.kinds.values():
            if kind.holds and kind.may_be(members):
                return kind.name
        return "post"

    def post_id(self, post: Post) -> str:
        return post.id_str  # ``id`` may be a float that JavaScript tooling mangled: never used

    def author_id(self, post: Post) -> str | None:
        user_id = post.user.id_str
        return None if user_id is UNSET else user_id  # early 2011 actors without an id

    def deleted_id(self, notice: DeleteNotice) -> str:
        return notice.delete.status.id_str

    def embedded(self, post: Post) -> Iterator[tuple[str, Any]]:
        if post.retweeted_status is not UNSET:
            yield "retweeted_status", post.retweeted_status
        if post.quoted_status is not UNSET:
            yield "quoted_status", post.quoted_status

    def scrub_geo(self, post: dict[str, Any]) -> bool:
        changed = False
        for name in self.geo:
            if post.get(name) is not None:
                post[name] = None  # real feeds write an absent geo as null
                changed = True
        return changed

    def time_of(self, value: Any) -> str | None:
        from xformat.convert.timefmt import millis_to_iso, native_to_iso

        if isinstance(value, Post):
            return native_to_iso(value.created_at)
        if isinstance(value, DeleteNotice) and value.delete.timestamp_ms is not UNSET:
            return millis_to_iso(value.delete.timestamp_ms)
        if isinstance(value, ComplianceNotice):
            for name in EVENTS:
                event = getattr(value, name)
                if event is UNSET:
                    continue
                if event.timestamp_ms is not UNSET:
                    return millis_to_iso(event.timestamp_ms)
                return getattr(event, "timestampMs", None) or None  # user_withheld as X's docs spell it
        return None

    def to_hub(self, value: Any, losses: list[str]) -> Any:
        return value  # the hub itself

    def from_hub(self, value: Any, links: Links, losses: list[str]) -> Any:
        return value


NATIVE = EnrichedNative(
    name="native",
    title="Enriched Native",
    aliases=("en", "enriched-native"),
    kinds={
        "post": Kind("post", "native-post", Post, "Enriched Native post"),
        "delete": Kind(
            "delete",
            "native-delete",
            DeleteNotice,
            "Enriched Native deletion notice",
            hint=b'"delete"',
            holds=frozenset({"delete"}),
        ),
        "compliance": Kind(
            "compliance",
            "native-compliance",
            ComplianceNotice,
            "Enriched Native compliance event",
            rule=_one_event,
            holds=EVENTS,
        ),
        "info": INFO,
        "warn": WARN,
        "error": ERROR,
    },
    # Members no other format's record holds (created_at and entities are X API v2's too), and
    # text, which v2 posts share: a record of a text alone is native, the first of equals.
    # The events' names too: a compliance event holds nothing else (``{"user_delete": {...}}``).
    signature=frozenset(
        {
            "id_str",
            "text",
            "user",
            "truncated",
            "is_quote_status",
            "in_reply_to_status_id_str",
            "in_reply_to_screen_name",
            "favorite_count",
            "retweet_count",
            "delete",
            *EVENTS,
        }
    ),
    telling=frozenset({"delete", "info", "warn", "error", *EVENTS}),
    markers=(b'"created_at":',),  # the post's, and its author's
    retweeted=frozenset({"retweeted_status"}),
    roles={"retweeted_status": "rt", "quoted_status": "qt"},
    geo=("coordinates", "geo", "place"),
)
