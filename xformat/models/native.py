"""Enriched Native: X's own post object plus the Enterprise enrichments.

Fields are typed ``T | None | UnsetType``: ``UNSET`` is "absent", ``None`` is JSON ``null``, so
both survive a round trip. Fields the dictionary marks deprecated are kept: archives hold them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from xformat.accessors import PostAccessors
from xformat.models.base import Base, IdNum, IdStr, IsoTime, LosslessPatch, MillisStr, NativeTime, since
from xformat.models.common import (
    Centroid,
    EditControls,
    EditHistory,
    Entities,
    ExtendedEntities,
    MatchingRule,
    Point,
    Polygon,
    UrlEntity,
)


class DerivedLocation(Base, kw_only=True):
    """Profile Geo enrichment: where the profile's free-text location points."""

    country: str | None | UnsetType = UNSET
    country_code: str | None | UnsetType = UNSET
    locality: str | None | UnsetType = UNSET
    region: str | None | UnsetType = UNSET
    sub_region: str | None | UnsetType = UNSET
    full_name: str | None | UnsetType = UNSET
    geo: Centroid | None | UnsetType = UNSET


class KloutTopic(Base, kw_only=True):
    """A Klout topic, named by ``id`` (2017 on) or by ``klout_topic_id`` (2012-2016)."""

    id: str | UnsetType = UNSET
    klout_topic_id: Annotated[str, Meta(description="The topic's id, as 2012-2016 data names it.")] | UnsetType = (
        UNSET
    )
    name: str
    url: str | UnsetType = UNSET
    score: float | UnsetType = UNSET


class Klout(Base, kw_only=True):
    """Klout enrichment (historical data only: Klout closed in 2018)."""

    score: int | float | UnsetType = UNSET
    user_id: str | UnsetType = UNSET
    profile_url: str | UnsetType = UNSET
    influence_topics: list[KloutTopic] | UnsetType = UNSET
    interest_topics: list[KloutTopic] | UnsetType = UNSET
    topics: (
        Annotated[
            list[KloutTopic],
            Meta(description="Topics of 2012-2016 data, which did not tell influence from interest."),
        ]
        | UnsetType
    ) = UNSET


class Derived(Base, kw_only=True):
    """Enrichments derived for the user (Enterprise only)."""

    locations: list[DerivedLocation] | UnsetType = UNSET
    klout: Klout | UnsetType = UNSET


class UrlList(Base, kw_only=True):
    urls: list[UrlEntity]


class UserEntities(Base, kw_only=True):
    """Links in the profile's url and description fields."""

    url: UrlList | UnsetType = UNSET
    description: UrlList | UnsetType = UNSET


class User(Base, kw_only=True):
    """The author of a post."""

    id: IdNum | UnsetType = UNSET
    id_str: (
        Annotated[IdStr, Meta(description="Absent only when converted from an early-2011 actor without id.")]
        | UnsetType
    ) = UNSET
    name: str
    screen_name: str
    location: str | None | UnsetType = UNSET
    url: str | None | UnsetType = UNSET
    description: str | None | UnsetType = UNSET
    translator_type: str | None | UnsetType = UNSET
    derived: Derived | UnsetType = UNSET
    protected: bool | None | UnsetType = UNSET
    verified: bool | None | UnsetType = UNSET
    followers_count: int | UnsetType = UNSET
    friends_count: int | UnsetType = UNSET
    listed_count: Annotated[int | None, Meta(description="null in some 2016 feeds.")] | UnsetType = UNSET
    favourites_count: (
        Annotated[int, Meta(description="British spelling, for historical reasons.")] | UnsetType
    ) = UNSET
    statuses_count: int | UnsetType = UNSET
    created_at: NativeTime | UnsetType = UNSET
    utc_offset: int | None | UnsetType = UNSET
    time_zone: str | None | UnsetType = UNSET
    geo_enabled: bool | None | UnsetType = UNSET
    lang: str | None | UnsetType = UNSET
    contributors_enabled: bool | None | UnsetType = UNSET
    is_translator: bool | None | UnsetType = UNSET
    is_translation_enabled: bool | None | UnsetType = UNSET
    has_extended_profile: bool | None | UnsetType = UNSET
    profile_location: Any | None | UnsetType = UNSET
    profile_background_color: str | None | UnsetType = UNSET
    profile_background_image_url: str | None | UnsetType = UNSET
    profile_background_image_url_https: str | None | UnsetType = UNSET
    profile_background_tile: bool | None | UnsetType = UNSET
    profile_link_color: str | None | UnsetType = UNSET
    profile_sidebar_border_color: str | None | UnsetType = UNSET
    profile_sidebar_fill_color: str | None | UnsetType = UNSET
    profile_text_color: str | None | UnsetType = UNSET
    profile_use_background_image: bool | None | UnsetType = UNSET
    profile_image_url: str | None | UnsetType = UNSET
    profile_image_url_https: str | None | UnsetType = UNSET
    profile_banner_url: str | None | UnsetType = UNSET
    default_profile: bool | None | UnsetType = UNSET
    default_profile_image: bool | None | UnsetType = UNSET
    following: bool | None | UnsetType = UNSET
    follow_request_sent: bool | None | UnsetType = UNSET
    notifications: bool | None | UnsetType = UNSET
    withheld_in_countries: list[str] | UnsetType = UNSET
    withheld_scope: str | UnsetType = UNSET
    entities: UserEntities | UnsetType = UNSET


