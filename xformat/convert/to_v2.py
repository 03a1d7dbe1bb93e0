"""Enriched Native -> X API v2 (the contract is docs/MAPPING-v2.md).

``post_to_v2`` turns a native ``Post`` into the v2 filtered-stream line twarc2 tools read: the
post as ``data``, what it references in ``includes`` (its author, the retweeted or quoted post
and their authors, the mentioned accounts, media, place, poll), and ``matching_rules`` when the
post has them. It appends to ``losses`` the codes (``losses_v2.py``, direction ``to_v2``) of
what the native post held that the line cannot, or holds in a form that comes back otherwise.
"""

from __future__ import annotations

import re
from math import gcd
from typing import Any, Literal, NamedTuple

from msgspec import UNSET, UnsetType, structs

from xformat.convert.from_v2 import media_key_prefix, place_url, polygon_of, thumbnail
from xformat.convert.links import http_variant
from xformat.convert.timefmt import millis_to_iso, native_to_iso
from xformat.convert.to_activity import holds_entities, place_id_from_url
from xformat.errors import RecordError
from xformat.formats.v2 import key_of, post_lines, unreferenced
from xformat.models.common import Annotations, Entities, ExtendedEntities, Media, Poll, UrlEntity
from xformat.models.native import ComplianceNotice, DeleteNotice, Place, Post, UrlList, User, UserEntities
from xformat.models.v2 import (
    V2Annotation,
    V2Attachments,
    V2ContextAnnotation,
    V2ContextItem,
    V2EditControls,
    V2Entities,
    V2Geo,
    V2Includes,
    V2MatchingRule,
    V2Media,
    V2Mention,
    V2NoteTweet,
    V2Place,
    V2PlaceGeo,
    V2Poll,
    V2PollOption,
    V2Post,
    V2PublicMetrics,
    V2ReferencedTweet,
    V2StreamLine,
    V2Tag,
    V2Url,
    V2User,
    V2UserEntities,
    V2UserMetrics,
    V2UserUrls,
    V2UserWithheld,
    V2Variant,
    V2Withheld,
)

MAX_WEIGHTED_LENGTH = 280
"""Longer posts are v2 long posts (``note_tweet``); up to it, the whole text is ``text``."""
URL_WEIGHT = 23
# twitter-text (v3) counts the code points of 0-4351, 8192-8205, 8208-8223 and 8242-8247 1 and
# every other (this class) 2: a 280 limit is 140 CJK characters.
_HEAVY = re.compile(r"[^\u0000-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")
_SCOPES: dict[str, Literal["tweet", "user"]] = {"status": "tweet", "user": "user"}


def notice_to_v2(notice: DeleteNotice | ComplianceNotice, losses: list[str]) -> None:
    """A deletion notice or compliance event has no v2 stream form: v2 streams carry posts only
    (X gives compliance on endpoints of its own). Nothing is written; the loss says so."""
    losses.append("no_v2_form")


def post_to_v2(post: Post, losses: list[str]) -> V2StreamLine:
    includes = _Includes()
    data = _post(post, includes, losses, top=True, quoted=False)
    return V2StreamLine(data=data, includes=includes.built(losses), matching_rules=_rules(post, losses))


def paged(line: V2StreamLine, losses: list[str]) -> V2StreamLine:
    """A post's line as a response page holds it (``convert --v2-pages``): without
    ``matching_rules``, which search and lookup pages never carry."""
    if line.matching_rules is UNSET:
        return line
    if line.matching_rules:
        losses.append("paged_rules")
    return structs.replace(line, matching_rules=UNSET)


