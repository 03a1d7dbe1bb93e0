"""What an X API v2 page yields per post: the post with everything it references resolved.

A v2 page keeps each referenced object once, in ``includes``, linked by id; a twarc2-flattened
line has them inlined. Both become the same :class:`Bundle`, so that a converter reads one
shape whatever the capture::

    tally = Tally()
    for bundle in posts_of(page, tally):        # a response page, a stream line, a single lookup
        ...
    bundle = bundle_of(flat_post, tally)        # one line of ``twarc2 flatten`` output

Nothing a page holds is rejected: a page without posts (``result_count`` 0), a line of
``errors`` only (a stream disconnect, a failed lookup), and references the includes lack
(deleted or protected objects, expansions not asked for) are counted in the :class:`Tally`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import msgspec
from msgspec import UNSET, UnsetType

from xformat.models.v2 import (
    V2FlatGeo,
    V2FlatMedia,
    V2FlatMention,
    V2FlatPoll,
    V2FlatPost,
    V2FlatReference,
    V2FlatUser,
    V2Includes,
    V2MatchingRule,
    V2Media,
    V2Mention,
    V2Page,
    V2Place,
    V2Poll,
    V2Post,
    V2StreamLine,
    V2Twarc,
    V2User,
)

RefType = Literal["retweeted", "quoted", "replied_to"]

# How deep referenced posts are resolved: a post, the posts it references, and theirs (the post
# quoted by a retweeted quote). Native embeds no deeper; a page that links further (or in a
# circle, which real data cannot but a broken file can) is cut there.
MAX_DEPTH = 2


class Reference(NamedTuple):
    """A post ``referenced_tweets`` names; ``bundle`` is None when the page did not include it."""

    type: RefType
    id: str
    bundle: Bundle | None


class Bundle(NamedTuple):
    """One post and what it references, as found in its page."""

    post: V2Post
    author: V2User | None
    """The user of ``author_id``; None when not asked for or not included."""
    in_reply_to_user: V2User | None
    mentions: Mapping[str, V2User]
    """Users of the mentions the page included, by lower-cased username."""
    media: tuple[V2Media | None, ...]
    """One per ``attachments.media_keys`` entry, in that order; None where not included."""
    poll: V2Poll | None
    """The poll of the last ``attachments.poll_ids`` entry (a post has one), as twarc2 inlines it."""
    place: V2Place | None
    """The place of ``geo.place_id``."""
    referenced: tuple[Reference, ...]
    """One per ``referenced_tweets`` entry, in that order."""
    matching_rules: tuple[V2MatchingRule, ...] | None
    """The stream rules the page says it matched (None: the page has no ``matching_rules``)."""
    twarc: V2Twarc | None
    """twarc2's ``__twarc`` of the page."""
    kept: dict[int, Any] | None = None
    """What converting one post of a page of several keeps for the others, which share the
    page's includes (each author's native form, by the ``id()`` of its ``V2User``): one table
    for the bundles of a page, empty until a converter fills it. None for a post alone (a
    stream line, a flattened post): nothing to share. Not part of what the post is."""
    unreferenced: bool = False
    """The page includes objects that none of its posts reaches (``_reaches_all``); said on its
    first post only. Not part of what the post is either."""


@dataclass
class Tally:
    """What a reader counts besides the posts: nothing a page holds goes unaccounted for."""

    lines: int = 0
    """Pages, stream lines and flattened lines read."""
    posts: int = 0
    """Bundles yielded."""
    empty: int = 0
    """Lines with neither posts nor errors (a page of 0 results)."""
    errors_only: int = 0
    """Lines with errors and no posts (stream disconnects, failed lookups)."""
    errors: int = 0
    """``errors`` entries, in any line."""
    missing: int = 0
    """References (author, posts, media, polls, places) the page did not include."""


