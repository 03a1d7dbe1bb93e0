"""Activity Streams -> Enriched Native (the contract is docs/MAPPING.md).

Each function builds one EN object from its AS counterpart and appends to ``losses`` the codes
(see ``losses.py``) of whatever the AS object held that the EN object cannot.
"""

from __future__ import annotations

from msgspec import UNSET, UnsetType, structs

from xformat.convert.links import Links, http_variant, is_provider, links_of, parse_status_link, tail_id
from xformat.convert.timefmt import iso_to_millis, iso_to_native
from xformat.convert.to_activity import place_id_from_url, replied_user_id
from xformat.errors import RecordError
from xformat.models.activity import Activity, Actor, DeleteActivity, Generator, Gnip, Location, Note
from xformat.models.common import Entities, Point, Unwound
from xformat.models.native import (
    DeleteBody,
    DeletedStatus,
    DeleteNotice,
    Derived,
    DerivedLocation,
    ExtendedTweet,
    Klout,
    KloutTopic,
    Place,
    Post,
    User,
)


class _Context:
    """What one record's conversion shares across its embedded activities."""

    __slots__ = ("unused", "unwound")

    def __init__(self, gnip: Gnip | UnsetType) -> None:
        self.unwound: dict[str, Unwound] = {}
        self.unused: set[str] = set()
        self.add_urls(gnip)

    def add_urls(self, gnip: Gnip | UnsetType) -> None:
        if not gnip or not gnip.urls:
            return
        for item in gnip.urls:
            if item.url in self.unwound:
                continue
            self.unwound[item.url] = Unwound(
                url=None if item.expanded_url is UNSET else item.expanded_url,
                status=item.expanded_status,
                title=item.expanded_url_title,
                description=item.expanded_url_description,
            )
            self.unused.add(item.url)


def activity_to_post(activity: Activity, losses: list[str]) -> Post:
    context = _Context(activity.gnip)
    post = _post(activity, context, losses, top=True)
    if context.unused:
        losses.append("unmatched_gnip_urls")
    return post


def delete_to_native(activity: DeleteActivity, losses: list[str]) -> DeleteNotice:
    if activity.id is not UNSET or activity.provider is UNSET or not is_provider(activity.provider):
        losses.append("shape")
    id_str = tail_id(activity.object.id, "$.object.id")
    user_id = tail_id(activity.actor.id, "$.actor.id")
    return DeleteNotice(
        delete=DeleteBody(
            status=DeletedStatus(id=int(id_str), id_str=id_str, user_id=int(user_id), user_id_str=user_id),
            timestamp_ms=iso_to_millis(activity.postedTime),
        )
    )


