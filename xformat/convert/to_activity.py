"""Enriched Native -> Activity Streams (the contract is docs/MAPPING.md).

Each function builds one AS object from its EN counterpart and appends to ``losses`` the codes
(see ``losses.py``) of whatever the EN object held that the AS object cannot.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from msgspec import UNSET, UnsetType, structs

from xformat.accessors import SOURCE_ANCHOR
from xformat.convert.links import Links, http_variant
from xformat.convert.timefmt import millis_to_iso, native_to_iso
from xformat.errors import RecordError
from xformat.models.activity import (
    Activity,
    ActivityRef,
    Actor,
    ActorLink,
    ActorLocation,
    ActorRef,
    Address,
    DeleteActivity,
    Generator,
    Gnip,
    GnipUrl,
    InReplyTo,
    KloutProfile,
    KloutProfileTopic,
    Location,
    LongObject,
    Note,
    ProfileLocation,
)
from xformat.models.common import Entities, Unwound, UrlEntity
from xformat.models.native import DeleteNotice, Klout, KloutTopic, Place, Post, User


def post_to_activity(post: Post, links: Links, losses: list[str]) -> Activity:
    return _activity(post, links, losses, top=True)


def delete_to_activity(notice: DeleteNotice, links: Links, losses: list[str]) -> DeleteActivity:
    """The dictionary's form when the notice has a time; else (a notice of the early streams, or
    one converted from such an activity) the stream form, which has none to give."""
    status = notice.delete.status
    if not _id_matches(status.id, status.id_str) or not _id_matches(status.user_id, status.user_id_str):
        losses.append("numeric_ids")
    user_id = status.user_id_str
    millis = notice.delete.timestamp_ms
    if millis is UNSET:
        return DeleteActivity(
            objectType="activity",
            verb="delete",
            actor=UNSET if user_id is UNSET else ActorRef(id=links.actor_prefix + user_id),
            object=ActivityRef(id=links.activity_prefix + status.id_str),
        )
    return DeleteActivity(
        objectType="activity",
        verb="delete",
        postedTime=millis_to_iso(millis),
        actor=UNSET if user_id is UNSET else ActorRef(objectType="person", id=links.actor_prefix + user_id),
        object=ActivityRef(objectType="activity", id=links.activity_prefix + status.id_str),
        provider=links.provider,
    )


def _activity(post: Post, links: Links, losses: list[str], *, top: bool, retweeted: bool = False) -> Activity:
    """``post``'s activity; ``top`` for the record itself, ``retweeted`` for a Retweet's original."""
    user = post.user
    id_str = post.id_str
    text = post.text
    if text is UNSET or post.extended_mode_text is not UNSET:
        losses.append("extended_mode")  # comes back as text
        text = post.extended_mode_text
        if text is UNSET:
            raise RecordError("a post needs a text: text, or full_text in extended mode", path="$.text")
    link = links.status(user.screen_name, id_str)
    posted = native_to_iso(post.created_at)
    if " +0000 " not in post.created_at:
        losses.append("shape")  # converted to UTC: comes back as +0000
    _post_losses(post, losses, top, retweeted)
    original = post.retweeted_status
    retweet_count = post.retweet_count
    if original is not UNSET:
        obj: Note | Activity = _activity(original, links, losses, top=False, retweeted=True)
        quoted: Activity | UnsetType = UNSET
        if post.quoted_status is not UNSET and post.quoted_status != original.quoted_status:
            losses.append("shape")
        # AS carries the original's count, at the top (stream captures say 0 in the Retweet's own)
        if original.retweet_count is not UNSET:
            retweet_count = original.retweet_count
        if post.retweet_count != original.retweet_count:
            losses.append("retweet_counts")
    else:
        obj = Note(id=links.object_prefix + id_str, summary=text, link=link, postedTime=posted)
        quoted = _activity(post.quoted_status, links, losses, top=False) if post.quoted_status is not UNSET else UNSET
    extended = post.extended_tweet
    activity = Activity(
        id=links.activity_prefix + id_str,
        verb="share" if original is not UNSET else "post",
        postedTime=posted,
        generator=_generator(post.source) if post.source is not UNSET else UNSET,
        provider=links.provider,
        link=link,
        body=text,
        display_text_range=post.display_text_range,
        long_object=UNSET
        if extended is UNSET
        else LongObject(
            body=extended.full_text,
            display_text_range=extended.display_text_range,
            twitter_entities=_entities(extended.entities),
            twitter_extended_entities=extended.extended_entities,
        ),
        actor=_actor(user, links, losses),
        object=obj,
        inReplyTo=_in_reply_to(post, links, losses),
        location=_location(post.place, losses) if post.place else UNSET,
        geo=post.geo if post.geo else UNSET,
        twitter_entities=UNSET if post.entities is UNSET else _entities(post.entities),
    )
    # The rest set after: CPython passes over 15 keyword arguments in a dict, costing 1 us more.
    activity.favoritesCount = post.favorite_count
    activity.retweetCount = retweet_count if top else UNSET
    activity.twitter_extended_entities = post.extended_entities
    activity.twitter_filter_level = post.filter_level
    activity.twitter_lang = post.lang
    activity.twitter_quoted_status = quoted
    activity.gnip = _gnip(post, losses) if top else UNSET
    activity.edit_history = post.edit_history
    activity.edit_controls = post.edit_controls
    activity.editable = post.editable
    return activity


def holds_entities(post: Post, name: str) -> bool:
    """Whether the post holds entities of this kind (``polls``), in ``entities`` or in its long
    form's: the losses of entities a target format has no place for."""
    return (post.entities is not UNSET and getattr(post.entities, name) is not UNSET) or (
        post.extended_tweet is not UNSET and getattr(post.extended_tweet.entities, name) is not UNSET
    )