class _Index:
    """A page's includes, by the keys posts use to name them; a group the page lacks shares the
    one empty table (read only). Built with plain loops: a comprehension is a call of its own,
    which costs more than filling a table of the few objects a stream line includes; the table
    by username only when a post of the page mentions someone."""

    __slots__ = ("_listed", "_usernames", "count", "kept", "media", "places", "polls", "tweets", "users")

    def __init__(self, includes: V2Includes | UnsetType) -> None:
        self.users = self.tweets = self.media = self.places = self.polls = _NONE
        self.kept: dict[int, Any] | None = None
        self._usernames: dict[str, V2User] | None = None
        self._listed: list[V2User] = []
        self.count = 0
        """The objects included, each id once."""
        if includes is UNSET:
            return
        listed = includes.users
        if listed:
            self._listed = listed
            self.users = users = {}
            for user in listed:
                users[user.id] = user
        if includes.tweets:
            self.tweets = tweets = {}
            for post in includes.tweets:
                tweets[post.id] = post
        if includes.media:
            self.media = media = {}
            for item in includes.media:
                media[item.media_key] = item
        if includes.places:
            self.places = places = {}
            for place in includes.places:
                places[place.id] = place
        if includes.polls:
            self.polls = polls = {}
            for poll in includes.polls:
                polls[poll.id] = poll
        self.count = len(self.users) + len(self.tweets) + len(self.media) + len(self.places) + len(self.polls)

    def usernames(self) -> dict[str, V2User]:
        """The included users by lower-cased username, built on first need."""
        table = self._usernames
        if table is None:
            table = self._usernames = {}
            for user in self._listed:
                table[user.username.lower()] = user
        return table


_NONE: dict[str, Any] = {}
# Builds a named tuple from its fields without calling its __new__, a Python function: a frame
# per bundle saved.
_new = tuple.__new__
_NOT_SEEN: frozenset[str] = frozenset()
_NONE_ID = id(None)


def posts_of(page: V2Page | V2StreamLine, tally: Tally | None = None) -> Iterator[Bundle]:
    """The posts of a page, stream line or single lookup, in ``data`` order."""
    yield from bundles_of(page, tally if tally is not None else Tally())


def bundles_of(page: V2Page | V2StreamLine, tally: Tally | None = None) -> list[Bundle]:
    """``posts_of`` as a list, built at once; without a ``tally``, nothing is counted."""
    data = page.data
    posts = [] if data is UNSET else data if isinstance(data, list) else [data]
    if tally is not None:
        tally.lines += 1
        errors = page.errors or ()
        tally.errors += len(errors)
        if not posts:
            if errors:
                tally.errors_only += 1
            else:
                tally.empty += 1
        tally.posts += len(posts)
    if not posts:
        return []
    index = _Index(page.includes)
    rules = None if page.matching_rules is UNSET else tuple(page.matching_rules)
    twarc = None if page.twarc is UNSET else page.twarc
    if len(posts) == 1:  # a stream line: no comprehension (a call) for one post
        bundles = [_resolved(posts[0], index, rules, twarc, tally, 0, _NOT_SEEN)]
    else:
        index.kept = {}  # posts that may share authors
        bundles = [_resolved(post, index, rules, twarc, tally, 0, _NOT_SEEN) for post in posts]
    if index.count and not _reaches_all(bundles, index):
        bundles[0] = bundles[0]._replace(unreferenced=True)
    return bundles


def _reaches_all(bundles: list[Bundle], index: _Index) -> bool:
    """Whether the posts of a page, with what they reference, reach every object of its
    includes. Those they do not (earlier versions of an edited post, a pinned post, posts
    referenced deeper than ``MAX_DEPTH``) reach no converted record: a loss to declare. Objects
    are told apart by identity (one per id in ``index``), gathered a bundle at a time in one C
    call: every stream line pays this."""
    tweets = index.tweets
    # A post of the page that the page includes too is not lost.
    reached = set(map(id, map(tweets.get, [bundle.post.id for bundle in bundles]))) if tweets else set()
    pending = bundles
    while pending:
        inner = []
        for bundle in pending:
            objects = (bundle.author, bundle.in_reply_to_user, bundle.poll, bundle.place, *bundle.media)
            reached.update(map(id, objects), map(id, bundle.mentions.values()))
            for ref in bundle.referenced:
                if ref.bundle is not None:
                    inner.append(ref.bundle)
                    reached.add(id(ref.bundle.post))
        pending = inner
    reached.discard(_NONE_ID)
    return len(reached) >= index.count


