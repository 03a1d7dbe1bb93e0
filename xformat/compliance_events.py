"""What a data set's own compliance signals ask for: its deletion notices and compliance events.

Feeds carry, among their posts, deletion notices and (the compliance firehose's, mixed into some
archives) compliance events. ``data_actions`` reads them, in the order of the data, into the
``Actions`` that ``xformat.compliance.apply`` carries out as it does a compliance job's results:

- a deletion notice, ``status_withheld`` and ``drop`` remove the post they name (and its
  Retweets, as a result would);
- ``user_delete``, ``user_suspend``, ``user_protect`` and ``user_withheld`` remove every post
  of that account;
- ``scrub_geo`` scrubs the geo of that account's posts up to ``up_to_status_id`` (included);
- ``user_undelete``, ``user_unsuspend``, ``user_unprotect`` and ``undrop`` cancel what an
  earlier event of the data asked for the same account or post (deleted, suspended and
  protected are three states: an ``user_unsuspend`` does not bring back a deleted account).

Withheld content leaves because a data set cannot know where it will be shown: kept, it could
be shown in the countries that withhold it. Events apply in the order of the data (files as
named, records in order), as a stream delivers them: the last event about an account's state
decides. Undo events are counted (``Signals.undone``); a compliance job's results, which say
how things stand now, win over every event of the data.

Each format's events are read through the hub: converted to the native model, whose one member
names the event (``xformat.convert.events``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, NamedTuple

from msgspec import UNSET

from xformat import formats
from xformat.compliance import DELETION_NOTICE, Actions
from xformat.convert.events import event_name
from xformat.decoding import decode
from xformat.errors import ComplianceError, RecordError
from xformat.formats.detect import HINTS as DELETION_HINTS
from xformat.formats.native import EVENTS
from xformat.ids import deleted_id
from xformat.models.native import ComplianceNotice, ScrubGeo, StatusEvent, UserEvent, UserWithheld
from xformat.records import Record

__all__ = ["POST_EVENTS", "UNDO_EVENTS", "USER_EVENTS", "Signals", "data_actions"]

POST_EVENTS: dict[str, tuple[str, bool]] = {
    "status_withheld": ("withheld", True),
    "drop": ("dropped", True),
    "undrop": ("dropped", False),
}
"""Events about a post: the state each sets, and whether the post must leave in that state."""
USER_EVENTS: dict[str, tuple[str, bool]] = {
    "user_delete": ("deleted", True),
    "user_undelete": ("deleted", False),
    "user_suspend": ("suspended", True),
    "user_unsuspend": ("suspended", False),
    "user_protect": ("protected", True),
    "user_unprotect": ("protected", False),
    "user_withheld": ("withheld", True),
}
"""Events about an account: the state each sets, and whether its posts must leave in that state."""
UNDO_EVENTS = frozenset(name for name, (_, leaves) in (POST_EVENTS | USER_EVENTS).items() if not leaves)
assert POST_EVENTS.keys() | USER_EVENTS.keys() | {"scrub_geo"} == EVENTS, "an event without a rule"

# Bytes a deletion notice or an event of any format holds (native members and Activity Streams
# verbs have the same names): a cheap test before decoding, since posts are many and these few.
_HINTS = tuple({*DELETION_HINTS, *(f'"{name}"'.encode() for name in EVENTS)})
_SHOWN = 20


class Signals(NamedTuple):
    """What the data's own deletion notices and events ask for."""

    actions: Actions
    undone: Counter[str]
    """Undo events (``user_undelete``...) by name, each counted once it cancelled an earlier
    event of the data; those with nothing to cancel are counted under ``<name> (nothing to undo)``."""


def data_actions(records: Iterable[Record]) -> Signals:
    """The actions the deletion notices and compliance events among ``records`` ask for.

    Records that cannot be decoded are passed over here: ``apply`` reports them. Raises
    ``ComplianceError`` listing the events that decode but say nothing usable (an Activity
    Streams ``scrub_geo`` without its account...): a signal that cannot be honoured must not pass
    unseen.
    """
    removed_posts: dict[str, str] = {}
    posts: dict[tuple[str, str], str | None] = {}  # (post id, state) -> the event that set it, None once undone
    users: dict[tuple[str, str], str | None] = {}
    scrub_up_to: dict[str, int] = {}
    undone: Counter[str] = Counter()
    problems: list[str] = []
    count = 0
    for record in records:
        if record.error is not None or not any(hint in record.raw for hint in _HINTS):
            continue
        try:
            decoded = decode(record.raw)
        except RecordError:
            continue
        if decoded.kind == "delete":
            removed_posts.setdefault(deleted_id(decoded.value), DELETION_NOTICE)
            continue
        if decoded.kind != "compliance":
            continue
        try:
            name, target, up_to = _read(formats.get(decoded.format).to_hub(decoded.value, []))
        except RecordError as err:
            count += 1
            if len(problems) < _SHOWN:
                problems.append(f"{record.where}: {err}")
            continue
        if name == "scrub_geo":
            assert up_to is not None
            scrub_up_to[target] = max(scrub_up_to.get(target, 0), up_to)
            continue
        table, states = (POST_EVENTS, posts) if name in POST_EVENTS else (USER_EVENTS, users)
        state, leaves = table[name]
        key = (target, state)
        if leaves:
            states[key] = name
        elif states.get(key):
            states[key] = None
            undone[name] += 1
        else:
            undone[f"{name} (nothing to undo)"] += 1
    if count:
        more = f"\n  … and {count - len(problems):,} more" if count > len(problems) else ""
        listing = "\n".join(f"  {p}" for p in problems)
        raise ComplianceError(f"{count:,} compliance events of the data cannot be applied:\n{listing}{more}")
    for (post, _), event in posts.items():
        if event is not None:
            removed_posts.setdefault(post, event)
    removed_users: dict[str, str] = {}
    for (user, _), event in users.items():
        if event is not None:
            removed_users.setdefault(user, event)
    actions = Actions(removed_posts=removed_posts, removed_users=removed_users, scrubbed_up_to=scrub_up_to)
    return Signals(actions, undone)


def _read(notice: ComplianceNotice) -> tuple[str, str, int | None]:
    """The event a native compliance event holds, the id it is about (a post's for a post event,
    else an account's) and, for ``scrub_geo``, the last post concerned."""
    name = event_name(notice)
    event: Any = getattr(notice, name)
    if isinstance(event, StatusEvent):
        return name, event.status.id_str, None
    if isinstance(event, ScrubGeo):
        return name, event.user_id_str, int(event.up_to_status_id_str)
    if isinstance(event, UserWithheld):
        return name, event.user.id_str, None
    assert isinstance(event, UserEvent)
    # Feeds give the account's number alone; a float is what JavaScript tooling made of it.
    return name, event.id_str if event.id_str is not UNSET else str(int(event.id)), None
