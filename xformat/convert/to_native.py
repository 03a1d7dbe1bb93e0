"""Activity Streams -> Enriched Native (the contract is docs/MAPPING.md).

Each function builds one EN object from its AS counterpart and appends to ``losses`` the codes
(see ``losses.py``) of whatever the AS object held that the EN object cannot.
"""

from __future__ import annotations

from msgspec import UNSET, UnsetType, structs

from xformat.convert.links import Links, http_variant, is_provider, links_of, parse_status_link, tail_id
from xformat.convert.timefmt import iso_millis, iso_to_millis, iso_to_native, millis_to_iso
from xformat.convert.to_activity import gnip_urls, place_id_from_url, replied_user_id
from xformat.errors import RecordError
from xformat.models.activity import Activity, Actor, DeleteActivity, Generator, Gnip, InReplyTo, Location, Note
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

    __slots__ = ("unused", "unwound", "urlless")

    def __init__(self, gnip: Gnip | UnsetType) -> None:
        self.unwound: dict[str, Unwound] = {}
        self.unused: set[str] = set()
        self.urlless = False  # an item without url ([{}] in some 2016 feeds): no entity to go to
        self.add_urls(gnip)

    def add_urls(self, gnip: Gnip | UnsetType) -> None:
        if not gnip or not gnip.urls:
            return
        for item in gnip.urls:
            if item.url is UNSET:
                self.urlless = True
                continue
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
    if context.unused or context.urlless:
        losses.append("unmatched_gnip_urls")
    gnip = activity.gnip
    if gnip and gnip.urls:
        # Converting back writes one item per url, in the order of the entities they unwind.
        given = [item.url for item in gnip.urls if item.url is not UNSET and item.url not in context.unused]
        if given != [item.url for item in gnip_urls(post)]:
            losses.append("gnip_urls_order")
    return post


def delete_to_native(activity: DeleteActivity, losses: list[str]) -> DeleteNotice:
    """Either form of an AS deletion (see the model); what has no time comes back in the stream form."""
    actor = activity.actor
    time = activity.postedTime if activity.postedTime is not UNSET else activity.timestampMs
    millis = UNSET if time is UNSET else iso_to_millis(time)
    if not _canonical_delete(activity, millis):
        losses.append("delete_form")
    id_str = tail_id(activity.object.id, "$.object.id")
    user_id = UNSET if actor is UNSET else tail_id(actor.id, "$.actor.id")
    return DeleteNotice(
        delete=DeleteBody(
            status=DeletedStatus(
                id=int(id_str),
                id_str=id_str,
                user_id=UNSET if user_id is UNSET else int(user_id),
                user_id_str=user_id,
            ),
            timestamp_ms=millis,
        )
    )


def _canonical_delete(activity: DeleteActivity, millis: str | UnsetType) -> bool:
    """Whether ``activity`` is what converting its native form back gives: the dictionary's form
    when it has a time, the stream form (bare references, no provider) when it has none."""
    actor = activity.actor
    if activity.id is not UNSET or activity.objectType is UNSET or activity.gnip is not UNSET:
        return False
    typed = millis is not UNSET
    if (activity.object.objectType is not UNSET) is not typed or (
        actor is not UNSET and (actor.objectType is not UNSET) is not typed
    ):
        return False
    if millis is UNSET:
        return activity.provider is UNSET
    return (
        activity.timestampMs is UNSET
        and activity.provider is not UNSET
        and is_provider(activity.provider)
        and activity.postedTime == millis_to_iso(millis)
    )


