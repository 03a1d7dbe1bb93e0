"""Objects both formats carry with the same shape: entities, media, geometry, rules, edits.

Enriched Native calls them ``entities``/``extended_entities``; Activity Streams calls the same
objects ``twitter_entities``/``twitter_extended_entities``. They are defined once, here, and the
generated schemas ``$ref`` them from both formats.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from msgspec import UNSET, Meta, UnsetType

from xformat.models.base import Base, IdNum, IdStr, Indices, NativeTime, since


class Hashtag(Base, kw_only=True):
    """A #hashtag found in the text."""

    text: Annotated[str, Meta(description="The hashtag without its leading '#'.")]
    indices: Indices


class Symbol(Base, kw_only=True):
    """A $cashtag found in the text."""

    text: Annotated[str, Meta(description="The symbol without its leading '$'.")]
    indices: Indices


class UserMention(Base, kw_only=True):
    """An @mention of another account."""

    screen_name: str
    name: str | None | UnsetType = UNSET
    id: IdNum | None | UnsetType = UNSET
    id_str: IdStr | None | UnsetType = UNSET
    indices: Indices


class Unwound(Base, kw_only=True):
    """Expanded and Enhanced URLs enrichment: where the link finally led."""

    url: str | None
    status: int | None | UnsetType = UNSET
    title: str | None | UnsetType = UNSET
    description: str | None | UnsetType = UNSET


class UrlEntity(Base, kw_only=True):
    """A link in the text (a t.co URL) and what it expands to."""

    url: Annotated[str, Meta(description="The t.co URL as it appears in the text.")]
    expanded_url: str | None | UnsetType = UNSET
    display_url: str | None | UnsetType = UNSET
    indices: Indices | UnsetType = UNSET
    unwound: (
        Annotated[Unwound, Meta(description="Enriched Native only; Activity Streams puts it in gnip.urls.")]
        | UnsetType
    ) = UNSET


class MediaSize(Base, kw_only=True):
    w: int
    h: int
    resize: str


class MediaSizes(Base, kw_only=True):
    thumb: MediaSize | UnsetType = UNSET
    small: MediaSize | UnsetType = UNSET
    medium: MediaSize | UnsetType = UNSET
    large: MediaSize | UnsetType = UNSET


class VideoVariant(Base, kw_only=True):
    content_type: str
    url: str
    bitrate: int | UnsetType = UNSET


class VideoInfo(Base, kw_only=True):
    aspect_ratio: tuple[int, int]
    duration_millis: int | UnsetType = UNSET
    variants: list[VideoVariant]


class AdditionalMediaInfo(Base, kw_only=True):
    title: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    embeddable: bool | UnsetType = UNSET
    monetizable: bool | UnsetType = UNSET
    call_to_actions: dict[str, Any] | UnsetType = UNSET
    source_user: dict[str, Any] | UnsetType = UNSET


class Media(Base, kw_only=True):
    """A native photo, video or animated GIF."""

    id: IdNum | UnsetType = UNSET
    id_str: IdStr
    indices: Indices
    media_url: str | UnsetType = UNSET
    media_url_https: str
    url: str
    display_url: str
    expanded_url: str
    type: Literal["photo", "video", "animated_gif"]
    sizes: MediaSizes
    source_status_id: IdNum | None | UnsetType = UNSET
    source_status_id_str: IdStr | None | UnsetType = UNSET
    source_user_id: IdNum | None | UnsetType = UNSET
    source_user_id_str: IdStr | None | UnsetType = UNSET
    video_info: VideoInfo | UnsetType = UNSET
    additional_media_info: AdditionalMediaInfo | UnsetType = UNSET
    ext_alt_text: str | None | UnsetType = UNSET


class PollOption(Base, kw_only=True):
    position: int
    text: str


class Poll(Base, kw_only=True):
    """A poll (Enriched Native only)."""

    options: list[PollOption]
    end_datetime: NativeTime
    duration_minutes: Annotated[int | str, Meta(description="Minutes; some feeds send a string.")]