def repaged(record: dict[str, Any]) -> list[tuple[dict[str, Any], list[str]]]:
    """Each post of an X API v2 record (parsed: a page, a stream line or single lookup, a
    flattened post ``unflattened``) as the line a response page holds (``convert --v2-pages``),
    with the losses of that post: ``{"data": post, "includes": {...}}``, the post and each object
    of the record's includes it references (``post_lines``) as the record has them.

    What a page has no place for is lost: the record's rules (``paged_rules``), twarc2's record of
    the request (``twarc_metadata``), and objects of its includes that no post references
    (``unreferenced_includes``, declared on its first post). ``meta`` and ``errors`` are the
    record's own matters, counted by the caller, not lost; a member the formats do not define is
    the decoding's to declare (``unknown_fields``). A page holds one object per id: two different
    ones in a record is a ``RecordError``."""
    cut = post_lines(record)
    lines: list[tuple[dict[str, Any], list[str]]] = []
    for line in cut:
        out: dict[str, Any] = {"data": line["data"]}
        losses: list[str] = []
        if line.get("includes"):
            out["includes"] = {group: _once(group, items) for group, items in line["includes"].items()}
        if line.get("matching_rules"):
            losses.append("paged_rules")
        if "__twarc" in line:
            losses.append("twarc_metadata")
        lines.append((out, losses))
    if lines and unreferenced(record, cut):
        losses = lines[0][1]  # declared once, on the record's first post
        losses.append("unreferenced_includes")
    return lines


def _once(group: str, items: list[Any]) -> list[Any]:
    """Each object of ``items`` once: copies that are equal as parsed JSON are one (a flattened
    post inlines an account as author and as mention), copies that differ cannot share a page."""
    kept: dict[Any, Any] = {}
    for item in items:
        key = key_of(group, item)
        first = kept.setdefault(key, item)
        if first is not item and first != item:
            reason = f"two different objects named {key} in includes.{group}: a page holds one of each"
            raise RecordError(reason, path=f"$.includes.{group}")
    return list(kept.values())


def weighted_length(text: str, urls: list[UrlEntity] | UnsetType) -> int:
    """The length X limits to 280, as twitter-text counts it: a link 23, a code point of most
    scripts 1, of the others (CJK, emoji ...) 2. Emoji sequences count per code point here."""
    spans = sorted(u.indices for u in urls or () if u.indices is not UNSET)
    total = URL_WEIGHT * len(spans)
    # The text outside every link, piece by piece: a string method or a regular expression
    # counts a piece in C, where a loop over its characters ran Python per character.
    done = 0
    for start, end in spans:
        if end <= start:
            continue  # covers no character
        if start > done:
            total += _points(text[done:start])
        done = max(done, end)
    return total + _points(text[done:])


def _points(piece: str) -> int:
    """The weight of a piece of text without links: 1 a light code point, 2 any other."""
    return len(piece) if piece.isascii() else len(piece) + len(_HEAVY.findall(piece))


class _Includes:
    """The objects a line's posts reference, each once, in the order first referenced."""

    def __init__(self) -> None:
        self.users: dict[str, V2User] = {}
        self.mentioned: dict[str, V2User] = {}
        self.tweets: dict[str, V2Post | None] = {}
        """Included posts; None while one is being converted (its place taken before its own references)."""
        self.media: dict[str, V2Media] = {}
        self.places: dict[str, V2Place] = {}
        self.polls: dict[str, V2Poll] = {}

    def built(self, losses: list[str]) -> V2Includes | UnsetType:
        users = list(self.users.values())
        names = {user.username.lower(): user for user in users} if self.mentioned else {}
        for user_id, user in self.mentioned.items():
            full = self.users.get(user_id) or names.get(user.username.lower())
            if full is None:
                users.append(user)
                names[user.username.lower()] = user
            elif full.name != user.name or full.id != user_id:
                losses.append("shape")  # the mention comes back with the included user's name and id
        if not (users or self.tweets or self.media or self.places or self.polls):
            return UNSET
        return V2Includes(
            users=users or UNSET,
            tweets=[post for post in self.tweets.values() if post is not None] or UNSET,
            media=list(self.media.values()) or UNSET,
            places=list(self.places.values()) or UNSET,
            polls=list(self.polls.values()) or UNSET,
        )


