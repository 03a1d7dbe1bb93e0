"""X API v2 -> Enriched Native (the contract is docs/MAPPING-v2.md).

``post_from_v2`` turns a :class:`~xformat.v2pages.Bundle` (a v2 post with what its page
included) into a native ``Post`` that validates, whatever the request asked for, and appends to
``losses`` the codes (``losses_v2.py``, direction ``from_v2``) of what the v2 side held that the
native post cannot, or lacked and the native post had to derive.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from math import gcd

from msgspec import UNSET, UnsetType
from msgspec.structs import replace

from xformat.convert.links import http_variant
from xformat.convert.timefmt import iso_to_millis, iso_to_native
from xformat.models.common import (
    AnnotationContext,
    AnnotationEntity,
    Annotations,
    EditControls,
    EditHistory,
    Entities,
    ExtendedEntities,
    Hashtag,
    MatchingRule,
    Media,
    MediaSize,
    MediaSizes,
    Point,
    Poll,
    PollOption,
    Polygon,
    Symbol,
    Unwound,
    UrlEntity,
    UserMention,
    VideoInfo,
    VideoVariant,
)
from xformat.models.native import ExtendedTweet, Place, Post, UrlList, User, UserEntities
from xformat.models.v2 import V2Entities, V2Media, V2Place, V2Poll, V2Post, V2Url, V2User, V2Withheld
from xformat.v2pages import Bundle, Reference

SNOWFLAKE_EPOCH_MS = 1288834974657
"""2010-11-04T01:42:54.657Z: the time 0 of snowflake ids (the 41 bits above the low 22)."""
FIRST_SNOWFLAKE = 30_000_000_000
"""Ids below this are the sequential ids of before November 2010, which hold no time."""
_TCO = re.compile(r"https?://t\.co/[A-Za-z0-9]+")
_SCOPES = {"tweet": "status", "user": "user"}


def created_at_of_id(id_str: str) -> str:
    """The native ``created_at`` a snowflake id holds (its milliseconds dropped, as native has none)."""
    return iso_to_native(iso_of_id(id_str))


def iso_of_id(id_str: str) -> str:
    """The time a snowflake id holds, to the second, as ISO 8601 (``2023-03-14T16:20:11.000Z``)."""
    value = int(id_str)
    millis = (value >> 22) + SNOWFLAKE_EPOCH_MS if value >= FIRST_SNOWFLAKE else SNOWFLAKE_EPOCH_MS
    # isoformat, not strftime (several times dearer): a whole second in UTC is YYYY-MM-DDTHH:MM:SS+00:00.
    return datetime.fromtimestamp(millis // 1000, UTC).isoformat()[:19] + ".000Z"


def media_key_prefix(media_type: str, url: str | UnsetType) -> str:
    """The media_key prefix of a type (and, for videos, of its URL): 3 photo, 16 animated GIF,
    13 a video under amplify_video (professional uploads), 7 any other video (ext_tw_video)."""
    if media_type == "photo":
        return "3"
    if media_type == "animated_gif":
        return "16"
    return "13" if isinstance(url, str) and "/amplify_video" in url else "7"


def post_from_v2(
    bundle: Bundle, losses: list[str], root: Bundle | None = None, top: bool = True, embeds_quote: bool = True
) -> Post:
    """The native post of a bundle. The other arguments are for the posts it embeds (one function,
    not a wrapper around the one that embeds: a call per post saved): the bundle of the line's
    post (see ``_authors``), whether this is that post, whether it may embed a quote."""
    if root is None:
        root = bundle
    v2 = bundle.post
    add = losses.append
    id_str = v2.id
    iso = v2.created_at
    if iso is UNSET:
        add("created_at_from_id")
        created_at = created_at_of_id(id_str)
    else:
        created_at = _native_time(iso, losses)
    user = _author(bundle, losses)
    # What native has no member for (inline: a call per post costs more than these tests).
    if v2.conversation_id is not UNSET:
        add("conversation_id")
    if v2.reply_settings is not UNSET:
        add("reply_settings")
    metrics = v2.public_metrics
    if (
        (metrics is not UNSET and (metrics.impression_count is not UNSET or metrics.bookmark_count is not UNSET))
        or v2.non_public_metrics is not UNSET
        or v2.organic_metrics is not UNSET
        or v2.promoted_metrics is not UNSET
    ):
        add("v2_metrics")
    if (
        v2.community_id is not UNSET
        or v2.paid_partnership is not UNSET
        or v2.card_uri is not UNSET
        or v2.article is not UNSET
        or v2.media_metadata is not UNSET
    ):
        add("v2_post_extras")
    note = v2.note_tweet
    entities = v2.entities
    if entities is not UNSET and entities.urls and _has_images(entities.urls):
        add("url_images")
    if note is not UNSET and note.entities is not UNSET and note.entities.urls and _has_images(note.entities.urls):
        add("url_images")
    retweeted: Post | UnsetType = UNSET
    quoted: Post | UnsetType = UNSET
    quoted_ref = replied = None
    if bundle.referenced:  # most posts reference nothing
        refs = {}
        for ref in reversed(bundle.referenced):  # the first of each type
            refs[ref.type] = ref
        if len(bundle.referenced) > 1:
            types = [ref.type for ref in bundle.referenced]
            if types != sorted(types, key=_RANK.__getitem__):  # not the order to_v2 writes
                add("shape")
        retweeted = _embedded(refs.get("retweeted"), losses, root, embeds_quote=True)
        quoted_ref = refs.get("quoted")
        if quoted_ref is not None:
            if embeds_quote:
                quoted = _embedded(quoted_ref, losses, root, embeds_quote=False)
            elif quoted_ref.bundle is not None:
                add("included_not_embedded")  # native embeds no quote inside a quoted post
        replied = refs.get("replied_to")
        if replied is not None and replied.bundle is not None:
            add("included_not_embedded")
    keyed = _media(bundle, v2, user.screen_name or "i", losses) if bundle.media else []
    media = [item for _, item in keyed] if keyed else []
    poll = _poll(bundle.poll, id_str, losses) if bundle.poll is not None else None
    if bundle.poll is None and v2.attachments is not UNSET and v2.attachments.poll_ids:
        add("object_not_included")
    root_entities = _entities(v2.entities, bundle, losses)
    if v2.context_annotations is not UNSET or (v2.entities is not UNSET and v2.entities.annotations is not UNSET):
        root_entities.annotations = _annotations(v2)
    extended: ExtendedTweet | UnsetType = UNSET
    if note is UNSET:
        if media or poll is not None:
            _attach(root_entities, media, poll)
    else:
        long_entities = _entities(note.entities, bundle, losses)
        _attach(long_entities, media, poll)
        root_link = _media_link(v2.entities, keyed[0][0]) if keyed else None
        if root_link is not None:  # the cut text still shows the media link
            root_entities.media = [thumbnail(_relinked(media[0], root_link))]
        extended = ExtendedTweet(
            full_text=note.text,
            entities=long_entities,
            extended_entities=ExtendedEntities(media=media) if media else UNSET,
        )
    geo = v2.geo
    coordinates = UNSET if geo is UNSET else geo.coordinates
    post = Post(
        created_at=created_at,
        id=int(id_str),
        id_str=id_str,
        text=v2.text,
        display_text_range=v2.display_text_range,
        source=v2.source,
        truncated=note is not UNSET,
        user=user,
        geo=None if coordinates is UNSET else Point(type="Point", coordinates=coordinates.coordinates[::-1]),
        coordinates=None if coordinates is UNSET else coordinates,
        place=None if geo is UNSET or geo.place_id is UNSET else _place(bundle.place, geo.place_id, losses),
        is_quote_status=quoted_ref is not None,
        entities=root_entities,
        extended_tweet=extended,
    )
    # The rest set after: CPython passes over 15 keyword arguments in a dict.
    if replied is None:
        post.in_reply_to_status_id = post.in_reply_to_status_id_str = None
    else:
        post.in_reply_to_status_id = int(replied.id)
        post.in_reply_to_status_id_str = replied.id
    reply_user = v2.in_reply_to_user_id
    if reply_user is UNSET:
        post.in_reply_to_user_id = post.in_reply_to_user_id_str = post.in_reply_to_screen_name = None
    else:
        post.in_reply_to_user_id = int(reply_user)
        post.in_reply_to_user_id_str = reply_user
        post.in_reply_to_screen_name = _replied_screen_name(bundle, reply_user, losses)
    if quoted_ref is not None:
        post.quoted_status_id = int(quoted_ref.id)
        post.quoted_status_id_str = quoted_ref.id
        post.quoted_status = quoted
    if retweeted is not UNSET:
        post.retweeted_status = retweeted
        if retweeted.is_quote_status is True:  # a Retweet of a quote: native copies the quote up
            post.is_quote_status = True
            post.quoted_status_id = retweeted.quoted_status_id
            post.quoted_status_id_str = retweeted.quoted_status_id_str
            post.quoted_status = retweeted.quoted_status
    if media and note is UNSET:
        post.extended_entities = ExtendedEntities(media=media)
    if metrics is not UNSET:
        post.retweet_count = metrics.retweet_count
        post.favorite_count = metrics.like_count
        post.reply_count = metrics.reply_count
        post.quote_count = metrics.quote_count
    post.possibly_sensitive = v2.possibly_sensitive
    post.lang = v2.lang
    post.scopes = v2.scopes
    if v2.withheld is not UNSET:
        _withheld(post, v2.withheld)
    if v2.edit_history_tweet_ids is not UNSET or v2.edit_controls is not UNSET:
        _edits(post, v2)
    if bundle.mentions or bundle.in_reply_to_user is not None:
        _referenced_users(bundle, root, losses)
    if top:
        post.matching_rules = _rules(bundle, losses)
        if bundle.twarc is not None:
            losses.append("twarc_metadata")
        if bundle.unreferenced:
            losses.append("unreferenced_includes")
    return post


def _referenced_users(bundle: Bundle, root: Bundle, losses: list[str]) -> None:
    """Whether native keeps less of the accounts the post mentions or replies to than the page
    holds: all of an author's, a mentioned account's id, name and username only."""
    authors = _authors(root)
    for user in (*bundle.mentions.values(), bundle.in_reply_to_user):
        if user is not None and user.id not in authors and user != _bare(user):
            losses.append("referenced_users")
            return


def _authors(bundle: Bundle) -> set[str]:
    """Ids of the users native keeps whole: the authors of the post and of its embedded posts."""
    found = {bundle.author.id} if bundle.author is not None else set()
    for ref in bundle.referenced:
        if ref.bundle is not None and ref.type != "replied_to":
            found |= _authors(ref.bundle)
    return found


def _bare(user: V2User) -> V2User:
    """What native keeps of an account it only mentions."""
    return V2User(id=user.id, name=user.name, username=user.username)


# The order ``to_v2`` writes references in.
_RANK = {"retweeted": 0, "quoted": 1, "replied_to": 2}


def _embedded(ref: Reference | None, losses: list[str], root: Bundle, *, embeds_quote: bool) -> Post | UnsetType:
    if ref is None:
        return UNSET
    if ref.bundle is None:
        losses.append("post_not_included")
        return UNSET
    return post_from_v2(ref.bundle, losses, root, False, embeds_quote)


def _native_time(iso: str, losses: list[str]) -> str:
    if not iso.endswith(".000Z"):
        losses.append("time_ms")  # written without a fraction: comes back .000Z too
    return iso_to_native(iso)


def _has_images(urls: list[V2Url]) -> bool:
    return any(url.images is not UNSET for url in urls)


# --- the author -------------------------------------------------------------------------------


def _author(bundle: Bundle, losses: list[str]) -> User:
    """The post's author, converted once per page: the posts of a page share authors (a
    timeline page's are all one account's), and a page's bundles share what ``kept`` holds."""
    author = bundle.author
    if author is None:
        return _unincluded_author(bundle, losses)
    kept = bundle.kept
    if kept is None:
        return user_from_v2(author, losses)
    entry = kept.get(id(author))
    if entry is not None and entry[0] is author:
        losses += entry[2]
        user: User = replace(entry[1])
        if user.entities is not UNSET:  # a copy shares its parts: each post gets entities of its own
            user.entities = _user_entities(entry[3], entry[4])
        return user
    found: list[str] = []
    user = user_from_v2(author, found)
    losses += found
    # A copy kept (the author itself in the entry keeps its id() from being reused).
    kept[id(author)] = (author, replace(user), found, *_profile_urls(author))
    return user


