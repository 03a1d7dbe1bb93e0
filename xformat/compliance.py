"""Keeping a data set compliant: id lists for compliance jobs, and the jobs' results applied.

>>> actions = load_results(open("results.jsonl", "rb")).merge(load_results(user_lines, users=True))
>>> signals = data_actions(iter_records(names))       # xformat.compliance_events
>>> actions = actions.merge(signals.actions)
>>> report = Report(undone=signals.undone)
>>> for line in apply(iter_records(names), actions, report): out.write(line + b"\\n")

A compliance job returns one JSON object a line for the ids that need action::

    {"id": "…", "action": "delete", "created_at": "…", "redacted_at": "…", "reason": "deleted"}

``reason`` names the event (``scrub_geo`` may stand in ``action`` instead). What ``apply`` does:

- ``deleted``, ``deactivated``, ``suspended``, ``protected``: the post (a user job: every post
  of that user) leaves the data set, and so does a Retweet of it, which is nothing but its copy.
  A quote of it stays but loses the embedded copy: native drops ``quoted_status`` and keeps
  ``quoted_status_id_str`` and ``is_quote_status`` (a quote whose original is unavailable looks
  just so); an activity drops ``twitter_quoted_status`` and the ``gnip.urls`` entries of the
  copy's own URLs.
- ``scrub_geo``: the post (every post of the user) loses its geo fields wherever it stands,
  embedded originals included: native ``coordinates``, ``geo`` and ``place`` become null; an
  activity loses ``geo`` and ``location``. The author's profile location is not a post's geo.
- A deletion notice or a compliance event in the data (``xformat.compliance_events``) is
  applied as a result would be: ``user_delete`` removes that account's posts, ``scrub_geo``
  scrubs its posts up to the one it names, ...

Records stay byte-faithful: one that needs nothing is written as it was read; one that does is
edited as untyped JSON, so every other member survives, unknown ones included. A lossless patch
(``xformat_lossless``) loses the entries that would restore what was removed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import msgspec

from xformat import formats
from xformat.convert.lossless import MEMBER as LOSSLESS_MEMBER
from xformat.decoding import Decoded, decode
from xformat.errors import ComplianceError, RecordError, XFormatError, too_deep
from xformat.formats import Format
from xformat.formats.native import EVENTS
from xformat.ids import RETWEETED, MemberPath, PostModel, author_id, post_id, posts_in
from xformat.models import InfoNotice
from xformat.raw import record_json
from xformat.records import Record, open_input, read_errors, shown_name
from xformat.wording import count, decode_reason

__all__ = [
    "ACTIONS",
    "DELETION_NOTICE",
    "REASONS",
    "REMOVALS",
    "RETWEET_OF_REMOVED",
    "SCRUB_GEO",
    "Actions",
    "IdList",
    "Report",
    "Result",
    "apply",
    "collect_ids",
    "load_results",
    "read_results",
]

REMOVALS = ("deleted", "deactivated", "suspended", "protected")
SCRUB_GEO = "scrub_geo"
REASONS = (*REMOVALS, SCRUB_GEO)
ACTIONS = ("delete", SCRUB_GEO)
DELETION_NOTICE = "deletion_notice"
"""Why a post left that a deletion notice in the data names."""
RETWEET_OF_REMOVED = "retweet_of_removed"
"""Why a Retweet left whose original was removed."""
SHOWN = 20
"""Problems an error message lists; the rest are counted."""

_ID = re.compile(r"[0-9]{1,20}")
_GEO_MEMBERS = frozenset(name for fmt in formats.FORMATS for name in fmt.geo)
# What an embedded post is to the record, whatever the format: lossless patches are written in
# the source format, so their paths are matched by role, not by member name.
_ROLES = {member: role for fmt in formats.FORMATS for member, role in fmt.roles.items()}
class Result(msgspec.Struct):
    """One line of a compliance job's results; members not named here are ignored."""

    id: str
    action: str | None = None
    reason: str | None = None


_RESULT = msgspec.json.Decoder(Result)