def _resolved(
    post: V2Post,
    index: _Index,
    rules: tuple[V2MatchingRule, ...] | None,
    twarc: V2Twarc | None,
    tally: Tally | None,
    depth: int,
    seen: frozenset[str],
) -> Bundle:
    missing = 0
    users = index.users
    author = None
    if post.author_id is not UNSET:
        author = users.get(post.author_id)
        if author is None:
            missing += 1
    reply_user = None if post.in_reply_to_user_id is UNSET else users.get(post.in_reply_to_user_id)
    media: tuple[V2Media | None, ...] = ()
    poll = None
    attachments = post.attachments
    if attachments is not UNSET:
        if attachments.media_keys:
            media = tuple(map(index.media.get, attachments.media_keys))
            missing += media.count(None)
        if attachments.poll_ids:
            poll = index.polls.get(attachments.poll_ids[-1])
            if poll is None:
                missing += 1
    place = None
    geo = post.geo
    if geo is not UNSET and geo.place_id is not UNSET:
        place = index.places.get(geo.place_id)
        if place is None:
            missing += 1
    mentions: dict[str, V2User] = {}
    if users:
        entities = post.entities
        if entities is not UNSET and entities.mentions:
            _mentioned(entities.mentions, index, mentions)
        note = post.note_tweet
        if note is not UNSET and note.entities is not UNSET and note.entities.mentions:
            _mentioned(note.entities.mentions, index, mentions)
    referenced: tuple[Reference, ...] = ()
    if post.referenced_tweets:
        found = []
        inner_seen = seen | {post.id}
        for ref in post.referenced_tweets:
            target = index.tweets.get(ref.id) if depth < MAX_DEPTH and ref.id not in inner_seen else None
            bundle = None
            if target is not None:
                bundle = _resolved(target, index, None, None, tally, depth + 1, inner_seen)
            elif ref.type != "replied_to":  # a reply's parent is rarely asked for
                missing += 1
            found.append(_new(Reference, (ref.type, ref.id, bundle)))
        referenced = tuple(found)
    if missing and tally is not None:
        tally.missing += missing
    fields = (post, author, reply_user, mentions, media, poll, place, referenced, rules, twarc, index.kept, False)
    return _new(Bundle, fields)


def _mentioned(mentioned: list[V2Mention], index: _Index, into: dict[str, V2User]) -> None:
    """The included users of ``mentioned`` into ``into``, by lower-cased username."""
    usernames = index.usernames()
    for mention in mentioned:
        user = usernames.get(mention.username.lower())
        if user is not None:
            into[user.username.lower()] = user


# --- twarc2-flattened posts -------------------------------------------------------------------


def bundle_of(flat: V2FlatPost, tally: Tally | None = None) -> Bundle:
    """The bundle of one ``twarc2 flatten`` line: the same as its page's :func:`posts_of` gives."""
    tally = tally if tally is not None else Tally()
    tally.lines += 1
    tally.posts += 1
    rules = None if flat.matching_rules is UNSET else tuple(flat.matching_rules)
    twarc = None if flat.twarc is UNSET else flat.twarc
    return _unflattened(flat, rules, twarc, tally, depth=0)


# Members twarc adds to a post, and those of a merged user that a mention does not have.
_INLINED = ("author", "in_reply_to_user", "matching_rules", "__twarc", "type")
_MENTION = ("start", "end", "username", "id")
_GEO = ("place_id", "coordinates")
_NOT_USER = ("pinned_tweet", "start", "end")
"""Members of an inlined user that are not the user's: the post twarc2 inlined for its
``pinned_tweet_id``, and a mention's offsets."""
_MODELS = (("users", V2User), ("tweets", V2Post), ("media", V2Media), ("places", V2Place), ("polls", V2Poll))
_REQUIRED = {
    group: frozenset(field.encode_name for field in msgspec.structs.fields(model) if field.required)
    for group, model in _MODELS
}
"""What an inlined object needs to be one of a page's includes, as the models require it: ``{}``
(an object the page lacked), a referenced post that is only ``type`` and ``id`` are none."""