class Place(Base, kw_only=True):
    """A named place the post is associated with (not necessarily posted from)."""

    id: str | UnsetType = UNSET
    url: str | UnsetType = UNSET
    place_type: str | UnsetType = UNSET
    name: str | UnsetType = UNSET
    full_name: str
    country_code: str | UnsetType = UNSET
    country: str | UnsetType = UNSET
    bounding_box: Polygon | None | UnsetType = UNSET
    attributes: dict[str, Any] | UnsetType = UNSET
    contained_within: (
        Annotated[list[dict[str, Any]], Meta(description="Places that contain this one (standard v1.1).")]
        | UnsetType
    ) = UNSET


class ExtendedTweet(Base, kw_only=True):
    """The full text and entities of a long post (more than 140 characters)."""

    full_text: str
    display_text_range: tuple[int, int] | UnsetType = UNSET
    entities: Entities
    extended_entities: ExtendedEntities | UnsetType = UNSET


class QuotedStatusPermalink(Base, kw_only=True):
    url: str
    expanded: str
    display: str


class CurrentUserRetweet(Base, kw_only=True):
    id: IdNum | UnsetType = UNSET
    id_str: IdStr


class Post(Base, PostAccessors, kw_only=True):
    """A post (Tweet) in Enriched Native format. Retweets and quotes embed other posts."""

    created_at: NativeTime
    id: IdNum | UnsetType = UNSET
    id_str: IdStr
    text: Annotated[str, Meta(description="The text; absent from a post fetched in extended mode.")] | UnsetType = (
        UNSET
    )
    extended_mode_text: (
        Annotated[
            str,
            Meta(description="The whole text of a post fetched in extended mode (standard v1.1, 2016 on), "
                 "which then has no text."),
        ]
        | UnsetType
    ) = msgspec.field(default=UNSET, name="full_text")
    display_text_range: tuple[int, int] | UnsetType = UNSET
    source: Annotated[str, Meta(description="HTML anchor naming the client that posted.")] | UnsetType = UNSET
    truncated: bool | UnsetType = UNSET
    in_reply_to_status_id: IdNum | None | UnsetType = UNSET
    in_reply_to_status_id_str: IdStr | None | UnsetType = UNSET
    in_reply_to_user_id: IdNum | None | UnsetType = UNSET
    in_reply_to_user_id_str: IdStr | None | UnsetType = UNSET
    in_reply_to_screen_name: str | None | UnsetType = UNSET
    user: User
    geo: Annotated[Point, Meta(description="Deprecated: [latitude, longitude].")] | None | UnsetType = UNSET
    coordinates: Annotated[Point, Meta(description="[longitude, latitude].")] | None | UnsetType = UNSET
    place: Place | None | UnsetType = UNSET
    contributors: list[Any] | None | UnsetType = UNSET
    is_quote_status: bool | UnsetType = UNSET
    quoted_status_id: IdNum | UnsetType = UNSET
    quoted_status_id_str: IdStr | UnsetType = UNSET
    quoted_status: Post | UnsetType = UNSET
    quoted_status_permalink: QuotedStatusPermalink | UnsetType = UNSET
    retweeted_status: Post | UnsetType = UNSET
    extended_tweet: (
        Annotated[ExtendedTweet, since("2017", "Long posts, since November 2017.")] | UnsetType
    ) = UNSET
    quote_count: Annotated[int, since("2017", "Enterprise only.")] | UnsetType = UNSET
    reply_count: Annotated[int, since("2017", "Enterprise only.")] | UnsetType = UNSET
    retweet_count: int | UnsetType = UNSET
    favorite_count: int | None | UnsetType = UNSET
    entities: Annotated[Entities, Meta(description="Absent from some records of early 2011.")] | UnsetType = UNSET
    extended_entities: ExtendedEntities | UnsetType = UNSET
    favorited: bool | None | UnsetType = UNSET
    retweeted: bool | UnsetType = UNSET
    possibly_sensitive: bool | None | UnsetType = UNSET
    possibly_sensitive_appealable: bool | None | UnsetType = UNSET
    filter_level: Literal["none", "low", "medium"] | UnsetType = UNSET
    lang: str | None | UnsetType = UNSET
    matching_rules: list[MatchingRule] | UnsetType = UNSET
    timestamp_ms: MillisStr | UnsetType = UNSET
    edit_history: Annotated[EditHistory, since("2022", "Every version of the post.")] | UnsetType = UNSET
    edit_controls: (
        Annotated[EditControls, since("2022", "How long and how often it may still be edited.")] | UnsetType
    ) = UNSET
    editable: Annotated[bool, since("2022", "Whether the post was eligible for editing.")] | UnsetType = UNSET
    withheld_copyright: bool | UnsetType = UNSET
    withheld_in_countries: list[str] | UnsetType = UNSET
    withheld_scope: str | UnsetType = UNSET
    scopes: dict[str, Any] | UnsetType = UNSET
    current_user_retweet: CurrentUserRetweet | UnsetType = UNSET
    xformat_lossless: LosslessPatch | UnsetType = UNSET