def _post_losses(post: Post, losses: list[str], top: bool, retweeted: bool) -> None:
    """The declared losses this post (not its embedded posts) incurs."""
    add = losses.append
    entities, extended = post.entities, post.extended_tweet
    # holds_entities, unrolled: this runs for every post and embedded post.
    if (entities is not UNSET and entities.polls is not UNSET) or (
        extended is not UNSET and extended.entities.polls is not UNSET
    ):
        add("polls")
    if (entities is not UNSET and entities.annotations is not UNSET) or (
        extended is not UNSET and extended.entities.annotations is not UNSET
    ):
        add("annotations")
    if post.reply_count is not UNSET:
        add("reply_count")
    if post.quote_count is not UNSET:
        add("quote_count")
    if not top and not retweeted and post.retweet_count is not UNSET:
        add("embedded_counts")  # a quoted post's: a Retweet's original's is the top retweetCount
    if post.possibly_sensitive is not UNSET or post.possibly_sensitive_appealable is not UNSET:
        add("possibly_sensitive")
    if (
        post.withheld_copyright is not UNSET
        or post.withheld_in_countries is not UNSET
        or post.withheld_scope is not UNSET
        or post.user.withheld_in_countries is not UNSET
        or post.user.withheld_scope is not UNSET
    ):
        add("withheld")
    if post.favorited is not UNSET or post.retweeted is not UNSET or post.current_user_retweet is not UNSET:
        add("perspectival")
    if post.contributors is not UNSET:
        add("contributors")
    if post.scopes is not UNSET:
        add("scopes")
    if post.timestamp_ms is not UNSET:
        add("timestamp_ms")
    if post.quoted_status_permalink is not UNSET:
        add("quoted_status_permalink")
    if (
        post.quoted_status is UNSET
        and post.retweeted_status is UNSET
        and (post.quoted_status_id_str is not UNSET or post.is_quote_status is True)
    ):
        add("unavailable_quote")
    if not top and (post.user.derived is not UNSET or post.matching_rules is not UNSET):
        add("embedded_enrichments")
    _user_losses(post.user, losses)
    _geo_losses(post, losses)
    _id_and_shape_losses(post, losses)


def _user_losses(u: User, losses: list[str]) -> None:
    # Straight-line checks, not loops over names: this runs for every post and embedded post.
    if (
        u.profile_background_color is not UNSET or u.profile_background_image_url is not UNSET
        or u.profile_background_image_url_https is not UNSET or u.profile_background_tile is not UNSET
        or u.profile_link_color is not UNSET or u.profile_sidebar_border_color is not UNSET
        or u.profile_sidebar_fill_color is not UNSET or u.profile_text_color is not UNSET
        or u.profile_use_background_image is not UNSET or u.profile_banner_url is not UNSET
        or u.default_profile is not UNSET or u.default_profile_image is not UNSET
    ):  # fmt: skip
        losses.append("user_profile_design")
    if (
        u.geo_enabled is not UNSET or u.contributors_enabled is not UNSET or u.is_translator is not UNSET
        or u.is_translation_enabled is not UNSET or u.translator_type is not UNSET
        or u.has_extended_profile is not UNSET or u.profile_location is not UNSET
        or u.following is not UNSET or u.follow_request_sent is not UNSET or u.notifications is not UNSET
    ):  # fmt: skip
        losses.append("user_settings")
    if u.entities is not UNSET:
        losses.append("user_entities")
    if u.protected is not False:
        losses.append("protected")  # not written: comes back false
    if u.listed_count == -1:
        losses.append("shape")  # AS says -1 for a null count: comes back null
    if not _id_matches(u.id, u.id_str):
        losses.append("numeric_ids")
    https = u.profile_image_url_https
    if (
        u.profile_image_url != (http_variant(https) if isinstance(https, str) else https)
        or u.location is UNSET or u.url is UNSET or u.description is UNSET or u.utc_offset is UNSET
    ):  # fmt: skip
        losses.append("shape")