@dataclass(frozen=True)
class Actions:
    """What must happen to which ids. A removal wins over a scrub of the same post."""

    removed_posts: Mapping[str, str] = field(default_factory=dict)
    """Post id -> why it leaves."""
    removed_users: Mapping[str, str] = field(default_factory=dict)
    """User id -> why every post of theirs leaves."""
    scrubbed_posts: frozenset[str] = frozenset()
    scrubbed_users: frozenset[str] = frozenset()
    scrubbed_up_to: Mapping[str, int] = field(default_factory=dict)
    """User id -> the last of their posts (by id) whose geo goes: a ``scrub_geo`` event's."""

    def merge(self, other: Actions) -> Actions:
        """Both sets of actions; an id both remove keeps the reason this one gives."""
        up_to = dict(other.scrubbed_up_to)
        for user, last in self.scrubbed_up_to.items():
            up_to[user] = max(last, up_to.get(user, last))
        return Actions(
            {**other.removed_posts, **self.removed_posts},
            {**other.removed_users, **self.removed_users},
            self.scrubbed_posts | other.scrubbed_posts,
            self.scrubbed_users | other.scrubbed_users,
            up_to,
        )

    def removal(self, post: PostModel) -> str | None:
        """Why ``post`` must leave, or None."""
        user_id = author_id(post)
        return self.removed_posts.get(post_id(post)) or (None if user_id is None else self.removed_users.get(user_id))

    def scrubs(self, post: PostModel) -> bool:
        pid, user = post_id(post), author_id(post)
        if pid in self.scrubbed_posts or user in self.scrubbed_users:
            return True
        up_to = None if user is None else self.scrubbed_up_to.get(user)
        return up_to is not None and int(pid) <= up_to


def load_results(lines: Iterable[bytes | str], *, users: bool = False, source: str = "results") -> Actions:
    """The actions a compliance job's result lines ask for; ``users`` for a user job's.

    Raises ``ComplianceError`` listing every malformed line as ``source:line: reason``: results
    are applied whole or not at all.
    """
    removed: dict[str, str] = {}
    scrubbed: set[str] = set()
    problems = _Problems()
    for number, line in enumerate(lines, 1):
        try:
            raw = record_json(line)
            if not raw.strip():
                continue
            result = _RESULT.decode(raw)
            event = _event(result)
        except msgspec.ValidationError as exc:  # said as the decode of records says it
            reason, _, at = str(exc).partition(" - at `")
            problems.add(f"{source}:{number}: {decode_reason(reason)}" + (f" (at {at.rstrip('`')})" if at else ""))
            continue
        except (msgspec.DecodeError, ValueError, XFormatError) as exc:
            problems.add(f"{source}:{number}: {exc}")
            continue
        except RecursionError:
            problems.add(f"{source}:{number}: {too_deep(raw)}")
            continue
        if event == SCRUB_GEO:
            scrubbed.add(result.id)
        else:
            removed.setdefault(result.id, event)
    if problems.count:
        raise ComplianceError(problems.listing(f"{count(problems.count, 'malformed result line')}; nothing applied"))
    scrubs = frozenset(scrubbed.difference(removed))
    if users:
        return Actions(removed_users=removed, scrubbed_users=scrubs)
    return Actions(removed_posts=removed, scrubbed_posts=scrubs)


def read_results(name: str, *, users: bool = False) -> Actions:
    """The actions of a results file (``-`` for stdin; compressed or not), read to its end before
    any is applied. Raises ``ComplianceError`` for a file that cannot be read whole (truncated,
    corrupt), as for malformed lines: part of the results applied would look like all of them."""
    source = shown_name(name)
    try:
        with open_input(name) as lines:
            return load_results(lines, users=users, source=source)
    except read_errors() as exc:  # evaluated once raised: with the decompressor that read
        raise ComplianceError(f"{source}: cannot read the results to their end ({exc}); nothing applied") from None


def _event(result: Result) -> str:
    if not _ID.fullmatch(result.id):
        raise ValueError(f"id {result.id!r} is not a decimal id")
    if result.action not in (None, *ACTIONS):
        raise ValueError(f"unknown action {result.action!r} (expected {' or '.join(ACTIONS)})")
    if result.reason is not None:
        if result.reason not in REASONS:
            raise ValueError(f"unknown reason {result.reason!r} (expected one of {', '.join(REASONS)})")
        return result.reason
    if result.action == SCRUB_GEO:
        return SCRUB_GEO
    raise ValueError(f"no reason (expected one of {', '.join(REASONS)})")


class IdList(NamedTuple):
    ids: list[str]
    """De-duplicated, in first-seen order."""
    posts: int
    """Post records read."""
    deletions: int
    """Deletion notices read: the posts they name are not content of the data set, so left out."""