def _post(post: Post, includes: _Includes, losses: list[str], *, top: bool, quoted: bool) -> V2Post:
    add = losses.append
    _native_only_losses(post, losses, top)
    user = post.user
    author_id: str | UnsetType = UNSET
    if user.id_str is UNSET:  # an early 2011 author without an id: v2 has no user without one
        add("author_without_id")
    elif user.name == "" and user.screen_name == "":  # the placeholder of an author v2 did not give
        author_id = UNSET if user.id_str == "0" else user.id_str
    else:
        author_id = user.id_str
        includes.users.setdefault(user.id_str, user_to_v2(user, user.id_str, losses))
    body = _text(post, losses)
    if body.media and not body.extended:
        add("media_details")  # media of entities.media alone come back in extended_entities too
    v2_media = [_media(item, losses) for item in body.media]
    for item in v2_media:
        includes.media.setdefault(item.media_key, item)
    poll = _poll(post, losses)
    if poll is not None:
        includes.polls.setdefault(poll.id, poll)
    note: V2NoteTweet | UnsetType = UNSET
    if body.note_text is None:
        v2_entities = _entities(body.entities, body.media, v2_media, includes, losses)
    else:
        v2_entities = _entities(body.entities, [], [], includes, losses)
        note = V2NoteTweet(
            text=body.note_text, entities=_entities(body.note_entities, body.media, v2_media, includes, losses)
        )
    annotations = UNSET if post.entities is UNSET else post.entities.annotations
    if annotations is UNSET and post.extended_tweet is not UNSET:
        annotations = post.extended_tweet.entities.annotations
    if annotations is not UNSET and annotations.entity is not UNSET:
        v2_entities = v2_entities or V2Entities()
        v2_entities.annotations = [
            V2Annotation(
                start=a.start, end=a.end, probability=a.probability, type=a.type, normalized_text=a.normalized_text
            )
            for a in annotations.entity
        ]
    v2 = V2Post(
        id=post.id_str,
        text=body.text,
        author_id=author_id,
        created_at=_iso(post.created_at, losses),
        referenced_tweets=_references(post, includes, losses, quoted=quoted) or UNSET,
        attachments=UNSET
        if not v2_media and poll is None
        else V2Attachments(
            media_keys=[item.media_key for item in v2_media] or UNSET,
            poll_ids=UNSET if poll is None else [poll.id],
        ),
        geo=_geo(post, includes, losses),
        entities=v2_entities,
        note_tweet=note,
        display_text_range=body.display,
    )
    # The rest set after: CPython passes over 15 keyword arguments in a dict.
    v2.in_reply_to_user_id = post.in_reply_to_user_id_str or UNSET
    v2.context_annotations = _context(annotations, losses)
    v2.public_metrics = _metrics(post, losses)
    if post.possibly_sensitive is None or post.lang is None:
        add("shape")
    v2.possibly_sensitive = post.possibly_sensitive if isinstance(post.possibly_sensitive, bool) else UNSET
    v2.lang = post.lang if isinstance(post.lang, str) else UNSET
    v2.source = _source_name(post, losses)
    v2.withheld = _withheld(post, losses)
    _edits(post, v2, losses)
    v2.scopes = post.scopes
    return v2


def _native_only_losses(post: Post, losses: list[str], top: bool) -> None:
    """What this post (not its embedded posts) holds that v2 does not, or holds otherwise."""
    add = losses.append
    if post.favorited is not UNSET or post.retweeted is not UNSET or post.current_user_retweet is not UNSET:
        add("perspectival")
    if post.filter_level is not UNSET:
        add("filter_level")
    if post.possibly_sensitive_appealable is not UNSET:
        add("sensitive_appealable")
    if holds_entities(post, "trends"):
        add("trends")
    if post.timestamp_ms is not UNSET:
        add("timestamp_ms")
    if post.contributors is not UNSET:
        add("contributors")
    if post.quoted_status_permalink is not UNSET:
        add("quoted_status_permalink")
    if not top and post.matching_rules is not UNSET:
        add("embedded_rules")
    if not (
        _id_matches(post.id, post.id_str)
        and _id_matches(post.in_reply_to_status_id, post.in_reply_to_status_id_str)
        and _id_matches(post.in_reply_to_user_id, post.in_reply_to_user_id_str)
        and _id_matches(post.quoted_status_id, post.quoted_status_id_str)
    ):
        add("numeric_ids")
    if (
        post.id is UNSET or post.geo is UNSET or post.coordinates is UNSET or post.place is UNSET
        or post.in_reply_to_status_id is UNSET or post.in_reply_to_status_id_str is UNSET
        or post.in_reply_to_user_id is UNSET or post.in_reply_to_user_id_str is UNSET
        or post.in_reply_to_screen_name is UNSET or post.is_quote_status is UNSET
        or post.favorite_count is None
    ):  # fmt: skip
        add("shape")


def _id_matches(number: object, text: object) -> bool:
    """Whether a numeric id is what converting back writes from its string form (see to_activity)."""
    if number is UNSET:
        return True
    if number is None:
        return text is None or text is UNSET
    return type(number) is int and str(number) == text