def _geo_losses(post: Post, losses: list[str]) -> None:
    geo, coords = post.geo, post.coordinates
    if coords is UNSET:
        return  # absent: "shape" reports it
    if coords is None:
        if geo:
            losses.append("coordinates")
    elif not geo or coords.coordinates != (geo.coordinates[1], geo.coordinates[0]):
        losses.append("coordinates")


def _id_and_shape_losses(post: Post, losses: list[str]) -> None:
    # The common pairs (a number and its string; null and null) checked inline, _id_matches
    # for the rest: this runs for every post and embedded post.
    number, reply, replied_user = post.id, post.in_reply_to_status_id, post.in_reply_to_user_id
    if not (
        ((type(number) is int and str(number) == post.id_str) or _id_matches(number, post.id_str))
        and ((reply is None and post.in_reply_to_status_id_str is None)
             or _id_matches(reply, post.in_reply_to_status_id_str))
        and ((replied_user is None and post.in_reply_to_user_id_str is None)
             or _id_matches(replied_user, post.in_reply_to_user_id_str))
        and (post.quoted_status_id is UNSET or _id_matches(post.quoted_status_id, post.quoted_status_id_str))
    ):  # fmt: skip
        losses.append("numeric_ids")
    quoted = post.quoted_status if post.retweeted_status is UNSET else post.retweeted_status.quoted_status
    is_quote = quoted is not UNSET
    if (
        post.id is UNSET or post.geo is UNSET or post.coordinates is UNSET or post.place is UNSET
        or post.in_reply_to_status_id is UNSET or post.in_reply_to_status_id_str is UNSET
        or post.in_reply_to_user_id is UNSET or post.in_reply_to_user_id_str is UNSET
        or post.in_reply_to_screen_name is UNSET
        or post.truncated is not (post.extended_tweet is not UNSET)
        # an unavailable quote (true, an id, no post) is the "unavailable_quote" loss instead
        or (post.is_quote_status is not is_quote and not (post.is_quote_status and post.quoted_status_id_str))
        or (is_quote and (
            post.quoted_status_id_str is UNSET
            or post.quoted_status_id is UNSET
            or (post.retweeted_status is not UNSET and post.quoted_status is UNSET)
        ))
    ):  # fmt: skip
        losses.append("shape")


def _id_matches(number: object, text: object) -> bool:
    """Whether a numeric id is what converting back writes from its string form.

    An absent number is the "shape" loss's business; null pairs with a null or absent string.
    """
    if number is UNSET:
        return True
    if number is None:
        return text is None or text is UNSET
    return type(number) is int and str(number) == text


def _generator(source: str) -> Generator:
    name, link = _parse_source(source)
    return Generator(displayName=name) if link is None else Generator(displayName=name, link=link)


@lru_cache(maxsize=1024)
def _parse_source(source: str) -> tuple[str, str | None]:
    """(name, link) of a source anchor; cached: an archive holds a few hundred clients at most.

    Only an anchor that converting back writes the same is split: another (``rel="nofollow
    noopener"``) stays whole as the name, so that the round trip gives it back exactly.
    """
    match = SOURCE_ANCHOR.fullmatch(source)
    if match is None or source != f'<a href="{match["link"]}" rel="nofollow">{match["name"]}</a>':
        return source, None
    return match["name"], match["link"]


_UTC_OFFSET_LIMIT = 10**6
"""utcOffset is at most six digits (``Actor.utcOffset``'s pattern); real offsets stay within 14 hours."""