def _post(activity: Activity, context: _Context, losses: list[str], *, top: bool) -> Post:
    id_str = tail_id(activity.id, "$.id")
    if not top:
        context.add_urls(activity.gnip)
        if activity.retweetCount is not UNSET:
            losses.append("shape")  # AS carries the count at the top only: it comes back there
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
        root_quote = activity.twitter_quoted_status
        if root_quote is not UNSET:
            # Read at the root of the share too (X's 2020 example); written inside object, as in 2017 feeds.
            losses.append("quote_placement")
            if original.twitter_quoted_status is UNSET:
                _set_quote(retweeted, _post(root_quote, context, losses, top=False))
            elif root_quote != original.twitter_quoted_status:
                losses.append("shape")  # two different quoted posts: the object's wins
        quoted = retweeted.quoted_status
        if activity.retweetCount is not UNSET:
            retweeted.retweet_count = activity.retweetCount  # the original's count, as the share says
    else:
        if not isinstance(original, Note):
            raise RecordError("a post's object must be a note", path="$.object")
        if activity.twitter_quoted_status is not UNSET:
            quoted = _post(activity.twitter_quoted_status, context, losses, top=False)
    long_object = activity.long_object
    replied = activity.inReplyTo
    geo = activity.geo if activity.geo is not UNSET else None
    gnip = activity.gnip
    entities = activity.twitter_entities
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
        entities=UNSET if entities is UNSET else _entities(entities, context) if context.unwound else entities,
    )  # fmt: skip
    # The rest set after: CPython passes over 15 keyword arguments in a dict, costing 1 us more.
    # Members a Post has unset already are not set again (each assignment costs as much as
    # several tests): most posts reply to none and quote none, and edits came in 2022.
    if replied is UNSET:
        post.in_reply_to_status_id = post.in_reply_to_status_id_str = None
        post.in_reply_to_user_id = post.in_reply_to_user_id_str = post.in_reply_to_screen_name = None
    else:
        reply_id, reply_name, reply_user = _reply(activity, replied, user, losses)
        post.in_reply_to_status_id = None if reply_id is None else int(reply_id)
        post.in_reply_to_status_id_str = reply_id
        post.in_reply_to_user_id = None if reply_user is None else int(reply_user)
        post.in_reply_to_user_id_str = reply_user
        post.in_reply_to_screen_name = reply_name
    if quoted is UNSET:
        post.is_quote_status = False
    else:
        _set_quote(post, quoted)
    post.retweet_count = activity.retweetCount
    post.favorite_count = activity.favoritesCount
    if (extended_entities := activity.twitter_extended_entities) is not UNSET:
        post.extended_entities = extended_entities
    post.filter_level = activity.twitter_filter_level
    post.lang = activity.twitter_lang
    if gnip is not UNSET:
        post.matching_rules = gnip.matching_rules
    if (edit_history := activity.edit_history) is not UNSET:
        post.edit_history = edit_history
    if (edit_controls := activity.edit_controls) is not UNSET:
        post.edit_controls = edit_controls
    if (editable := activity.editable) is not UNSET:
        post.editable = editable
    if gnip is not UNSET and gnip.language is not UNSET:
        losses.append("gnip_language")
    return post


def _set_quote(post: Post, quoted: Post | UnsetType) -> None:
    post.is_quote_status = quoted is not UNSET
    if quoted is not UNSET:
        post.quoted_status = quoted
        post.quoted_status_id = int(quoted.id_str)
        post.quoted_status_id_str = quoted.id_str


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


def _reply(
    activity: Activity, in_reply_to: InReplyTo, user: User, losses: list[str]
) -> tuple[str | None, str | None, str | None]:
    """(status id, screen name, user id) of the post replied to; user id as MAPPING.md derives it."""
    parsed = parse_status_link(in_reply_to.link)
    if parsed is None:
        losses.append("shape")
        return None, None, None
    screen_name, status_id = parsed
    long_object = activity.long_object
    return status_id, screen_name, replied_user_id(
        screen_name,
        user.screen_name,
        user.id_str,
        activity.twitter_entities if activity.twitter_entities is not UNSET else None,
        long_object.twitter_entities if long_object is not UNSET else None,
    )


def _source(generator: Generator) -> str:
    if generator.link is UNSET:
        return generator.displayName
    return f'<a href="{generator.link}" rel="nofollow">{generator.displayName}</a>'