def _iso(native: str, losses: list[str]) -> str:
    if " +0000 " not in native:
        losses.append("shape")  # converted to UTC: comes back as +0000
    return native_to_iso(native)


# --- text, entities, media --------------------------------------------------------------------


class _Body(NamedTuple):
    """What the v2 post's text comes from."""

    text: str
    entities: Entities
    media: list[Media]
    """The media; their links are in ``note_entities`` when there is a note, else in ``entities``."""
    display: tuple[int, int] | UnsetType
    extended: bool
    """Whether the media came from extended_entities (else from entities.media)."""
    note_text: str | None = None
    note_entities: Entities = Entities()


def _text(post: Post, losses: list[str]) -> _Body:
    ext = post.extended_tweet
    text = post.text
    if text is UNSET or post.extended_mode_text is not UNSET:
        losses.append("extended_mode")  # comes back as text
        text = post.extended_mode_text
        if text is UNSET:
            raise RecordError("a post needs a text: text, or full_text in extended mode", path="$.text")
    entities = post.entities
    if entities is UNSET:  # records of early 2011 have none: v2 writes none when there are none
        losses.append("shape")
        entities = _NO_ENTITIES
    if ext is UNSET:
        if post.truncated is True:
            losses.append("shape")
        media = _media_of(post.extended_entities, entities)
        return _Body(text, entities, media, post.display_text_range, post.extended_entities is not UNSET)
    long_media = _media_of(ext.extended_entities, ext.entities)
    extended = ext.extended_entities is not UNSET
    if weighted_length(ext.full_text, ext.entities.urls) <= MAX_WEIGHTED_LENGTH:
        losses.append("long_post_form")  # the whole text is the text; the 140-character form goes
        return _Body(ext.full_text, ext.entities, long_media, ext.display_text_range, extended)
    # Longer than a post may be: v2's note_tweet, beside the text as delivered.
    if post.truncated is not True:
        losses.append("shape")
    if ext.display_text_range is not UNSET or post.extended_entities is not UNSET or entities.media:
        losses.append("long_post_form")
    return _Body(text, entities, long_media, post.display_text_range, extended, ext.full_text, ext.entities)


_NO_ENTITIES = Entities()


def _media_of(extended: ExtendedEntities | UnsetType, entities: Entities) -> list[Media]:
    return extended.media if extended is not UNSET else list(entities.media or [])


def _entities(
    entities: Entities, media: list[Media], v2_media: list[V2Media], includes: _Includes, losses: list[str]
) -> V2Entities | UnsetType:
    add = losses.append
    if (
        entities.hashtags is UNSET
        or entities.symbols is UNSET
        or entities.user_mentions is UNSET
        or entities.urls is UNSET
    ):
        add("shape")  # absent lists come back empty
    mentions = []
    for m in entities.user_mentions or []:
        start, end = m.indices
        mention_id = m.id_str if isinstance(m.id_str, str) else UNSET
        if mention_id is UNSET and m.id_str is not UNSET:
            add("shape")
        if not _id_matches(m.id, m.id_str):
            add("numeric_ids")
        if isinstance(m.name, str) and mention_id is not UNSET:
            includes.mentioned.setdefault(mention_id, V2User(id=mention_id, name=m.name, username=m.screen_name))
        elif m.name is not UNSET:
            add("shape")  # a name without an id (or null) has no included user to come back from
        mentions.append(V2Mention(start=start, end=end, username=m.screen_name, id=mention_id))
    urls = [_url(u, losses) for u in entities.urls or []]
    if media:
        if entities.media != [thumbnail(media[0])]:
            add("media_details")  # entities.media comes back as the first item's photo
        urls += [
            V2Url(
                start=item.indices[0],
                end=item.indices[1],
                url=item.url,
                expanded_url=item.expanded_url,
                display_url=item.display_url,
                media_key=v2_item.media_key,
            )
            for item, v2_item in zip(media, v2_media, strict=True)
        ]
        urls.sort(key=lambda u: u.start)
    hashtags, symbols = entities.hashtags, entities.symbols
    if not (hashtags or symbols or mentions or urls):
        return UNSET
    return V2Entities(
        hashtags=[V2Tag(start=t.indices[0], end=t.indices[1], tag=t.text) for t in hashtags] if hashtags else UNSET,
        cashtags=[V2Tag(start=t.indices[0], end=t.indices[1], tag=t.text) for t in symbols] if symbols else UNSET,
        mentions=mentions or UNSET,
        urls=urls or UNSET,
    )