def _profile_urls(v2: V2User) -> tuple[list[V2Url], list[V2Url]]:
    """The links of a profile's url and of its description."""
    entities = v2.entities
    if entities is UNSET:
        return [], []
    url = [] if entities.url is UNSET else entities.url.urls or []
    description = [] if entities.description is UNSET else entities.description.urls or []
    return url, description


def _user_entities(url_urls: list[V2Url], description_urls: list[V2Url]) -> UserEntities:
    return UserEntities(
        url=UrlList(urls=[_url(u) for u in url_urls]) if url_urls else UNSET,
        description=UrlList(urls=[_url(u) for u in description_urls]),
    )


def _unincluded_author(bundle: Bundle, losses: list[str]) -> User:
    """The placeholder of an author the page did not include."""
    losses.append("author_not_included")
    author_id = bundle.post.author_id
    return User(
        id=0 if author_id is UNSET else int(author_id),
        id_str="0" if author_id is UNSET else author_id,
        name="",
        screen_name="",
        location=None,
        url=None,
        description=None,
        utc_offset=None,
    )


def user_from_v2(v2: V2User, losses: list[str]) -> User:
    entities = v2.entities
    url_urls: list[V2Url] = []
    description_urls: list[V2Url] = []
    metrics = v2.public_metrics
    if entities is not UNSET:
        if entities.url is not UNSET:
            url_urls = entities.url.urls or []
        description = entities.description
        if description is not UNSET:
            description_urls = description.urls or []
            if description.hashtags or description.mentions or description.cashtags:
                losses.append("user_v2_only")
        if not url_urls and not description_urls:
            losses.append("shape")  # entities with nothing native keeps come back absent
    if (
        v2.pinned_tweet_id is not UNSET
        or v2.most_recent_tweet_id is not UNSET
        or v2.verified_type is not UNSET
        or v2.affiliation is not UNSET
        or v2.parody is not UNSET
        or (metrics is not UNSET and metrics.media_count is not UNSET)
    ):
        losses.append("user_v2_only")
    url: str | None
    if url_urls and isinstance(expanded := url_urls[0].expanded_url, str):
        url = expanded
    else:
        url = v2.url if v2.url else None
    image = v2.profile_image_url
    iso = v2.created_at
    if iso is UNSET:
        created_at: str | UnsetType = UNSET
    else:
        created_at = _native_time(iso, losses)
    user = User(
        id=int(v2.id),
        id_str=v2.id,
        name=v2.name,
        screen_name=v2.username,
        location=None if v2.location is UNSET else v2.location,
        url=url,
        description=v2.description if v2.description else None,
        protected=v2.protected,
        verified=v2.verified,
        created_at=created_at,
        utc_offset=None,
        profile_image_url=http_variant(image) if isinstance(image, str) else UNSET,
        profile_image_url_https=image,
        profile_banner_url=v2.profile_banner_url,
    )
    # The rest set after: CPython passes over 15 keyword arguments in a dict.
    if metrics is not UNSET:
        user.followers_count = metrics.followers_count
        user.friends_count = metrics.following_count
        user.listed_count = metrics.listed_count
        user.favourites_count = metrics.like_count
        user.statuses_count = metrics.tweet_count
    if v2.withheld is not UNSET:
        user.withheld_in_countries = v2.withheld.country_codes
        user.withheld_scope = v2.withheld.scope
    if url_urls or description_urls:
        user.entities = _user_entities(url_urls, description_urls)
    return user