def unflattened(flat: dict[str, Any]) -> dict[str, Any]:
    """A ``twarc2 flatten`` line (parsed; taken apart) in the form of the stream line it came
    from: the post without what twarc2 inlined in ``data``; the inlined objects in ``includes``
    by group, in the order met, as often as twarc2 inlined them (an author it mentions comes
    twice); the page's ``matching_rules`` and ``__twarc`` beside them. Values are the line's own:
    nothing goes through the models."""
    envelope: dict[str, Any] = {key: flat[key] for key in ("matching_rules", "__twarc") if key in flat}
    found: dict[str, list[Any]] = {}
    line: dict[str, Any] = {"data": _alone(flat, found)}
    if found:
        line["includes"] = found
    line.update(envelope)
    return line


def _alone(data: dict[str, Any], found: dict[str, list[Any]] | None = None) -> dict[str, Any]:
    """``data``, a flattened post (parsed), without what twarc2 inlined into it, in place: the
    post as its page held it. ``found``, when given, takes the inlined objects (``unflattened``)."""
    if found is not None:
        _take(found, "users", data.get("author"))
        _take(found, "users", data.get("in_reply_to_user"))
    for key in _INLINED:
        data.pop(key, None)
    attachments = data.get("attachments", {})
    media = attachments.pop("media", None)
    poll = attachments.pop("poll", None)
    if "geo" in data:
        geo = data["geo"]
        data["geo"] = {key: value for key, value in geo.items() if key in _GEO}
        if found is not None:
            _take(found, "places", {key: value for key, value in geo.items() if key not in _GEO})
    for holder in (data, data.get("note_tweet", {})):
        entities = holder.get("entities", {})
        if "mentions" in entities:
            if found is not None:
                for mention in entities["mentions"]:
                    _take(found, "users", mention)
            entities["mentions"] = [{k: v for k, v in m.items() if k in _MENTION} for m in entities["mentions"]]
    if "referenced_tweets" in data:
        if found is not None:
            for ref in data["referenced_tweets"]:
                _take(found, "tweets", ref)
        data["referenced_tweets"] = [{"type": r["type"], "id": r["id"]} for r in data["referenced_tweets"]]
    if found is not None:
        for item in media or ():
            _take(found, "media", item)
        _take(found, "polls", poll)
    return data


def _take(found: dict[str, list[Any]], group: str, item: Any) -> None:
    """An inlined object into ``found``, as its page included it, when it is one (``_REQUIRED``);
    a post and a user may hold more inlined objects (a referenced post its author, a user its
    pinned post), which ``found`` takes too."""
    if not isinstance(item, dict) or not _REQUIRED[group] <= item.keys():
        return
    if group == "tweets":
        item = _alone(dict(item), found)  # a copy: its type and id stay the referencing post's
    elif group == "users":
        _take(found, "tweets", item.get("pinned_tweet"))
        item = {key: value for key, value in item.items() if key not in _NOT_USER}
    found.setdefault(group, []).append(item)


def _unflattened(
    flat: V2FlatPost | V2FlatReference,
    rules: tuple[V2MatchingRule, ...] | None,
    twarc: V2Twarc | None,
    tally: Tally,
    *,
    depth: int,
) -> Bundle:
    data = _alone(msgspec.to_builtins(flat))
    post = msgspec.convert(data, V2Post)

    author = _user(flat.author)
    if post.author_id is not UNSET and author is None:
        tally.missing += 1
    flat_attachments = flat.attachments
    media: tuple[V2Media | None, ...] = ()
    poll = None
    if flat_attachments is not UNSET:
        media = tuple(_media(item) for item in flat_attachments.media or [])
        tally.missing += sum(item is None for item in media)
        if flat_attachments.poll_ids:
            poll = _poll(flat_attachments.poll)
            tally.missing += poll is None
    place = None
    if flat.geo is not UNSET and flat.geo.place_id is not UNSET:
        place = _place(flat.geo)
        tally.missing += place is None
    mentions: dict[str, V2User] = {}
    for entities in (flat.entities, UNSET if flat.note_tweet is UNSET else flat.note_tweet.entities):
        for mention in (entities.mentions or []) if entities is not UNSET else []:
            user = _user(mention)
            if user is not None:
                mentions[user.username.lower()] = user
    referenced = []
    for ref in flat.referenced_tweets or []:
        bundle = None
        if ref.text is not UNSET and depth < MAX_DEPTH:
            bundle = _unflattened(ref, None, None, tally, depth=depth + 1)
        elif ref.type != "replied_to":
            tally.missing += 1
        referenced.append(Reference(ref.type, ref.id, bundle))
    return Bundle(
        post=post,
        author=author,
        in_reply_to_user=_user(flat.in_reply_to_user),
        mentions=mentions,
        media=media,
        poll=poll,
        place=place,
        referenced=tuple(referenced),
        matching_rules=rules,
        twarc=twarc,
    )