def _url(u: UrlEntity, losses: list[str]) -> V2Url:
    if u.indices is UNSET or u.expanded_url is None or u.display_url is None:
        losses.append("shape")  # v2 needs offsets and has no nulls
    start, end = (0, 0) if u.indices is UNSET else u.indices
    out = V2Url(
        start=start,
        end=end,
        url=u.url,
        expanded_url=u.expanded_url if isinstance(u.expanded_url, str) else UNSET,
        display_url=u.display_url if isinstance(u.display_url, str) else UNSET,
    )
    unwound = u.unwound
    if unwound is not UNSET:
        if unwound.url is None or unwound.status is None or unwound.title is None or unwound.description is None:
            losses.append("unwound_nulls")
        out.unwound_url = UNSET if unwound.url is None else unwound.url
        out.status = UNSET if unwound.status is None else unwound.status
        out.title = UNSET if unwound.title is None else unwound.title
        out.description = UNSET if unwound.description is None else unwound.description
    return out


def _media(item: Media, losses: list[str]) -> V2Media:
    add = losses.append
    large = item.sizes.large
    if (
        item.additional_media_info is not UNSET
        or item.source_status_id is not UNSET
        or item.source_status_id_str is not UNSET
        or item.source_user_id is not UNSET
        or item.source_user_id_str is not UNSET
        or item.sizes.thumb is not UNSET
        or item.sizes.small is not UNSET
        or item.sizes.medium is not UNSET
        or (large is not UNSET and large.resize != "fit")
    ):
        add("media_details")
    if not _id_matches(item.id, item.id_str):
        add("numeric_ids")
    if item.media_url != http_variant(item.media_url_https) or item.ext_alt_text is None:
        add("shape")
    info = item.video_info
    if info is not UNSET and (
        large is UNSET or tuple(info.aspect_ratio) != _reduced(large.w, large.h) or item.type == "photo"
    ):
        add("media_details")
    image = item.media_url_https
    return V2Media(
        media_key=f"{media_key_prefix(item.type, image)}_{item.id_str}",
        type=item.type,
        url=image if item.type == "photo" else UNSET,
        preview_image_url=image if item.type != "photo" else UNSET,
        width=UNSET if large is UNSET else large.w,
        height=UNSET if large is UNSET else large.h,
        duration_ms=UNSET if info is UNSET else info.duration_millis,
        alt_text=item.ext_alt_text if isinstance(item.ext_alt_text, str) else UNSET,
        variants=UNSET
        if info is UNSET or item.type == "photo"
        else [V2Variant(bit_rate=v.bitrate, content_type=v.content_type, url=v.url) for v in info.variants],
    )


def _reduced(width: int, height: int) -> tuple[int, int]:
    divisor = gcd(width, height) or 1
    return width // divisor, height // divisor


def _poll(post: Post, losses: list[str]) -> V2Poll | None:
    """The post's poll, named by the post's id: a native poll has none, and a post has one poll."""
    ext = post.extended_tweet
    polls: list[Poll] | UnsetType = UNSET
    if ext is not UNSET and ext.entities.polls:
        polls = ext.entities.polls
    elif post.entities is not UNSET:
        polls = post.entities.polls
    if not polls:
        return None
    if len(polls) > 1:
        losses.append("shape")
    poll: Poll = polls[0]
    minutes = poll.duration_minutes
    if not isinstance(minutes, int):
        losses.append("shape")  # "1440" comes back 1440 (and what is no number, not at all)
    return V2Poll(
        id=post.id_str,
        options=[V2PollOption(position=o.position, label=o.text) for o in poll.options],
        duration_minutes=int(minutes) if isinstance(minutes, int) or minutes.isdigit() else UNSET,
        end_datetime=_iso(poll.end_datetime, losses),
    )


# --- references, geo, the author ----------------------------------------------------------------