def _replied_screen_name(bundle: Bundle, reply_user: str, losses: list[str]) -> str | None:
    """The replied-to account's screen name: from its included user, a mention, or the author."""
    if bundle.in_reply_to_user is not None and bundle.in_reply_to_user.id == reply_user:
        return bundle.in_reply_to_user.username
    for user in bundle.mentions.values():
        if user.id == reply_user:
            return user.username
    entities = bundle.post.entities
    for mention in (entities.mentions or []) if entities is not UNSET else []:
        if mention.id == reply_user:
            return mention.username
    if bundle.author is not None and bundle.author.id == reply_user:
        return bundle.author.username
    losses.append("object_not_included")
    return None


# --- entities ---------------------------------------------------------------------------------


def _entities(v2: V2Entities | UnsetType, bundle: Bundle, losses: list[str]) -> Entities:
    """Native entities of one text: every list written, media links left for ``_attach``."""
    if v2 is UNSET:
        return Entities(hashtags=[], symbols=[], user_mentions=[], urls=[])
    mentions = []
    for m in v2.mentions or ():
        user = bundle.mentions.get(m.username.lower())
        mention_id = m.id if m.id is not UNSET else None if user is None else user.id
        if m.id is UNSET and mention_id is not None:
            losses.append("shape")  # the id comes from the included user
        mentions.append(
            UserMention(
                screen_name=m.username,
                name=UNSET if user is None else user.name,
                id=UNSET if mention_id is None else int(mention_id),
                id_str=UNSET if mention_id is None else mention_id,
                indices=(m.start, m.end),
            )
        )
    # Loops rather than comprehensions: a comprehension is a call of its own, dearer than the
    # one or two items a post's lists hold.
    hashtags = []
    for t in v2.hashtags or ():
        hashtags.append(Hashtag(text=t.tag, indices=(t.start, t.end)))
    symbols = []
    for t in v2.cashtags or ():
        symbols.append(Symbol(text=t.tag, indices=(t.start, t.end)))
    urls = []
    for u in v2.urls or ():
        if u.media_key is UNSET:
            urls.append(_url(u))
    return Entities(hashtags=hashtags, symbols=symbols, user_mentions=mentions, urls=urls)