def _post(activity: Activity, context: _Context, losses: list[str], *, top: bool) -> Post:
    id_str = tail_id(activity.id, "$.id")
    if not top:
        context.add_urls(activity.gnip)
    actor = activity.actor
    created_at = iso_to_native(activity.postedTime)
    if not activity.postedTime.endswith(".000Z"):  # post times have whole seconds, written .000Z
        losses.append("shape")
    links = links_of(activity.id)  # derived members must agree with the record's own domain
    user = _user(actor, activity.gnip, links, losses)
    _derived_losses(activity, id_str, links, losses)
    original = activity.object
    retweeted: Post | UnsetType = UNSET
    quoted: Post | UnsetType = UNSET
    if activity.verb == "share":
        if not isinstance(original, Activity):
            raise RecordError("a Retweet's object must be the original's activity", path="$.object")
        retweeted = _post(original, context, losses, top=False)
        quoted = retweeted.quoted_status
        if activity.twitter_quoted_status is not UNSET:
            losses.append("shape")
    else:
        if not isinstance(original, Note):
            raise RecordError("a post's object must be a note", path="$.object")
        if activity.twitter_quoted_status is not UNSET:
            quoted = _post(activity.twitter_quoted_status, context, losses, top=False)
    long_object = activity.long_object
    reply_id, reply_name, reply_user = _reply(activity, user, losses)
    geo = activity.geo if activity.geo is not UNSET else None
    gnip = activity.gnip
    post = Post(
        created_at=created_at,
        id=int(id_str),
        id_str=id_str,
        text=activity.body,
        display_text_range=activity.display_text_range,
        source=_source(activity.generator) if activity.generator is not UNSET else UNSET,
        truncated=long_object is not UNSET,
        user=user,
        geo=geo,
        coordinates=None if geo is None else Point(type="Point", coordinates=geo.coordinates[::-1]),
        place=None if activity.location is UNSET else _place(activity.location, losses),
        quoted_status=quoted,
        retweeted_status=retweeted,
        extended_tweet=UNSET if long_object is UNSET else ExtendedTweet(
            full_text=long_object.body,
            display_text_range=long_object.display_text_range,
            entities=_entities(long_object.twitter_entities, context),
            extended_entities=long_object.twitter_extended_entities,
        ),
        entities=_entities(activity.twitter_entities, context),
    )  # fmt: skip
    # The rest set after: CPython passes over 15 keyword arguments in a dict, costing 1 us more.
    post.in_reply_to_status_id = None if reply_id is None else int(reply_id)
    post.in_reply_to_status_id_str = reply_id
    post.in_reply_to_user_id = None if reply_user is None else int(reply_user)
    post.in_reply_to_user_id_str = reply_user
    post.in_reply_to_screen_name = reply_name
    post.is_quote_status = quoted is not UNSET
    if quoted is not UNSET:
        post.quoted_status_id = int(quoted.id_str)
        post.quoted_status_id_str = quoted.id_str
    post.retweet_count = activity.retweetCount
    post.favorite_count = activity.favoritesCount
    post.extended_entities = activity.twitter_extended_entities
    post.filter_level = activity.twitter_filter_level
    post.lang = activity.twitter_lang
    post.matching_rules = UNSET if gnip is UNSET else gnip.matching_rules
    post.edit_history = activity.edit_history
    post.edit_controls = activity.edit_controls
    post.editable = activity.editable
    return post


def _derived_losses(activity: Activity, id_str: str, links: Links, losses: list[str]) -> None:
    """Members AS derives from others: absent or disagreeing ones come back derived ("shape")."""
    screen_name = activity.actor.preferredUsername
    if (
        activity.link != links.status(screen_name, id_str)
        or activity.provider is UNSET
        or not is_provider(activity.provider)
    ):
        losses.append("shape")
    note = activity.object
    if isinstance(note, Note) and not (
        note.summary == activity.body
        and note.link == activity.link
        and note.postedTime == activity.postedTime
        and note.id == links.object_prefix + id_str
    ):
        losses.append("shape")


def _reply(activity: Activity, user: User, losses: list[str]) -> tuple[str | None, str | None, str | None]:
    """(status id, screen name, user id) of the post replied to; user id as MAPPING.md derives it."""
    if activity.inReplyTo is UNSET:
        return None, None, None
    parsed = parse_status_link(activity.inReplyTo.link)
    if parsed is None:
        losses.append("shape")
        return None, None, None
    screen_name, status_id = parsed
    long_object = activity.long_object
    return status_id, screen_name, replied_user_id(
        screen_name,
        user.screen_name,
        user.id_str,
        activity.twitter_entities,
        long_object.twitter_entities if long_object is not UNSET else None,
    )


def _source(generator: Generator) -> str:
    if generator.link is UNSET:
        return generator.displayName
    return f'<a href="{generator.link}" rel="nofollow">{generator.displayName}</a>'