class DeletedStatus(Base, kw_only=True):
    """The post a deletion or compliance event names, and its author."""

    id: IdNum | UnsetType = UNSET
    id_str: IdStr
    user_id: IdNum | UnsetType = UNSET
    user_id_str: (
        Annotated[IdStr, Meta(description="Absent only when an Activity Streams deletion named no actor.")]
        | UnsetType
    ) = UNSET


class DeleteBody(Base, kw_only=True):
    status: DeletedStatus
    timestamp_ms: MillisStr | UnsetType = UNSET


class DeleteNotice(Base, kw_only=True):
    """A deletion notice: the post must leave every data set that holds it."""

    delete: DeleteBody
    xformat_lossless: LosslessPatch | UnsetType = UNSET


# --- compliance events: the compliance firehose, also mixed into some archives ------------------


class StatusEvent(Base, kw_only=True):
    """An event about one post: ``status_withheld``, ``drop`` or ``undrop``."""

    status: DeletedStatus
    withheld_in_countries: (
        Annotated[list[str], Meta(description="status_withheld: the countries where the post is withheld.")]
        | UnsetType
    ) = UNSET
    timestamp_ms: MillisStr | UnsetType = UNSET


class ScrubGeo(Base, kw_only=True):
    """Remove the geo of every post of ``user_id`` up to ``up_to_status_id``."""

    user_id: IdNum | UnsetType = UNSET
    up_to_status_id: IdNum | UnsetType = UNSET
    up_to_status_id_str: IdStr
    user_id_str: IdStr
    timestamp_ms: MillisStr | UnsetType = UNSET


class UserEvent(Base, kw_only=True):
    """An event about an account (``user_delete``, ``user_protect`` ...): feeds give its numeric id alone."""

    id: IdNum
    id_str: IdStr | UnsetType = UNSET
    timestamp_ms: MillisStr | UnsetType = UNSET


class WithheldUser(Base, kw_only=True):
    id: IdNum | UnsetType = UNSET
    id_str: IdStr


class UserWithheld(Base, kw_only=True):
    """An account withheld in some countries."""

    user: WithheldUser
    withheld_in_countries: list[str]
    timestamp_ms: MillisStr | UnsetType = UNSET
    timestampMs: (
        Annotated[IsoTime, Meta(description="The time as X's documentation spells it for this event.")] | UnsetType
    ) = UNSET


class ComplianceNotice(Base, kw_only=True):
    """A compliance event: an object with exactly one member, named for the event.

    Each says what a data set must do with a post or an account: remove or hide it, scrub its
    geo, or (``undrop``, ``user_undelete`` ...) that it may come back.
    """

    status_withheld: StatusEvent | UnsetType = UNSET
    drop: StatusEvent | UnsetType = UNSET
    undrop: StatusEvent | UnsetType = UNSET
    scrub_geo: ScrubGeo | UnsetType = UNSET
    user_delete: UserEvent | UnsetType = UNSET
    user_undelete: UserEvent | UnsetType = UNSET
    user_protect: UserEvent | UnsetType = UNSET
    user_unprotect: UserEvent | UnsetType = UNSET
    user_suspend: UserEvent | UnsetType = UNSET
    user_unsuspend: UserEvent | UnsetType = UNSET
    user_withheld: UserWithheld | UnsetType = UNSET
    xformat_lossless: LosslessPatch | UnsetType = UNSET