def _url(u: V2Url) -> UrlEntity:
    unwound: Unwound | UnsetType = UNSET
    if u.unwound_url is not UNSET or u.status is not UNSET or u.title is not UNSET or u.description is not UNSET:
        unwound = Unwound(
            url=None if u.unwound_url is UNSET else u.unwound_url,
            status=u.status,
            title=u.title,
            description=u.description,
        )
    return UrlEntity(
        url=u.url,
        expanded_url=u.expanded_url,
        display_url=u.display_url,
        indices=(u.start, u.end),
        unwound=unwound,
    )


def _annotations(v2: V2Post) -> Annotations | UnsetType:
    context = v2.context_annotations
    found = UNSET if v2.entities is UNSET else v2.entities.annotations
    if context is UNSET and found is UNSET:
        return UNSET
    return Annotations(
        context=UNSET
        if context is UNSET
        else [
            AnnotationContext(
                context_domain_id_str=c.domain.id,
                context_domain_name=c.domain.name,
                context_domain_description=c.domain.description,
                context_entity_id_str=c.entity.id,
                context_entity_name=c.entity.name,
                context_entity_description=c.entity.description,
            )
            for c in context
        ],
        entity=UNSET
        if found is UNSET
        else [
            AnnotationEntity(
                start=a.start, end=a.end, probability=a.probability, type=a.type, normalized_text=a.normalized_text
            )
            for a in found
        ],
    )