class AnnotationContext(Base, kw_only=True):
    """What the post is about: a domain (e.g. 'Brand') and an entity in it (v2 ``context_annotations``)."""

    context_domain_id: IdNum | UnsetType = UNSET
    context_domain_id_str: IdStr
    context_domain_name: str | UnsetType = UNSET
    context_domain_description: str | UnsetType = UNSET
    context_entity_id: IdNum | UnsetType = UNSET
    context_entity_id_str: IdStr
    context_entity_name: str | UnsetType = UNSET
    context_entity_description: str | UnsetType = UNSET


class AnnotationEntity(Base, kw_only=True):
    """A named entity found in the text: ``start`` and ``end`` both inclusive (v2 ``entities.annotations``)."""

    start: int
    end: int
    probability: float
    type: str
    normalized_text: str


class Annotations(Base, kw_only=True):
    """The annotations enrichment (Enriched Native only)."""

    context: list[AnnotationContext] | UnsetType = UNSET
    entity: list[AnnotationEntity] | UnsetType = UNSET


class Entities(Base, kw_only=True):
    """Entities extracted from the text (``entities`` / ``twitter_entities``)."""

    hashtags: list[Hashtag] | UnsetType = UNSET
    symbols: list[Symbol] | UnsetType = UNSET
    user_mentions: list[UserMention] | UnsetType = UNSET
    urls: list[UrlEntity] | UnsetType = UNSET
    media: list[Media] | UnsetType = UNSET
    trends: (
        Annotated[list[dict[str, Any]], Meta(description="Trends named in the text; an empty list in 2013-2014 feeds.")]
        | UnsetType
    ) = UNSET
    polls: (
        Annotated[list[Poll], since("2017", "Polls: Enriched Native only, since February 2017.")] | UnsetType
    ) = UNSET
    annotations: (
        Annotated[Annotations, since("2017", "Annotations: Enriched Native only, since 2020.")] | UnsetType
    ) = UNSET


class ExtendedEntities(Base, kw_only=True):
    """All native media of the post (up to four photos, or one video or GIF)."""

    media: list[Media]


class Point(Base, kw_only=True):
    """A GeoJSON point. ``geo`` puts latitude first; ``coordinates`` longitude first."""

    type: Literal["Point"]
    coordinates: tuple[float, float]


class Polygon(Base, kw_only=True):
    """A GeoJSON polygon: a place's bounding box, [longitude, latitude] pairs."""

    type: Literal["Polygon"]
    coordinates: list[list[tuple[float, float]]]


class Centroid(Base, kw_only=True):
    """Profile Geo centroid, [longitude, latitude]; real feeds spell the type 'point'."""

    type: Literal["point", "Point"]
    coordinates: tuple[float, float]


class MatchingRule(Base, kw_only=True):
    """A PowerTrack rule that matched the post. Older feeds give ``tag`` alone, or with the rule's
    text (``value``, PowerTrack 1.0); later ones give its id."""

    value: Annotated[str, Meta(description="The rule's text (PowerTrack 1.0, until 2017).")] | UnsetType = UNSET
    tag: str | None
    id: IdNum | UnsetType = UNSET
    id_str: IdStr | UnsetType = UNSET


class EditHistory(Base, kw_only=True):
    initial_tweet_id: IdStr
    edit_tweet_ids: list[IdStr]


class EditControls(Base, kw_only=True):
    edit_tweet_ids: list[IdStr] | UnsetType = UNSET
    editable_until_ms: int | str | UnsetType = UNSET
    edits_remaining: int | str | UnsetType = UNSET
    is_edit_eligible: bool | UnsetType = UNSET


# Compliance events, named alike in both formats (native: the one member's name; Activity Streams:
# the verb). Deletions are a kind of their own: both formats have always carried them.
UserEventName = Literal[
    "user_delete", "user_undelete", "user_protect", "user_unprotect", "user_suspend", "user_unsuspend"
]
USER_EVENTS: tuple[UserEventName, ...] = (
    "user_delete", "user_undelete", "user_protect", "user_unprotect", "user_suspend", "user_unsuspend"
)  # fmt: skip