def _references(post: Post, includes: _Includes, losses: list[str], *, quoted: bool) -> list[V2ReferencedTweet]:
    refs = []
    original = post.retweeted_status
    if original is not UNSET:
        refs.append(V2ReferencedTweet(type="retweeted", id=original.id_str))
        _include(original, includes, losses, quoted=False)
        if (
            post.quoted_status != original.quoted_status
            or post.is_quote_status is not original.is_quote_status
            or post.quoted_status_id_str != original.quoted_status_id_str
        ):
            losses.append("shape")  # a Retweet's copy of the quote comes back from the original
    else:
        inner = post.quoted_status
        quoted_id = post.quoted_status_id_str if post.quoted_status_id_str is not UNSET else UNSET
        if inner is not UNSET:
            quoted_id = inner.id_str
            if quoted:
                losses.append("nested_quote")
            else:
                _include(inner, includes, losses, quoted=True)
        if post.is_quote_status is not (quoted_id is not UNSET):
            losses.append("shape")
        if quoted_id is not UNSET:
            refs.append(V2ReferencedTweet(type="quoted", id=quoted_id))
    if post.in_reply_to_status_id_str:
        refs.append(V2ReferencedTweet(type="replied_to", id=post.in_reply_to_status_id_str))
    _replied_name_losses(post, losses)
    return refs


def _include(post: Post, includes: _Includes, losses: list[str], *, quoted: bool) -> None:
    """An embedded post into ``includes.tweets``, placed before the posts it references in turn."""
    if post.id_str not in includes.tweets:
        includes.tweets[post.id_str] = None
        includes.tweets[post.id_str] = _post(post, includes, losses, top=False, quoted=quoted)


def _replied_name_losses(post: Post, losses: list[str]) -> None:
    """Whether the replied-to screen name comes back: from a mention with that id, or the author."""
    name, user_id = post.in_reply_to_screen_name, post.in_reply_to_user_id_str
    if name is None or name is UNSET:
        return
    if not user_id:
        losses.append("in_reply_to_screen_name")
        return
    entity_sets = [post.entities] if post.entities is not UNSET else []
    entity_sets += [post.extended_tweet.entities] if post.extended_tweet is not UNSET else []
    for entities in entity_sets:
        for m in entities.user_mentions or []:
            if m.id_str == user_id and isinstance(m.name, str):
                if m.screen_name != name:
                    losses.append("in_reply_to_screen_name")
                return
    if post.user.id_str == user_id and post.user.screen_name == name:
        return
    losses.append("in_reply_to_screen_name")


def _geo(post: Post, includes: _Includes, losses: list[str]) -> V2Geo | UnsetType:
    geo, coords = post.geo, post.coordinates
    point = coords if coords else None
    if geo and (point is None or tuple(geo.coordinates) != tuple(point.coordinates[::-1])):
        losses.append("coordinates")
    elif geo is None and point is not None:
        losses.append("shape")  # geo comes back as the mirror of coordinates
    place_id: str | UnsetType = UNSET
    if post.place:
        place_id = _place(post.place, includes, losses)
    if point is None and place_id is UNSET:
        return UNSET
    return V2Geo(place_id=place_id, coordinates=UNSET if point is None else point)


def _place(place: Place, includes: _Includes, losses: list[str]) -> str | UnsetType:
    place_id = place.id if place.id is not UNSET else place_id_from_url(place.url)
    if place_id is UNSET:
        losses.append("shape")  # a place with neither id nor url has nothing to link it by
        return UNSET
    if place.id is UNSET or place.url != place_url(place_id):
        losses.append("place_url")
    if place.full_name == "":  # the placeholder of a place v2 did not include
        return place_id
    box = place.bounding_box
    bbox: tuple[float, float, float, float] | UnsetType = UNSET
    if box:
        points = [point for ring in box.coordinates for point in ring]
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        bbox = (min(lons), min(lats), max(lons), max(lats))
        if polygon_of(bbox) != box:
            losses.append("bbox_corners")
    else:
        losses.append("shape")
    if place.attributes is UNSET:
        losses.append("shape")
    if place.contained_within is not UNSET:
        losses.append("place_contained_within")
    includes.places.setdefault(
        place_id,
        V2Place(
            id=place_id,
            full_name=place.full_name,
            name=place.name,
            place_type=place.place_type,
            country=place.country,
            country_code=place.country_code,
            geo=V2PlaceGeo(type="Feature", bbox=bbox, properties=place.attributes or {}),
        ),
    )
    return place_id