def _media_link(entities: V2Entities | UnsetType, media_key: str) -> V2Url | None:
    """The URL entity that links the media of ``media_key`` (captures since 2022 have one)."""
    urls = [] if entities is UNSET else entities.urls or []
    return next((u for u in urls if u.media_key == media_key), None)


def _relinked(item: Media, link: V2Url) -> Media:
    """``item`` as linked by ``link`` (its t.co, place in the text, display and expanded forms)."""
    return replace(
        item,
        indices=(link.start, link.end),
        url=link.url,
        display_url="" if link.display_url is UNSET else link.display_url,
        expanded_url="" if link.expanded_url is UNSET else link.expanded_url,
    )


def _attach(entities: Entities, media: list[Media], poll: Poll | None) -> None:
    """Media (as the first item's photo, the way native entities show it) and the poll."""
    if media:
        entities.media = [thumbnail(media[0])]
    if poll is not None:
        entities.polls = [poll]


def thumbnail(item: Media) -> Media:
    """``entities.media`` holds the first item; a video or GIF is shown there as its photo."""
    if item.type == "photo":
        return item
    return Media(
        id=item.id,
        id_str=item.id_str,
        indices=item.indices,
        media_url=item.media_url,
        media_url_https=item.media_url_https,
        url=item.url,
        display_url=item.display_url,
        expanded_url=item.expanded_url,
        type="photo",
        sizes=item.sizes,
    )


