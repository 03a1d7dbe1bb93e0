"""Compliance events, both ways (the contract is docs/MAPPING.md).

Native names the event by the one member of the object (``{"user_delete": {...}}``), Activity
Streams by the verb (``{"verb": "user_delete", ...}``); both say which post or account, and when.
Native ``drop`` and ``undrop`` have no Activity Streams form: Gnip's compliance stream carried
every other event and never these (``compliance_event_to_activity`` gives None and declares it).
"""

from __future__ import annotations

from typing import Any, cast

from msgspec import UNSET, UnsetType, structs

from xformat.convert.links import Links, links_of, tail_id, user_tag_id
from xformat.convert.timefmt import iso_to_millis, millis_to_iso
from xformat.errors import RecordError
from xformat.models.activity import ActorRef, ComplianceActivity, ComplianceObject, UpTo
from xformat.models.base import IdNum
from xformat.models.common import USER_EVENTS, UserEventName
from xformat.models.native import (
    ComplianceNotice,
    DeletedStatus,
    ScrubGeo,
    StatusEvent,
    UserEvent,
    UserWithheld,
    WithheldUser,
)

ZONE = "+00:00"  # how the compliance stream writes its times: 2014-08-27T23:49:41.839+00:00
_EVENTS = tuple(f.name for f in structs.fields(ComplianceNotice) if f.name != "xformat_lossless")
# The members each verb uses; any other member of an activity has no native home.
_USES: dict[str, frozenset[str]] = {
    "scrub_geo": frozenset({"objectType", "verb", "actor", "target", "timestampMs"}),
    "status_withheld": frozenset({"verb", "object", "timestampMs"}),
    "user_withheld": frozenset({"verb", "object", "withheld_in_countries", "timestampMs"}),
    **{name: frozenset({"verb", "object", "timestampMs"}) for name in USER_EVENTS},
}


def event_name(notice: ComplianceNotice) -> str:
    """The event a native notice holds (its one member)."""
    names = [name for name in _EVENTS if getattr(notice, name) is not UNSET]
    if len(names) != 1:
        raise RecordError(f"a compliance event has exactly one member, not {len(names)}", path="$")
    return names[0]


def compliance_event_to_activity(
    notice: ComplianceNotice, links: Links, losses: list[str]
) -> ComplianceActivity | None:
    """The Activity Streams form of a native compliance event; None for ``drop`` and ``undrop``,
    which have none (the ``no_activity_form`` loss)."""
    name = event_name(notice)
    event: Any = getattr(notice, name)
    if name in ("drop", "undrop"):
        losses.append("no_activity_form")
        return None
    if isinstance(event, StatusEvent):
        status = event.status
        _check_ids(losses, (status.id, status.id_str), (status.user_id, status.user_id_str))
        return ComplianceActivity(
            verb="status_withheld",
            object=ComplianceObject(
                id=links.activity_prefix + status.id_str,
                user_id=UNSET if status.user_id_str is UNSET else links.user_prefix + status.user_id_str,
                withheld_in_countries=event.withheld_in_countries,
            ),
            timestampMs=_iso(event.timestamp_ms),
        )
    if isinstance(event, ScrubGeo):
        _check_ids(losses, (event.user_id, event.user_id_str), (event.up_to_status_id, event.up_to_status_id_str))
        return ComplianceActivity(
            objectType="activity",
            verb="scrub_geo",
            actor=ActorRef(id=links.actor_prefix + event.user_id_str),
            target=UpTo(up_to_id=links.activity_prefix + event.up_to_status_id_str),
            timestampMs=_iso(event.timestamp_ms),
        )
    if isinstance(event, UserWithheld):
        _check_ids(losses, (event.user.id, event.user.id_str))
        millis = event.timestamp_ms
        if event.timestampMs is not UNSET:
            losses.append("event_form")  # comes back as timestamp_ms, as every other event has it
            if millis is UNSET:
                millis = iso_to_millis(event.timestampMs)
        return ComplianceActivity(
            verb="user_withheld",
            object=ComplianceObject(id=links.user_prefix + event.user.id_str),
            withheld_in_countries=event.withheld_in_countries,
            timestampMs=_iso(millis),
        )
    assert isinstance(event, UserEvent)
    user_id = _user_id(event, losses)
    return ComplianceActivity(
        verb=cast(UserEventName, name),
        object=ComplianceObject(id=links.user_prefix + user_id),
        timestampMs=_iso(event.timestamp_ms),
    )