def user_to_v2(user: User, user_id: str, losses: list[str]) -> V2User:
    """The v2 user of a native author whose id (``user.id_str``) is ``user_id``."""
    _user_losses(user, losses)
    metrics = V2UserMetrics(
        followers_count=_count(user.followers_count, losses),
        following_count=_count(user.friends_count, losses),
        tweet_count=_count(user.statuses_count, losses),
        listed_count=_count(user.listed_count, losses),
        like_count=_count(user.favourites_count, losses),
    )
    url, entities = _user_url(user, losses)
    return V2User(
        id=user_id,
        name=user.name,
        username=user.screen_name,
        created_at=UNSET if user.created_at is UNSET else _iso(user.created_at, losses),
        description=user.description if isinstance(user.description, str) else "",
        entities=entities,
        location=user.location if isinstance(user.location, str) else UNSET,
        profile_image_url=user.profile_image_url_https or UNSET,
        profile_banner_url=user.profile_banner_url or UNSET,
        protected=user.protected if isinstance(user.protected, bool) else UNSET,
        public_metrics=UNSET if metrics == V2UserMetrics() else metrics,
        url=url,
        verified=user.verified if isinstance(user.verified, bool) else UNSET,
        withheld=UNSET
        if user.withheld_in_countries is UNSET and user.withheld_scope is UNSET
        else V2UserWithheld(
            country_codes=user.withheld_in_countries,
            scope="user" if user.withheld_scope is not UNSET else UNSET,
        ),
    )


def _count(value: int | None | UnsetType, losses: list[str]) -> int | UnsetType:
    if value is None:
        losses.append("shape")
        return UNSET
    return value


def _user_losses(u: User, losses: list[str]) -> None:
    add = losses.append
    if (
        u.profile_background_color is not UNSET or u.profile_background_image_url is not UNSET
        or u.profile_background_image_url_https is not UNSET or u.profile_background_tile is not UNSET
        or u.profile_link_color is not UNSET or u.profile_sidebar_border_color is not UNSET
        or u.profile_sidebar_fill_color is not UNSET or u.profile_text_color is not UNSET
        or u.profile_use_background_image is not UNSET
        or u.default_profile is not UNSET or u.default_profile_image is not UNSET
    ):  # fmt: skip
        add("user_profile_design")
    if (
        u.geo_enabled is not UNSET or u.contributors_enabled is not UNSET or u.is_translator is not UNSET
        or u.is_translation_enabled is not UNSET or u.translator_type is not UNSET
        or u.has_extended_profile is not UNSET or u.profile_location is not UNSET
        or u.following is not UNSET or u.follow_request_sent is not UNSET or u.notifications is not UNSET
    ):  # fmt: skip
        add("user_settings")
    if isinstance(u.utc_offset, int) or u.time_zone is not UNSET or u.lang is not UNSET:
        add("user_locale")
    if u.derived is not UNSET:
        add("user_enrichments")
    if not _id_matches(u.id, u.id_str):
        add("numeric_ids")
    https = u.profile_image_url_https
    if (
        u.location is UNSET or u.url is UNSET or u.description is UNSET or u.utc_offset is UNSET
        or u.description == "" or u.url == "" or u.protected is None or u.verified is None
        or u.profile_image_url != (http_variant(https) if isinstance(https, str) else UNSET)
        or u.profile_banner_url is None
        or (u.withheld_scope is not UNSET and u.withheld_scope != "user")
    ):  # fmt: skip
        add("shape")


def _user_url(user: User, losses: list[str]) -> tuple[str, V2UserEntities | UnsetType]:
    """v2 ``url`` (the t.co of the profile link, else the link as native has it, else '') and entities."""
    entities = user.entities
    url_urls = [] if entities is UNSET or entities.url is UNSET else entities.url.urls
    description_urls = [] if entities is UNSET or entities.description is UNSET else entities.description.urls
    back: UserEntities | UnsetType = UNSET  # what converting back writes
    if url_urls or description_urls:
        back = UserEntities(
            url=UrlList(urls=url_urls) if url_urls else UNSET, description=UrlList(urls=description_urls)
        )
    if entities is not UNSET and entities != back:
        losses.append("shape")  # empty lists come back absent, a missing description list empty
    v2_entities: V2UserEntities | UnsetType = UNSET
    if url_urls or description_urls:
        v2_entities = V2UserEntities(
            url=V2UserUrls(urls=[_url(u, losses) for u in url_urls]) if url_urls else UNSET,
            description=V2Entities(urls=[_url(u, losses) for u in description_urls]) if description_urls else UNSET,
        )
    if url_urls:
        if user.url != url_urls[0].expanded_url:
            losses.append("shape")  # the url comes back as the link's expanded form
        return url_urls[0].url, v2_entities
    return (user.url if isinstance(user.url, str) else ""), v2_entities