# --- media, polls, places ---------------------------------------------------------------------


def _media(bundle: Bundle, v2: V2Post, screen_name: str, losses: list[str]) -> list[tuple[str, Media]]:
    """The native media of a post, by media key: one per included media_keys entry, linked by its
    URL entity (in the note's entities for a long post)."""
    note = v2.note_tweet
    text = v2.text if note is UNSET else note.text
    entities = v2.entities if note is UNSET else note.entities
    urls = [] if entities is UNSET else entities.urls or []
    links = {u.media_key: u for u in urls if u.media_key is not UNSET}
    keys = [] if v2.attachments is UNSET else v2.attachments.media_keys or []
    out = []
    derived: V2Url | None = None
    for n, (key, item) in enumerate(zip(keys, bundle.media, strict=False), 1):
        if item is None:
            losses.append("object_not_included")
            continue
        link = links.get(key)
        if link is None:
            losses.append("media_link")
            derived = derived or _derived_link(text, urls, entities)
            kind = "photo" if item.type == "photo" else "video"
            link = V2Url(
                start=derived.start,
                end=derived.end,
                url=derived.url,
                display_url="" if not derived.url else "pic.twitter.com/" + derived.url.rsplit("/", 1)[-1],
                expanded_url=f"https://twitter.com/{screen_name}/status/{v2.id}/{kind}/{n}",
            )
        out.append((key, _media_item(item, link, losses)))
    return out


def _derived_link(text: str, urls: list[V2Url], entities: V2Entities | UnsetType) -> V2Url:
    """The media's t.co link as older captures leave it: the last one no entity covers."""
    covered = [(u.start, u.end) for u in urls]
    if entities is not UNSET:
        covered += [(m.start, m.end) for m in entities.mentions or []]
    for match in reversed(list(_TCO.finditer(text))):
        if not any(start <= match.start() < end for start, end in covered):
            return V2Url(start=match.start(), end=match.end(), url=match.group())
    return V2Url(start=len(text), end=len(text), url="")