def _user(flat: V2FlatUser | V2FlatMention | UnsetType) -> V2User | None:
    """The user twarc inlined, or None for ``{}`` (and for a mention it found no user for)."""
    if flat is UNSET or flat.id is UNSET or flat.name is UNSET or flat.username is UNSET:
        return None
    data = msgspec.to_builtins(flat)
    for key in ("pinned_tweet", "start", "end"):
        data.pop(key, None)
    return msgspec.convert(data, V2User)


def _media(flat: V2FlatMedia) -> V2Media | None:
    if flat.media_key is UNSET or flat.type is UNSET:
        return None
    return msgspec.convert(msgspec.to_builtins(flat), V2Media)


def _poll(flat: V2FlatPoll | UnsetType) -> V2Poll | None:
    if flat is UNSET or flat.id is UNSET or flat.options is UNSET:
        return None
    return msgspec.convert(msgspec.to_builtins(flat), V2Poll)


def _place(flat: V2FlatGeo) -> V2Place | None:
    if flat.id is UNSET or flat.full_name is UNSET:
        return None
    data = {key: value for key, value in msgspec.to_builtins(flat).items() if key not in _GEO}
    return msgspec.convert(data, V2Place)


# --- what a post references, untyped ----------------------------------------------------------


def referenced_keys(post: Any, includes: Mapping[str, Any]) -> dict[str, set[Any]]:
    """The keys (``id``; ``media_key`` for media) of the objects of a page's ``includes`` that
    ``post`` references, as ``posts_of`` resolves them (two levels of referenced posts), by group.
    Reads parsed JSON as it is (a lossless conversion keeps each post's own objects)."""
    def listed(group: str) -> list[Any]:
        items = includes.get(group)
        return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []

    tweets = {item.get("id"): item for item in listed("tweets")}
    by_username = {
        item["username"].lower(): item.get("id") for item in listed("users") if isinstance(item.get("username"), str)
    }
    wanted: dict[str, set[Any]] = {group: set() for group in ("users", "tweets", "media", "places", "polls")}

    def visit(item: Any, depth: int, seen: frozenset[Any]) -> None:
        if not isinstance(item, dict):
            return
        wanted["users"].update(item[key] for key in ("author_id", "in_reply_to_user_id") if key in item)
        for holder in (item, item.get("note_tweet")):
            entities = holder.get("entities") if isinstance(holder, dict) else None
            mentions = entities.get("mentions") if isinstance(entities, dict) else None
            for mention in mentions if isinstance(mentions, list) else ():
                if isinstance(mention, dict) and isinstance(mention.get("username"), str):
                    wanted["users"].add(by_username.get(mention["username"].lower()))
        attachments = item.get("attachments")
        if isinstance(attachments, dict):
            wanted["media"].update(_listed(attachments.get("media_keys")))
            wanted["polls"].update(_listed(attachments.get("poll_ids"))[-1:])
        geo = item.get("geo")
        if isinstance(geo, dict) and "place_id" in geo:
            wanted["places"].add(geo["place_id"])
        inner = seen | {item.get("id")}
        for ref in _listed(item.get("referenced_tweets")):
            ref_id = ref.get("id") if isinstance(ref, dict) else None
            if depth < MAX_DEPTH and ref_id in tweets and ref_id not in inner:
                wanted["tweets"].add(ref_id)
                visit(tweets[ref_id], depth + 1, inner)

    visit(post, 0, frozenset())
    return wanted


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