def _user(actor: Actor, gnip: Gnip | UnsetType, links: Links, losses: list[str]) -> User:
    user_id = UNSET if actor.id is UNSET else tail_id(actor.id, "$.actor.id")  # early 2011: none
    created_at: str | UnsetType = UNSET
    posted = actor.postedTime
    if posted is not UNSET:
        created_at = iso_to_native(posted)
        if posted.endswith(".000Z"):  # the common form: nothing lost, no fraction to read
            pass
        elif iso_millis(posted):
            losses.append("actor_time_ms")
        else:  # no fraction, or "+00:00": comes back .000Z
            losses.append("shape")
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
        losses.append("actor_languages")  # comes back [], as real feeds say "none"
    elif languages is not UNSET:
        if len(languages) > 1:
            losses.append("actor_languages")
        lang = languages[0] if languages else None
    if (
        actor.summary is UNSET
        or actor.link != links.profile(actor.preferredUsername)
        or actor.location is None
        or actor.protected is not UNSET  # real feeds never write it: comes back absent
    ):
        losses.append("shape")
    image = actor.image
    derived: Derived | UnsetType = UNSET
    if gnip and (
        gnip.profileLocations is not UNSET or gnip.klout_score is not UNSET or gnip.klout_profile is not UNSET
    ):
        derived = _derived(gnip, losses)  # most authors have no Profile Geo and no Klout: no call
    user = User(
        id=UNSET if user_id is UNSET else int(user_id),
        id_str=user_id,
        name=actor.displayName,
        screen_name=actor.preferredUsername,
        location=None if not actor.location else actor.location.displayName,
        url=url,
        description=None if actor.summary is UNSET else actor.summary,
        derived=derived,
        # Enterprise feeds deliver public posts only; AS actors rarely say so (MAPPING.md).
        protected=False if actor.protected is UNSET else actor.protected,
        verified=actor.verified,
        followers_count=actor.followersCount,
        friends_count=actor.friendsCount,
        listed_count=None if actor.listedCount == -1 else actor.listedCount,
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


def _derived(gnip: Gnip, losses: list[str]) -> Derived:
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
        klout=UNSET if gnip.klout_score is UNSET and gnip.klout_profile is UNSET else _klout(gnip, losses),
    )  # fmt: skip


def _klout(gnip: Gnip, losses: list[str]) -> Klout:
    """Typed topics go to the influence and interest lists; untyped ones (2012-2016) to ``topics``."""
    profile = gnip.klout_profile
    klout = Klout(score=gnip.klout_score)
    if profile is UNSET:
        return klout
    klout.user_id = profile.klout_user_id
    klout.profile_url = profile.link
    if profile.topics is UNSET:
        if profile.klout_user_id is UNSET and profile.link is UNSET:
            losses.append("shape")  # an empty profile says nothing: comes back absent
        return klout
    by_type: dict[str | UnsetType, list[KloutTopic]] = {"influence": [], "interest": [], UNSET: []}
    order = []
    for t in profile.topics:
        by_type[t.topic_type].append(
            KloutTopic(id=t.id, klout_topic_id=t.klout_topic_id, name=t.displayName, url=t.link, score=t.score)
        )
        order.append(t.topic_type)
    if order != sorted(order, key=_KLOUT_ORDER.index):
        losses.append("shape")  # comes back influence first, then interest, then untyped
    untyped = by_type[UNSET]
    if not untyped or len(untyped) < len(profile.topics):
        klout.influence_topics = by_type["influence"]
        klout.interest_topics = by_type["interest"]
    if untyped:
        klout.topics = untyped
    return klout


_KLOUT_ORDER: list[str | UnsetType] = ["influence", "interest", UNSET]


def _place(location: Location, losses: list[str]) -> Place:
    if location.countryCode is not UNSET or location.country is not UNSET:
        losses.append("location_spelling")
    street = location.streetAddress
    if street is None:
        losses.append("shape")  # a null street address: nothing to keep, comes back absent
    return Place(
        id=place_id_from_url(location.link),
        url=location.link,
        place_type=location.twitter_place_type,
        name=location.name,
        full_name=location.displayName,
        country_code=location.twitter_country_code if location.countryCode is UNSET else location.countryCode,
        country=location.country_code if location.country is UNSET else location.country,
        bounding_box=location.geo,
        attributes={} if not isinstance(street, str) else {"street_address": street},
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