def collect_ids(records: Iterable[Record], *, users: bool = False, embedded: bool = False) -> IdList:
    """Post ids (author ids with ``users``) of the posts in ``records``; ``embedded`` adds those
    of quoted and retweeted posts. Raises ``ComplianceError`` listing records that cannot be
    decoded, once all others are read: a post whose id is missing would escape compliance."""
    seen: dict[str, None] = {}  # a dict keeps first-seen order
    posts = deletions = 0
    for _, decoded in _decoded(records):
        if decoded is None:
            continue
        fmt = formats.get(decoded.format)
        kind = fmt.kinds[decoded.kind]
        if kind.name == "delete":
            deletions += 1
        elif kind.holds_posts:
            posts += len(fmt.pieces(decoded.value).posts) if kind.many else 1
            for key in fmt.ids(decoded.value, users=users, embedded=embedded):
                seen.setdefault(key, None)
    return IdList(list(seen), posts, deletions)


@dataclass
class Report:
    """What ``apply`` did: ``read = kept + sum(removed) + deletions + events + info + system +
    non_posts + keepalives``, where an X API v2 page (one record read, counted in ``pages``) counts as the
    posts it holds, each kept or removed."""

    read: int = 0
    pages: int = 0
    """X API v2 pages and stream lines read: records of any number of posts."""
    kept: int = 0
    """Posts written, edited or not."""
    removed: Counter[str] = field(default_factory=Counter)
    """Posts left out, by reason: a result's, ``deletion_notice``, an event of the data
    (``user_delete``...) or ``retweet_of_removed``."""
    scrubbed: int = 0
    """Of ``kept``: posts that lost geo fields (their own or an embedded original's)."""
    copies_removed: int = 0
    """Embedded copies of removed posts dropped from quotes that stay."""
    deletions: int = 0
    """Deletion notices, written as they were."""
    events: int = 0
    """Compliance events, written as they were."""
    info: int = 0
    system: int = 0
    """Warnings and errors of a stream, written as they were."""
    non_posts: int = 0
    """Known records of no post (X API v2 lines of errors only, batch compliance jobs and
    results), written as they were."""
    keepalives: int = 0
    """Blank keep-alive lines: not written."""
    posts_not_in_data: int = 0
    """Post ids of the results that no post of the data has: nothing to do."""
    users_not_in_data: int = 0
    """User ids of the results that author no post of the data."""
    undone: Counter[str] = field(default_factory=Counter)
    """Undo events of the data (``user_undelete``...), as ``compliance_events.data_actions`` counted them."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "v2_pages": self.pages,
            "kept": self.kept,
            "removed": sum(self.removed.values()),
            "removed_by_reason": dict(sorted(self.removed.items())),
            "scrubbed": self.scrubbed,
            "embedded_copies_removed": self.copies_removed,
            "deletion_notices": self.deletions,
            "compliance_events": self.events,
            "info": self.info,
            "system_messages": self.system,
            "non_posts": self.non_posts,
            "keepalives": self.keepalives,
            "results_not_in_data": {"posts": self.posts_not_in_data, "users": self.users_not_in_data},
            "undo_events": dict(sorted(self.undone.items())),
        }

    def text(self) -> str:
        lines = [
            f"read {count(self.read, 'record')}: {count(self.kept, 'post')} kept, "
            f"{sum(self.removed.values()):,} removed, {count(self.deletions, 'deletion notice')}"
            + (f", {count(self.events, 'compliance event')}" if self.events else "")
            + " (passed through), "
            f"{count(self.info, 'info line')}, "
            + (f"{count(self.system, 'system message')}, " if self.system else "")
            + (f"{count(self.non_posts, 'record')} of no post, " if self.non_posts else "")
            + count(self.keepalives, "keep-alive")
        ]
        if self.removed:
            reasons = ", ".join(f"{_label(why)} {n:,}" for why, n in sorted(self.removed.items()))
            lines.append(f"removed: {reasons}")
        lines.append(
            f"kept: {self.scrubbed} scrubbed of geo, {self.copies_removed} without the embedded copy of a removed post"
        )
        lines.append(
            f"results not in the data: {count(self.posts_not_in_data, 'post id')}, "
            f"{count(self.users_not_in_data, 'user id')}"
        )
        if self.undone:
            undone = ", ".join(f"{name} {n:,}" for name, n in sorted(self.undone.items()))
            lines.append(f"undo events in the data: {undone}")
        return "\n".join(lines) + "\n"


_LABELS = {DELETION_NOTICE: "by a deletion notice in the data", RETWEET_OF_REMOVED: "Retweet of a removed post"}


def _label(why: str) -> str:
    """How the report names a reason: a result's as it is, the data's own signals in words."""
    return _LABELS.get(why) or (f"by a {why} event in the data" if why in EVENTS else why)


def apply(records: Iterable[Record], actions: Actions, report: Report) -> Iterator[bytes]:
    """The records that stay, each one JSON line (no newline), counted in ``report``.

    Deletion notices, compliance events and system messages pass through (an info line with its
    ``activity_count`` brought up to date). For the data's own notices and events to be applied
    wherever the posts they name stand, merge ``compliance_events.data_actions`` of the same
    records into ``actions`` first. Raises ``ComplianceError`` after the last record when some
    could not be decoded (listing them): the caller must then discard what it wrote.
    """
    # The ids of the results (not of the data's own notices and events) that the data may lack.
    wanted_posts = {i for i, why in actions.removed_posts.items() if why != DELETION_NOTICE and why not in EVENTS}
    wanted_posts |= actions.scrubbed_posts
    wanted_users = {i for i, why in actions.removed_users.items() if why not in EVENTS} | actions.scrubbed_users
    found_posts: set[str] = set()
    found_users: set[str] = set()
    source, written = None, 0  # activities written from ``source`` since its start or its last info line
    for record, decoded in _decoded(records):
        report.read += 1
        if record.source != source:
            source, written = record.source, 0
        if decoded is None:
            report.keepalives += 1
            continue
        value = decoded.value
        fmt = formats.get(decoded.format)
        kind = fmt.kinds[decoded.kind]
        if kind.many:
            report.pages += 1
            report.read += len(fmt.pieces(value).posts) - 1
        if kind.holds_posts:
            held = list(fmt.held(value))
            found_posts.update(p for post in held if (p := post_id(post)) in wanted_posts)
            found_users.update(u for post in held if (u := author_id(post)) in wanted_users)
            line = fmt.comply(record.raw, value, actions, report)
            if line is None:
                continue
            written += 1
        elif decoded.kind in ("delete", "compliance"):
            if decoded.kind == "delete":
                report.deletions += 1
            else:
                report.events += 1
            line = record.raw
            written += 1
        elif isinstance(value, InfoNotice):
            report.info += 1
            line = _recounted(record.raw, value, written)
            written = 0
        elif kind.name in ("warn", "error"):  # a stream's warning or error
            report.system += 1
            line = record.raw
        else:  # a record of no post (X API v2 errors only, compliance jobs)
            report.non_posts += 1
            line = record.raw
        yield _one_line(line)
    report.posts_not_in_data = len(wanted_posts - found_posts)
    report.users_not_in_data = len(wanted_users - found_users)


def comply_post(raw: bytes, fmt: Format, post: PostModel, actions: Actions, report: Report) -> bytes | None:
    """A record of one post (and the posts copied into it) as it may stay, or None if it must leave."""
    posts = list(posts_in(post))
    drops: set[MemberPath] = set()
    scrubs: list[MemberPath] = []
    for path, post in posts:
        why = actions.removal(post)
        if why is not None:
            gone = _leaves_with(path)
            if not gone:
                report.removed[RETWEET_OF_REMOVED if path else why] += 1
                return None
            drops.add(gone)
        elif actions.scrubs(post):
            scrubs.append(path)
    report.kept += 1
    drops = {p for p in drops if not any(_within(p, q) and p != q for q in drops)}
    scrubs = [p for p in scrubs if not any(_within(p, q) for q in drops)]
    if not drops and not scrubs:
        return raw
    data = msgspec.json.decode(raw)
    for path in sorted(drops):
        _drop_copy(data, path)
    _trim_patch(data, drops, geo_only=False)
    # A list, not any(): every post is scrubbed, not only up to the first that changed.
    scrub = fmt.scrub_geo
    scrubbed = any([scrub(_at(data, path)) for path in scrubs])
    scrubbed = _trim_patch(data, scrubs, geo_only=True) or scrubbed
    report.copies_removed += len(drops)
    if scrubbed:
        report.scrubbed += 1
    if not drops and not scrubbed:
        return raw  # the geo fields were already empty
    return msgspec.json.encode(data)


def _recounted(raw: bytes, notice: InfoNotice, written: int) -> bytes:
    """A Historical PowerTrack info line whose ``activity_count`` says how many activities the
    output holds of those it closes (the activities of its file written since the file's start or
    its previous info line: files joined end to end each keep their own). Edited only when the
    count changes, as other records are."""
    if notice.info.activity_count in (msgspec.UNSET, written):
        return raw
    data = msgspec.json.decode(raw)
    data["info"]["activity_count"] = written
    return msgspec.json.encode(data)


def _leaves_with(path: MemberPath) -> MemberPath:
    """The post that leaves with the removed post at ``path``: a Retweet goes with its original."""
    while path and path[-1] in RETWEETED:
        path = path[:-1]
    return path


def _within(path: Sequence[Any], outer: Sequence[Any]) -> bool:
    return tuple(path[: len(outer)]) == tuple(outer)


def _at(data: Any, path: MemberPath) -> Any:
    for member in path:
        data = data[member]
    return data


def _drop_copy(data: dict[str, Any], path: MemberPath) -> None:
    copy = _at(data, path[:-1]).pop(path[-1])
    gnip = data.get("gnip")
    if isinstance(gnip, dict) and isinstance(gnip.get("urls"), list):
        # gnip.urls unwinds the quoted post's URLs too: those only the copy had go with it.
        only_copy = _urls(copy) - _urls({k: v for k, v in data.items() if k != "gnip"})
        gnip["urls"] = [u for u in gnip["urls"] if not (isinstance(u, dict) and u.get("url") in only_copy)]


def _urls(node: Any) -> set[str]:
    """The t.co ``url`` of every URL entity under ``node`` (walked without recursion: a record
    may nest deeper than Python's stack, though not deeper than the decode could read)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "urls" and isinstance(value, list):
                    found.update(u["url"] for u in value if isinstance(u, dict) and isinstance(u.get("url"), str))
                else:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _trim_patch(data: dict[str, Any], paths: Iterable[MemberPath], *, geo_only: bool) -> bool:
    """Drops the lossless patch entries that would restore the posts at ``paths`` (their geo
    fields only, with ``geo_only``); whether any was dropped."""
    member = data.get(LOSSLESS_MEMBER)
    targets = [_roles(path)[0] for path in paths]
    if not isinstance(member, dict) or not targets:
        return False

    def restores(entry_path: list[Any]) -> bool:
        roles, rest = _roles(entry_path)
        for target in targets:
            if not rest and _within(target, roles):
                return True  # the entry's value holds the whole post
            if geo_only and roles == target and bool(rest) and rest[0] in _GEO_MEMBERS:
                return True
            if not geo_only and _within(roles, target):
                return True
        return False

    sets = [entry for entry in member.get("set", []) if not restores(entry[0])]
    unsets = [path for path in member.get("unset", []) if not restores(path)]
    dropped = len(sets) < len(member.get("set", [])) or len(unsets) < len(member.get("unset", []))
    member["set"], member["unset"] = sets, unsets
    return dropped


def _roles(path: Sequence[Any]) -> tuple[tuple[str, ...], list[Any]]:
    """The roles of the embedded posts a path leads through, and the rest of the path."""
    roles = []
    for step in path:
        role = _ROLES.get(step) if isinstance(step, str) else None
        if role is None:
            break
        roles.append(role)
    return tuple(roles), list(path[len(roles) :])


def _one_line(raw: bytes) -> bytes:
    """The record on one line: elements of a pretty-printed JSON array span several."""
    return raw if b"\n" not in raw and b"\r" not in raw else msgspec.json.format(raw, indent=0)


def _decoded(records: Iterable[Record]) -> Iterator[tuple[Record, Decoded | None]]:
    """Each record with its decoding (None for a keep-alive line).

    Records that cannot be read or decoded are not yielded: once all others are, ``ComplianceError``
    lists them, since an id list or compliance output that silently missed a post is not compliant.
    """
    problems = _Problems()
    for record in records:
        if record.error is not None:
            problems.add(f"{record.where}: {record.error}")
            continue
        if not record.raw:
            yield record, None
            continue
        try:
            decoded = decode(record.raw)
        except RecordError as err:
            problems.add(f"{record.where}: {err}")
            continue
        yield record, decoded
    if problems.count:
        raise ComplianceError(problems.listing(f"{count(problems.count, 'input record')} could not be decoded"))


class _Problems:
    """The first ``SHOWN`` problems, and how many there were: millions of bad records must not
    be held to say so."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.count = 0

    def add(self, problem: str) -> None:
        self.count += 1
        if len(self.shown) < SHOWN:
            self.shown.append(problem)

    def listing(self, head: str) -> str:
        lines = [f"{head}:", *(f"  {p}" for p in self.shown)]
        if self.count > SHOWN:
            lines.append(f"  … and {self.count - SHOWN:,} more")
        return "\n".join(lines)