def _actor(user: User, links: Links, losses: list[str]) -> Actor:
    utc_offset = user.utc_offset
    lang = user.lang
    location = user.location
    actor = Actor(
        objectType="person",
        id=UNSET if user.id_str is UNSET else links.actor_prefix + user.id_str,
        link=links.profile(user.screen_name),
        displayName=user.name,
        postedTime=native_to_iso(user.created_at) if user.created_at is not UNSET else UNSET,
        image=user.profile_image_url_https,
        summary=None if user.description is UNSET else user.description,
        links=[ActorLink(href=None if user.url is UNSET else user.url, rel="me")],
        friendsCount=user.friends_count,
        followersCount=user.followers_count,
        listedCount=-1 if user.listed_count is None else user.listed_count,
        statusesCount=user.statuses_count,
        favoritesCount=user.favourites_count,
        twitterTimeZone=user.time_zone,
        preferredUsername=user.screen_name,
    )
    # The rest set after: CPython passes over 15 keyword arguments in a dict, costing 1 us more.
    actor.verified = user.verified
    # No protected: real AS actors never carry it (Enterprise feeds deliver public posts only).
    if isinstance(utc_offset, int) and not -_UTC_OFFSET_LIMIT < utc_offset < _UTC_OFFSET_LIMIT:
        losses.append("utc_offset_range")
        utc_offset = None
    actor.utcOffset = str(utc_offset) if isinstance(utc_offset, int) else utc_offset
    actor.languages = [lang] if isinstance(lang, str) else ([] if lang is None else UNSET)
    actor.location = ActorLocation(objectType="place", displayName=location) if isinstance(location, str) else UNSET
    return actor


def _in_reply_to(post: Post, links: Links, losses: list[str]) -> InReplyTo | UnsetType:
    status_id = post.in_reply_to_status_id_str
    if not status_id:
        return UNSET
    screen_name = post.in_reply_to_screen_name
    if not screen_name:
        losses.append("shape")
        screen_name = "i"
    elif post.in_reply_to_user_id_str and post.in_reply_to_user_id_str != replied_user_id(
        screen_name,
        post.user.screen_name,
        post.user.id_str,
        post.entities if post.entities is not UNSET else None,
        post.extended_tweet.entities if post.extended_tweet is not UNSET else None,
    ):
        losses.append("in_reply_to_user_id")
    return InReplyTo(link=links.status(screen_name, status_id))


def replied_user_id(
    screen_name: str,
    author_screen_name: str,
    author_id: str | UnsetType,
    entities: Entities | None,
    long_entities: Entities | None,
) -> str | None:
    """The replied-to author's id as Activity Streams data gives it back (see MAPPING.md): from the
    first mention of ``screen_name`` in the post's entities, then its long form's, else the author's."""
    wanted = screen_name.lower()
    for found in (entities, long_entities):
        if found is None or found.user_mentions is UNSET:
            continue
        for mention in found.user_mentions:
            if mention.screen_name.lower() == wanted and isinstance(mention.id_str, str):
                return mention.id_str
    return author_id if author_screen_name.lower() == wanted and author_id is not UNSET else None


def _location(place: Place, losses: list[str]) -> Location:
    attributes = place.attributes
    street = attributes.get("street_address", UNSET) if attributes else UNSET
    if attributes is UNSET:
        losses.append("shape")
    elif (
        (attributes and (not isinstance(street, str) or len(attributes) > 1))
        or (place.id is not UNSET and place_id_from_url(place.url) != place.id)
        or place.contained_within is not UNSET
    ):
        losses.append("place_details")
    location = Location(
        objectType="place",
        displayName=place.full_name,
        name=place.name,
        country_code=place.country,
        twitter_country_code=place.country_code,
        twitter_place_type=place.place_type,
        link=place.url,
        geo=place.bounding_box,
    )
    location.streetAddress = street if isinstance(street, str) else UNSET
    return location


def place_id_from_url(url: object) -> str | UnsetType:
    """``…/geo/id/<id>.json`` -> ``<id>``."""
    if not isinstance(url, str):
        return UNSET
    last = url.rstrip("/").rsplit("/", 1)[-1]
    return last[:-5] if last.endswith(".json") else last


def _entities(entities: Entities) -> Entities:
    """``entities`` as AS carries them: no polls, no annotations, no ``unwound`` (it goes to gnip.urls)."""
    urls = entities.urls
    has_unwound = False
    if urls is not UNSET:
        for url in urls:  # a loop, not any() over a generator, which costs a frame a post
            if url.unwound is not UNSET:
                has_unwound = True
                break
    if entities.polls is UNSET and entities.annotations is UNSET and not has_unwound:
        return entities  # the common case: shared, not copied
    return structs.replace(
        entities,
        polls=UNSET,
        annotations=UNSET,
        urls=[structs.replace(u, unwound=UNSET) for u in urls] if has_unwound and urls is not UNSET else urls,
    )