# --- counts, source, withheld, edits, rules -----------------------------------------------------


def _metrics(post: Post, losses: list[str]) -> V2PublicMetrics | UnsetType:
    metrics = V2PublicMetrics(
        retweet_count=post.retweet_count,
        reply_count=post.reply_count,
        like_count=UNSET if post.favorite_count is None else post.favorite_count,
        quote_count=post.quote_count,
    )
    return UNSET if metrics == V2PublicMetrics() else metrics


def _source_name(post: Post, losses: list[str]) -> str | UnsetType:
    generator = post.generator
    if generator is None:
        return UNSET
    if generator.link is not None:
        losses.append("source_link")
    return generator.name


def _withheld(post: Post, losses: list[str]) -> V2Withheld | UnsetType:
    if post.withheld_copyright is UNSET and post.withheld_in_countries is UNSET and post.withheld_scope is UNSET:
        return UNSET
    scope = post.withheld_scope
    if scope is not UNSET and scope not in _SCOPES:
        losses.append("shape")
    return V2Withheld(
        copyright=post.withheld_copyright,
        country_codes=post.withheld_in_countries,
        scope=_SCOPES.get(scope, UNSET) if isinstance(scope, str) else UNSET,
    )


def _edits(post: Post, v2: V2Post, losses: list[str]) -> None:
    history = post.edit_history
    ids: list[str] | UnsetType = UNSET
    if history is not UNSET:
        ids = history.edit_tweet_ids
        if not ids or history.initial_tweet_id != ids[0]:
            losses.append("shape")
        v2.edit_history_tweet_ids = ids or UNSET
    controls = post.edit_controls
    if controls is UNSET:
        if post.editable is not UNSET:
            losses.append("shape")  # editable travels in edit_controls
        return
    until = controls.editable_until_ms
    if isinstance(until, str):  # comes back a number; what is no number, not at all
        losses.append("shape")
        until = int(until) if until.isdigit() else UNSET
    eligible = controls.is_edit_eligible
    if post.editable != eligible or controls.edit_tweet_ids != (ids if ids is not UNSET and len(ids) > 1 else UNSET):
        losses.append("shape")
    v2.edit_controls = V2EditControls(
        edits_remaining=controls.edits_remaining,
        is_edit_eligible=eligible if eligible is not UNSET else post.editable,
        editable_until=UNSET if until is UNSET else millis_to_iso(str(until)),
    )


def _context(annotations: Annotations | UnsetType, losses: list[str]) -> list[V2ContextAnnotation] | UnsetType:
    context = UNSET if annotations is UNSET else annotations.context
    if context is UNSET:
        return UNSET
    if any(c.context_domain_id is not UNSET or c.context_entity_id is not UNSET for c in context):
        losses.append("numeric_ids")  # native written from v2 has the string ids only
    return [
        V2ContextAnnotation(
            domain=V2ContextItem(
                id=c.context_domain_id_str, name=c.context_domain_name, description=c.context_domain_description
            ),
            entity=V2ContextItem(
                id=c.context_entity_id_str, name=c.context_entity_name, description=c.context_entity_description
            ),
        )
        for c in context
    ]


def _rules(post: Post, losses: list[str]) -> list[V2MatchingRule] | UnsetType:
    rules = post.matching_rules
    if rules is UNSET:
        return UNSET
    out = []
    for rule in rules:
        if not _id_matches(rule.id, rule.id_str):
            losses.append("numeric_ids")
        rule_id = rule.id_str if rule.id_str is not UNSET else str(rule.id) if type(rule.id) is int else None
        if rule_id is None:
            losses.append("rule_ids")
            continue
        if rule.id_str is UNSET:
            losses.append("shape")  # id_str comes back beside id
        out.append(V2MatchingRule(id=rule_id, tag=rule.tag))
    return out