def compliance_event_to_native(activity: ComplianceActivity, losses: list[str]) -> ComplianceNotice:
    """The native form of an Activity Streams compliance event."""
    verb = activity.verb
    present = {f.name for f in structs.fields(activity) if getattr(activity, f.name) is not UNSET}
    if (present - {"xformat_lossless"}) - _USES[verb] or (verb == "scrub_geo") != ("objectType" in present):
        losses.append("event_form")
    millis: str | UnsetType = UNSET
    if activity.timestampMs is not UNSET:
        millis = iso_to_millis(activity.timestampMs)
        if millis_to_iso(millis, ZONE) != activity.timestampMs:
            losses.append("event_form")  # another spelling of the same time
    if verb == "scrub_geo":
        actor, target = activity.actor, activity.target
        if actor is UNSET or target is UNSET:
            raise RecordError("scrub_geo names its account in actor and its last post in target", path="$")
        if actor.objectType is not UNSET:
            losses.append("event_form")
        user_id = tail_id(actor.id, "$.actor.id")
        up_to = tail_id(target.up_to_id, "$.target.up_to_id")
        return ComplianceNotice(
            scrub_geo=ScrubGeo(
                user_id=int(user_id),
                up_to_status_id=int(up_to),
                up_to_status_id_str=up_to,
                user_id_str=user_id,
                timestamp_ms=millis,
            )
        )
    obj = activity.object
    if obj is UNSET:
        raise RecordError(f"{verb} names its post or account in object", path="$.object")
    if verb == "status_withheld":
        if user_tag_id(obj.id) is not None:
            raise RecordError("status_withheld names a post, not an account", path="$.object.id")
        status_id = tail_id(obj.id, "$.object.id")
        author = UNSET if obj.user_id is UNSET else _account(obj.user_id, "$.object.user_id")
        return ComplianceNotice(
            status_withheld=StatusEvent(
                status=DeletedStatus(
                    id=int(status_id),
                    id_str=status_id,
                    user_id=UNSET if author is UNSET else int(author),
                    user_id_str=author,
                ),
                withheld_in_countries=obj.withheld_in_countries,
                timestamp_ms=millis,
            )
        )
    if obj.user_id is not UNSET or obj.withheld_in_countries is not UNSET:
        losses.append("event_form")
    user_id = _account(obj.id, "$.object.id")
    if verb == "user_withheld":
        if activity.withheld_in_countries is UNSET:
            raise RecordError("user_withheld says where in withheld_in_countries", path="$.withheld_in_countries")
        return ComplianceNotice(
            user_withheld=UserWithheld(
                user=WithheldUser(id=int(user_id), id_str=user_id),
                withheld_in_countries=activity.withheld_in_countries,
                timestamp_ms=millis,
            )
        )
    notice = ComplianceNotice()
    setattr(notice, verb, UserEvent(id=int(user_id), timestamp_ms=millis))
    return notice


def event_links(activity: ComplianceActivity) -> Links:
    """The links of the domain an event's IRIs use, which converting it back must reproduce."""
    if activity.object is not UNSET:
        return links_of(activity.object.id)
    return links_of(activity.target.up_to_id if activity.target is not UNSET else "")


def _iso(millis: str | UnsetType) -> str | UnsetType:
    return UNSET if millis is UNSET else millis_to_iso(millis, ZONE)


def _account(iri: str, path: str) -> str:
    user_id = user_tag_id(iri)
    if user_id is None:
        raise RecordError(f"not an account's IRI (tag:search.twitter.com,2012:user/<id>): {iri!r}", path=path)
    return user_id


def _user_id(event: UserEvent, losses: list[str]) -> str:
    """The account id of a user event: feeds give the number alone; a string form wins if any."""
    if event.id_str is not UNSET:
        losses.append("event_form")  # comes back as the number alone, as feeds give it
        _check_ids(losses, (event.id, event.id_str))
        return event.id_str
    if type(event.id) is not int:
        losses.append("numeric_ids")  # a float: what JavaScript tooling made of the number
    return str(int(event.id))


def _check_ids(losses: list[str], *pairs: tuple[IdNum | UnsetType, str | UnsetType]) -> None:
    """``numeric_ids`` when a number disagrees with its string (converting back writes it from the string)."""
    for number, text in pairs:
        if number is not UNSET and not (type(number) is int and str(number) == text):
            losses.append("numeric_ids")
            return