def _gnip(post: Post, losses: list[str]) -> Gnip | UnsetType:
    urls, conflict = _unwound_urls(post)
    if conflict:
        losses.append("unwound_conflict")
    derived = post.user.derived
    locations = UNSET if derived is UNSET else derived.locations
    klout = UNSET if derived is UNSET else derived.klout
    if post.matching_rules is UNSET and not urls and locations is UNSET and klout is UNSET:
        return UNSET
    klout_profile = UNSET if klout is UNSET else _klout_profile(klout, losses)
    if klout is not UNSET and klout.score is UNSET and klout_profile is UNSET:
        losses.append("shape")  # an empty Klout enrichment: nothing to write
    return Gnip(
        matching_rules=post.matching_rules,
        urls=urls or UNSET,
        profileLocations=UNSET if locations is UNSET else [
            ProfileLocation(
                objectType="place",
                displayName=loc.full_name,
                address=Address(
                    country=loc.country,
                    countryCode=loc.country_code,
                    locality=loc.locality,
                    region=loc.region,
                    subRegion=loc.sub_region,
                ),
                geo=loc.geo,
            )
            for loc in locations
        ],
        klout_score=UNSET if klout is UNSET else klout.score,
        klout_profile=klout_profile,
    )  # fmt: skip


def _klout_profile(klout: Klout, losses: list[str]) -> KloutProfile | UnsetType:
    """Influence topics, interest topics, then untyped (2012-2016) topics; no profile at all for
    a score alone, as most posts of 2012-2016 have it."""
    groups: tuple[tuple[Literal["influence", "interest"] | UnsetType, list[KloutTopic] | UnsetType], ...] = (
        ("influence", klout.influence_topics),
        ("interest", klout.interest_topics),
        (UNSET, klout.topics),
    )
    typed = [group is not UNSET for _, group in groups[:2]]
    if any(typed) and not all(typed):
        losses.append("shape")  # one list but not the other: both come back
    if klout.topics == [] and not any(typed):
        losses.append("shape")  # an empty list says no type: comes back as two empty typed lists
    topics = [
        KloutProfileTopic(
            klout_topic_id=t.klout_topic_id, id=t.id, displayName=t.name, link=t.url, score=t.score, topic_type=kind
        )
        for kind, group in groups
        if group is not UNSET
        for t in group
    ]
    has_topics = any(typed) or klout.topics is not UNSET
    if klout.user_id is UNSET and klout.profile_url is UNSET and not has_topics:
        return UNSET
    return KloutProfile(klout_user_id=klout.user_id, link=klout.profile_url, topics=topics if has_topics else UNSET)


def gnip_urls(post: Post) -> list[GnipUrl]:
    """One item per distinct unwound t.co url, in the order MAPPING.md gives."""
    return _unwound_urls(post)[0]


def _unwound_urls(post: Post) -> tuple[list[GnipUrl], bool]:
    """``gnip_urls``, and whether two URL entities of one t.co link unwind it differently
    (gnip.urls keeps the first): one walk over the post tree's URL entities for both."""
    seen: dict[str, Unwound] = {}
    conflict = False
    for url in _url_entities(post):
        unwound = url.unwound
        if unwound is UNSET:
            continue
        first = seen.setdefault(url.url, unwound)
        if first is not unwound and first != unwound:
            conflict = True
    if not seen:  # most posts: no list built (a comprehension costs a frame)
        return [], False
    urls = [
        GnipUrl(
            url=link,
            expanded_url=unwound.url,
            expanded_status=unwound.status,
            expanded_url_title=unwound.title,
            expanded_url_description=unwound.description,
        )
        for link, unwound in seen.items()
    ]
    return urls, conflict


def _url_entities(post: Post) -> list[UrlEntity]:
    """URL entities of a post tree: the most complete set first, then the quoted post's, then the rest."""
    main = post.retweeted_status if post.retweeted_status is not UNSET else post
    quoted = main.quoted_status
    ordered = _best_urls(main)
    if quoted is not UNSET:
        ordered += _best_urls(quoted)
    # Whatever else carries unwound (the Retweet's own truncated entities, short entities of long
    # posts) comes last, so that no unwound URL is left behind.
    for other in (post, main, quoted):
        if other is not UNSET and other.extended_tweet is not UNSET and other.entities is not UNSET:
            ordered += other.entities.urls or []
    if main is not post and post.entities is not UNSET:
        ordered += post.entities.urls or []
    return ordered


def _best_urls(post: Post) -> list[UrlEntity]:
    entities = post.extended_tweet.entities if post.extended_tweet is not UNSET else post.entities
    return [] if entities is UNSET else list(entities.urls or [])