def _user(actor: Actor, gnip: Gnip | UnsetType, links: Links, losses: list[str]) -> User:
    user_id = tail_id(actor.id, "$.actor.id")
    created_at: str | UnsetType = UNSET
    posted = actor.postedTime
    if posted is not UNSET:
        created_at = iso_to_native(posted)
        if not posted.endswith(".000Z"):  # milliseconds, or none written: comes back .000Z
            losses.append("actor_time_ms")
    profile_links = actor.links
    url: str | None = None
    if not profile_links:
        losses.append("shape")
    elif len(profile_links) == 1 and profile_links[0].rel == "me":
        url = profile_links[0].href
    else:
        losses.append("actor_links")
        url = next((link.href for link in profile_links if link.rel == "me"), None)
    utc_offset = actor.utcOffset
    offset: int | None = None
    if utc_offset is UNSET:
        losses.append("utc_offset_absent")
    elif utc_offset is not None:
        offset = int(utc_offset)
        if str(offset) != utc_offset:
            losses.append("shape")  # "+3600" comes back "3600"
    languages = actor.languages
    lang: str | None | UnsetType = UNSET
    if languages is None:
        lang = None
    elif languages is not UNSET:
        if len(languages) != 1:
            losses.append("actor_languages")
        lang = languages[0] if languages else None
    if actor.summary is UNSET or actor.link != links.profile(actor.preferredUsername):
        losses.append("shape")
    image = actor.image
    user = User(
        id=int(user_id),
        id_str=user_id,
        name=actor.displayName,
        screen_name=actor.preferredUsername,
        location=None if actor.location is UNSET else actor.location.displayName,
        url=url,
        description=None if actor.summary is UNSET else actor.summary,
        derived=_derived(gnip),
        protected=actor.protected,
        verified=actor.verified,
        followers_count=actor.followersCount,
        friends_count=actor.friendsCount,
        listed_count=actor.listedCount,
        favourites_count=actor.favoritesCount,
        statuses_count=actor.statusesCount,
    )
    # The rest set after: CPython passes over 15 keyword arguments in a dict, costing 1 us more.
    user.created_at = created_at
    user.utc_offset = offset
    user.time_zone = actor.twitterTimeZone
    user.lang = lang
    user.profile_image_url = http_variant(image) if isinstance(image, str) else image
    user.profile_image_url_https = image
    return user


def _derived(gnip: Gnip | UnsetType) -> Derived | UnsetType:
    if gnip is UNSET or (gnip.profileLocations is UNSET and gnip.klout_score is UNSET):
        return UNSET
    locations = gnip.profileLocations
    return Derived(
        locations=UNSET if locations is UNSET else [
            DerivedLocation(
                country=UNSET if loc.address is UNSET else loc.address.country,
                country_code=UNSET if loc.address is UNSET else loc.address.countryCode,
                locality=UNSET if loc.address is UNSET else loc.address.locality,
                region=UNSET if loc.address is UNSET else loc.address.region,
                sub_region=UNSET if loc.address is UNSET else loc.address.subRegion,
                full_name=loc.displayName,
                geo=loc.geo,
            )
            for loc in locations
        ],
        klout=UNSET if gnip.klout_score is UNSET else _klout(gnip),
    )  # fmt: skip


def _klout(gnip: Gnip) -> Klout:
    assert gnip.klout_score is not UNSET
    profile = gnip.klout_profile
    topics = [] if profile is UNSET or profile.topics is UNSET else profile.topics
    influence = [
        KloutTopic(id=t.id, name=t.displayName, url=t.link, score=t.score)
        for t in topics
        if t.topic_type == "influence"
    ]
    interest = [
        KloutTopic(id=t.id, name=t.displayName, url=t.link, score=t.score) for t in topics if t.topic_type == "interest"
    ]
    return Klout(
        score=gnip.klout_score,
        user_id=UNSET if profile is UNSET else profile.klout_user_id,
        profile_url=UNSET if profile is UNSET else profile.link,
        influence_topics=influence if profile is not UNSET and profile.topics is not UNSET else UNSET,
        interest_topics=interest if profile is not UNSET and profile.topics is not UNSET else UNSET,
    )


def _place(location: Location, losses: list[str]) -> Place:
    if location.countryCode is not UNSET or location.country is not UNSET:
        losses.append("location_spelling")
    return Place(
        id=place_id_from_url(location.link),
        url=location.link,
        place_type=location.twitter_place_type,
        name=location.name,
        full_name=location.displayName,
        country_code=location.twitter_country_code if location.countryCode is UNSET else location.countryCode,
        country=location.country_code if location.country is UNSET else location.country,
        bounding_box=location.geo,
        attributes={},
    )


def _entities(entities: Entities, context: _Context) -> Entities:
    """``twitter_entities`` with ``unwound`` put back on every URL that gnip.urls unwound."""
    unwound = context.unwound
    urls = entities.urls
    if not unwound or not urls:
        return entities
    rebuilt = []
    changed = False
    for url in urls:
        found = unwound.get(url.url)
        if found is not None:
            context.unused.discard(url.url)
            url = structs.replace(url, unwound=found)
            changed = True
        rebuilt.append(url)
    return structs.replace(entities, urls=rebuilt) if changed else entities
