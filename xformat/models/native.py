"""Enriched Native: X's own post object plus the Enterprise enrichments.

Fields are typed ``T | None | UnsetType``: ``UNSET`` is "absent", ``None`` is JSON ``null``, so
both survive a round trip. Fields the dictionary marks deprecated are kept: archives hold them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from msgspec import UNSET, Meta, UnsetType

from xformat.accessors import PostAccessors
from xformat.models.base import Base, IdNum, IdStr, LosslessPatch, MillisStr, NativeTime, since
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
    id: str
    name: str
    url: str | UnsetType = UNSET
    score: float | UnsetType = UNSET


class Klout(Base, kw_only=True):
    """Klout enrichment (historical data only: Klout closed in 2018)."""

    score: int | float
    user_id: str | UnsetType = UNSET
    profile_url: str | UnsetType = UNSET
    influence_topics: list[KloutTopic] | UnsetType = UNSET
    interest_topics: list[KloutTopic] | UnsetType = UNSET


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
    id_str: IdStr
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
    listed_count: int | UnsetType = UNSET
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
    text: str
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
    entities: Entities
    extended_entities: ExtendedEntities | UnsetType = UNSET
    favorited: bool | None | UnsetType = UNSET
    retweeted: bool | UnsetType = UNSET
    possibly_sensitive: bool | None | UnsetType = UNSET
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
    id: IdNum | UnsetType = UNSET
    id_str: IdStr
    user_id: IdNum | UnsetType = UNSET
    user_id_str: IdStr


class DeleteBody(Base, kw_only=True):
    status: DeletedStatus
    timestamp_ms: MillisStr | UnsetType = UNSET


class DeleteNotice(Base, kw_only=True):
    """A deletion notice: the post must leave every data set that holds it."""

    delete: DeleteBody
    xformat_lossless: LosslessPatch | UnsetType = UNSET