def _media_item(item: V2Media, link: V2Url, losses: list[str]) -> Media:
    prefix, _, media_id = item.media_key.partition("_")
    image = item.url if item.type == "photo" else item.preview_image_url
    if prefix != media_key_prefix(item.type, image):
        losses.append("media_key")
    if (
        item.public_metrics is not UNSET
        or item.non_public_metrics is not UNSET
        or item.organic_metrics is not UNSET
        or item.promoted_metrics is not UNSET
    ):
        losses.append("v2_metrics")
    width = item.width if isinstance(item.width, int) else None
    height = item.height if isinstance(item.height, int) else None
    media = Media(
        id=int(media_id),
        id_str=media_id,
        indices=(link.start, link.end),
        media_url=UNSET if image is UNSET else http_variant(image),
        media_url_https="" if image is UNSET else image,
        url=link.url,
        display_url="" if link.display_url is UNSET else link.display_url,
        expanded_url="" if link.expanded_url is UNSET else link.expanded_url,
        type=item.type,
        sizes=MediaSizes()
        if width is None or height is None
        else MediaSizes(large=MediaSize(w=width, h=height, resize="fit")),
        ext_alt_text=item.alt_text,
    )
    if image is UNSET or (
        item.type != "photo" and (width is None or height is None) and (item.variants or item.duration_ms)
    ):
        losses.append("media_fields")
    if item.type != "photo" and width is not None and height is not None:
        divisor = gcd(width, height) or 1
        media.video_info = VideoInfo(
            aspect_ratio=(width // divisor, height // divisor),
            duration_millis=item.duration_ms,
            variants=[
                VideoVariant(content_type=v.content_type, url=v.url, bitrate=v.bit_rate) for v in item.variants or []
            ],
        )
    return media


def _poll(v2: V2Poll, post_id: str, losses: list[str]) -> Poll | None:
    """The native poll; its id comes back only when it is the post's, as ``to_v2`` names polls."""
    complete = v2.end_datetime is not UNSET and v2.duration_minutes is not UNSET
    if (
        not complete
        or v2.id != post_id
        or v2.voting_status is not UNSET
        or any(o.votes is not UNSET for o in v2.options)
    ):
        losses.append("poll_details")
    if v2.end_datetime is UNSET or v2.duration_minutes is UNSET:
        return None
    return Poll(
        options=[PollOption(position=o.position, text=o.label) for o in v2.options],
        end_datetime=_native_time(v2.end_datetime, losses),
        duration_minutes=v2.duration_minutes,
    )


def _place(v2: V2Place | None, place_id: str, losses: list[str]) -> Place:
    """The place of ``geo.place_id``: as included, or its placeholder."""
    if v2 is None:
        losses.append("object_not_included")
        return Place(id=place_id, url=place_url(place_id), full_name="", attributes={})
    return place_from_v2(v2, losses)


def place_url(place_id: str) -> str:
    return f"https://api.twitter.com/1.1/geo/id/{place_id}.json"


def place_from_v2(v2: V2Place, losses: list[str]) -> Place:
    bbox = UNSET if v2.geo is UNSET else v2.geo.bbox
    if v2.contained_within is not UNSET or (v2.geo is not UNSET and v2.geo.geometry is not UNSET):
        losses.append("place_v2_only")
    properties = UNSET if v2.geo is UNSET else v2.geo.properties
    if v2.geo is not UNSET and properties is UNSET:
        losses.append("shape")
    return Place(
        id=v2.id,
        url=place_url(v2.id),
        place_type=v2.place_type,
        name=v2.name,
        full_name=v2.full_name,
        country_code=v2.country_code,
        country=v2.country,
        bounding_box=UNSET if bbox is UNSET else polygon_of(bbox),
        attributes={} if properties is UNSET else properties,
    )


def polygon_of(bbox: tuple[float, float, float, float]) -> Polygon:
    """[west, south, east, north] as real native feeds draw it: (w,s), (w,n), (e,n), (e,s)."""
    west, south, east, north = bbox
    return Polygon(type="Polygon", coordinates=[[(west, south), (west, north), (east, north), (east, south)]])


# --- withheld, edits, rules -------------------------------------------------------------------


def _withheld(post: Post, withheld: V2Withheld) -> None:
    post.withheld_copyright = withheld.copyright
    post.withheld_in_countries = withheld.country_codes
    post.withheld_scope = UNSET if withheld.scope is UNSET else _SCOPES[withheld.scope]


def _edits(post: Post, v2: V2Post) -> None:
    history = v2.edit_history_tweet_ids
    if history is not UNSET and history:
        post.edit_history = EditHistory(initial_tweet_id=history[0], edit_tweet_ids=history)
    controls = v2.edit_controls
    if controls is UNSET:
        return
    until = controls.editable_until
    post.edit_controls = EditControls(
        edit_tweet_ids=history if history is not UNSET and len(history) > 1 else UNSET,
        editable_until_ms=UNSET if until is UNSET else int(iso_to_millis(until)),
        edits_remaining=controls.edits_remaining,
        is_edit_eligible=controls.is_edit_eligible,
    )
    post.editable = controls.is_edit_eligible


def _rules(bundle: Bundle, losses: list[str]) -> list[MatchingRule] | UnsetType:
    rules = bundle.matching_rules
    if rules is None:
        return UNSET
    out = []
    for rule in rules:
        rule_id = rule.id
        if (
            type(rule_id) is str
            and rule_id.isdigit()
            and rule_id.isascii()
            and len(rule_id) <= 20
            and rule.tag is not UNSET
            and rule.embedding_similarity is UNSET
            and rule.embedding_threshold is UNSET
        ):  # a rule as the stream sends it: nothing to tell
            out.append(MatchingRule(tag=rule.tag, id=int(rule_id), id_str=rule_id))
            continue
        id_str = str(rule_id)
        numeric = id_str.isascii() and id_str.isdigit() and len(id_str) <= 20
        if (
            isinstance(rule.id, int)
            or not numeric
            or rule.tag is UNSET
            or rule.embedding_similarity is not UNSET
            or rule.embedding_threshold is not UNSET
        ):
            losses.append("rule_shape")
        out.append(
            MatchingRule(
                tag=None if rule.tag is UNSET else rule.tag,
                id=int(id_str) if numeric else UNSET,
                id_str=id_str if numeric else UNSET,
            )
        )
    return out
