"""Activity Streams: Gnip's format, converted to and from the hub by ``xformat.convert``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any, get_args

from msgspec import UNSET

from xformat.formats.base import Format, Kind, Members
from xformat.formats.native import ERROR, INFO, WARN
from xformat.models.activity import Activity, ComplianceActivity, ComplianceVerb, DeleteActivity, Note
from xformat.models.native import ComplianceNotice, DeleteNotice, Post

if TYPE_CHECKING:
    from xformat.convert.links import Links

_KINDS_OF_VERBS = {
    "post": "post",
    "share": "post",
    "delete": "delete",
    **{verb: "compliance" for verb in get_args(ComplianceVerb)},
}


class ActivityStreams(Format):
    def kind_of(self, members: Members) -> str:
        verb = members.text("verb")
        if verb is not None:
            return _KINDS_OF_VERBS.get(verb, "post")
        # No verb: a system message (the same in every format), else a post that lacks its verb.
        for kind in self.kinds.values():
            if kind.holds and "verb" not in kind.holds and kind.may_be(members):
                return kind.name
        return "post"

    def post_id(self, post: Activity) -> str:
        return _tail(post.id)  # tag:search.twitter.com,2005:<id> (or x.com)

    def author_id(self, post: Activity) -> str | None:
        actor_id = post.actor.id
        return None if actor_id is UNSET else _tail(actor_id)  # id:twitter.com:<id>; early 2011: none

    def deleted_id(self, notice: DeleteActivity) -> str:
        return _tail(notice.object.id)

    def embedded(self, post: Activity) -> Iterator[tuple[str, Any]]:
        if isinstance(post.object, Activity):  # a share; an original post's object is its note
            yield "object", post.object
        if post.twitter_quoted_status is not UNSET:
            yield "twitter_quoted_status", post.twitter_quoted_status

    def scrub_geo(self, post: dict[str, Any]) -> bool:
        changed = False
        for name in self.geo:
            if post.get(name) is not None:
                del post[name]  # an activity without geo has no geo member
                changed = True
        return changed

    def time_of(self, value: Any) -> str | None:
        if isinstance(value, Activity):
            return value.postedTime
        if isinstance(value, ComplianceActivity):
            return None if value.timestampMs is UNSET else value.timestampMs
        if isinstance(value, DeleteActivity):
            # The stream form has timestampMs instead; until 2013 it had no time at all.
            for time in (value.postedTime, value.timestampMs):
                if time is not UNSET:
                    return time
        return None

    def to_hub(self, value: Any, losses: list[str]) -> Any:
        return self._to_hub[type(value)](value, losses)

    def from_hub(self, value: Any, links: Links, losses: list[str]) -> Any:
        return self._from_hub[type(value)](value, links, losses)

    def domain_of(self, value: Any) -> str | None:
        from xformat.convert.events import event_links
        from xformat.convert.links import links_of

        if isinstance(value, ComplianceActivity):
            return event_links(value).domain
        return links_of(value.object.id if isinstance(value, DeleteActivity) else value.id).domain

    # The converters import xformat.convert, which imports this package: bound on first use.
    @cached_property
    def _to_hub(self) -> dict[type, Callable[[Any, list[str]], Any]]:
        from xformat.convert.events import compliance_event_to_native
        from xformat.convert.to_native import activity_to_post, delete_to_native

        return {
            Activity: activity_to_post,
            DeleteActivity: delete_to_native,
            ComplianceActivity: compliance_event_to_native,
        }

    @cached_property
    def _from_hub(self) -> dict[type, Callable[[Any, Links, list[str]], Any]]:
        from xformat.convert.events import compliance_event_to_activity
        from xformat.convert.to_activity import delete_to_activity, post_to_activity

        # A native drop or undrop has no Activity Streams form: its converter gives None.
        return {
            Post: post_to_activity,
            DeleteNotice: delete_to_activity,
            ComplianceNotice: compliance_event_to_activity,
        }


def _tail(iri: str) -> str:
    """The id at the end of an IRI: the last ``:`` segment."""
    return iri.rsplit(":", 1)[1]


ACTIVITY = ActivityStreams(
    name="activity",
    title="Activity Streams",
    aliases=("activity-streams", "as"),
    kinds={
        # Decoded through the tagged union with Note so that msgspec requires ``objectType`` at
        # the top level, as the schema does; a note alone is refused (``xformat.decoding``).
        "post": Kind("post", "activity", Activity, "Activity Streams activity", decodes=Activity | Note),
        "delete": Kind(
            "delete",
            "activity-delete",
            DeleteActivity,
            "Activity Streams deletion",
            hint=b'"delete"',
            holds=frozenset({"verb"}),
        ),
        "compliance": Kind(
            "compliance",
            "activity-compliance",
            ComplianceActivity,
            "Activity Streams compliance event",
            holds=frozenset({"verb"}),
        ),
        "info": INFO,
        "warn": WARN,
        "error": ERROR,
    },
    signature=frozenset({"verb", "objectType", "actor", "postedTime", "body", "twitter_entities", "object"}),
    telling=frozenset({"verb", "info"}),
    # objectType: the activity's, its actor's, its object's; actor: first where keys are sorted
    # (no objectType or verb then in the first bytes: the last bytes hold verb, after a search)
    markers=(b'"objectType":', b'"verb":', b'"actor":'),
    retweeted=frozenset({"object"}),
    roles={"object": "rt", "twitter_quoted_status": "qt"},
    geo=("geo", "location"),
)
