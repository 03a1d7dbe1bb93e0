"""X API v2: response pages, filtered-stream lines, twarc2-flattened posts, compliance jobs.

A v2 body is one object: ``data`` (the posts), ``includes`` (the users, posts, media, places and
polls they reference, each once per page, linked back by id), ``meta`` (paging), ``errors``
(partial failures) and, on stream lines, ``matching_rules``. Only ``id``, ``text`` and
``edit_history_tweet_ids`` come by default; every other member exists only when the request
asked for it, so every other member is optional here. Absent means absent: v2 omits a field
rather than sending null (user ``url`` and ``description`` are ``""`` when empty).

``twarc2 flatten`` turns a page into one post a line with the includes inlined (``author``,
``in_reply_to_user``, mentions merged with their users, ``referenced_tweets`` merged with whole
posts, ``attachments.media``/``.poll``, ``geo`` merged with its place); an include the page
lacked becomes ``{}``. The ``V2Flat*`` structs hold that form: every member of an inlined
object is optional there, since ``{}`` is what a deleted or protected object looks like.

Class names start with ``V2``: the schemas name definitions by class, and the native and
Activity Streams models already use the plain names.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from xformat.models.base import Base, IdStr, IsoTime, LosslessPatch
from xformat.models.common import Point

MediaKey = Annotated[
    str,
    Meta(
        pattern=r"^[0-9]{1,3}_[0-9]{1,20}(?!\n)$",
        description="<type prefix>_<media id>: 3_ photo, 7_ or 13_ video, 16_ animated GIF (observed).",
        extra={"expected": "a media key like '3_1050118621198921728'"},
    ),
]
AnyIsoTime = Annotated[
    str,
    Meta(
        pattern=r"^[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9](\.[0-9]{1,6})?"
        r"(Z|[+-][0-9]{2}:[0-9]{2})(?!\n)$",
        description="ISO 8601 time with Z or an offset, e.g. '2022-10-02T15:11:44+00:00'.",
        extra={"expected": "a time like '2022-10-02T15:11:44.000Z'"},
    ),
]
Offset = Annotated[int, Meta(description="Offset in the text, in Unicode code points.")]
ReplySettings = Annotated[
    str,
    Meta(
        description="Who may reply, camelCase on the wire: everyone, mentionedUsers, following "
        "(observed); subscribers, verified, other (spec). Any string is accepted."
    ),
]
OwnerMetrics = Annotated[
    dict[str, int], Meta(description="Counts only the owner's credentials return (impressions, link clicks ...).")
]


# --- entities ---------------------------------------------------------------------------------


class V2Tag(Base, kw_only=True):
    """A #hashtag or $cashtag: ``start`` inclusive, ``end`` exclusive."""

    start: Offset
    end: Offset
    tag: Annotated[str, Meta(description="Without its leading '#' or '$'.")]


class V2Mention(Base, kw_only=True):
    """An @mention. ``username`` is the canonical name, whose case may differ from the text's."""

    start: Offset
    end: Offset
    username: str
    id: Annotated[IdStr, Meta(description="Present in captures since 2021.")] | UnsetType = UNSET


class V2UrlImage(Base, kw_only=True):
    """A preview image of the page a link leads to."""

    url: str
    width: int | UnsetType = UNSET
    height: int | UnsetType = UNSET


class V2Url(Base, kw_only=True):
    """A link (a t.co URL) with where it expands to and, when unwound, where it finally led."""

    start: Offset
    end: Offset
    url: Annotated[str, Meta(description="The t.co URL as it appears in the text.")]
    expanded_url: str | UnsetType = UNSET
    display_url: str | UnsetType = UNSET
    unwound_url: str | UnsetType = UNSET
    status: Annotated[int, Meta(description="HTTP status of the unwound URL.")] | UnsetType = UNSET
    title: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    images: list[V2UrlImage] | UnsetType = UNSET
    media_key: (
        Annotated[MediaKey, Meta(description="On the t.co link of attached media (captures since 2022).")] | UnsetType
    ) = UNSET


class V2Annotation(Base, kw_only=True):
    """A named entity the annotation service found: ``start`` and ``end`` both inclusive."""

    start: int
    end: int
    probability: float
    type: str
    normalized_text: str


class V2Entities(Base, kw_only=True):
    """Entities of a post's text (offsets in code points, on the text as delivered)."""

    hashtags: list[V2Tag] | UnsetType = UNSET
    cashtags: list[V2Tag] | UnsetType = UNSET
    mentions: list[V2Mention] | UnsetType = UNSET
    urls: list[V2Url] | UnsetType = UNSET
    annotations: list[V2Annotation] | UnsetType = UNSET


class V2NoteTweet(Base, kw_only=True):
    """The whole text of a post longer than 280 characters (its ``text`` is then cut short)."""

    text: str
    entities: V2Entities | UnsetType = UNSET


class V2ContextItem(Base, kw_only=True):
    id: IdStr
    name: str | UnsetType = UNSET
    description: str | UnsetType = UNSET


class V2ContextAnnotation(Base, kw_only=True):
    """What the post is about: a domain (e.g. 'Brand') and an entity in it (e.g. a company)."""

    domain: V2ContextItem
    entity: V2ContextItem


class V2ReferencedTweet(Base, kw_only=True):
    type: Literal["retweeted", "quoted", "replied_to"]
    id: IdStr


class V2Attachments(Base, kw_only=True):
    media_keys: list[MediaKey] | UnsetType = UNSET
    poll_ids: list[IdStr] | UnsetType = UNSET


class V2Geo(Base, kw_only=True):
    """Where the post was sent from: a place (by id) and/or an exact point ([longitude, latitude])."""

    place_id: str | UnsetType = UNSET
    coordinates: Point | UnsetType = UNSET


class V2PublicMetrics(Base, kw_only=True):
    retweet_count: int | UnsetType = UNSET
    reply_count: int | UnsetType = UNSET
    like_count: int | UnsetType = UNSET
    quote_count: int | UnsetType = UNSET
    impression_count: Annotated[int, Meta(description="Since December 2022.")] | UnsetType = UNSET
    bookmark_count: int | UnsetType = UNSET


class V2Withheld(Base, kw_only=True):
    copyright: bool | UnsetType = UNSET
    country_codes: list[str] | UnsetType = UNSET
    scope: Literal["tweet", "user"] | UnsetType = UNSET


class V2EditControls(Base, kw_only=True):
    """How long and how often the post may still be edited (posts since 2022-09-29)."""

    edits_remaining: (
        Annotated[int | str, Meta(description="A JSON string in some 2022 captures ('4'), a number later.")] | UnsetType
    ) = UNSET
    is_edit_eligible: bool | UnsetType = UNSET
    editable_until: IsoTime | UnsetType = UNSET


# --- posts ------------------------------------------------------------------------------------


class _PostFields(Base, kw_only=True):
    """The members every form of a post shares (defined once; not a record of its own)."""

    edit_history_tweet_ids: (
        Annotated[
            list[IdStr],
            Meta(description="Every version, oldest first. Default since 2022-09; older captures lack it."),
        ]
        | UnsetType
    ) = UNSET
    author_id: IdStr | UnsetType = UNSET
    created_at: IsoTime | UnsetType = UNSET
    conversation_id: IdStr | UnsetType = UNSET
    in_reply_to_user_id: IdStr | UnsetType = UNSET
    context_annotations: list[V2ContextAnnotation] | UnsetType = UNSET
    public_metrics: V2PublicMetrics | UnsetType = UNSET
    non_public_metrics: OwnerMetrics | UnsetType = UNSET
    organic_metrics: OwnerMetrics | UnsetType = UNSET
    promoted_metrics: OwnerMetrics | UnsetType = UNSET
    possibly_sensitive: bool | UnsetType = UNSET
    lang: str | UnsetType = UNSET
    source: Annotated[str, Meta(description="The client's bare name, no link (deprecated).")] | UnsetType = UNSET
    reply_settings: ReplySettings | UnsetType = UNSET
    withheld: V2Withheld | UnsetType = UNSET
    edit_controls: V2EditControls | UnsetType = UNSET
    display_text_range: tuple[int, int] | UnsetType = UNSET
    scopes: Annotated[dict[str, Any], Meta(description="Promoted posts: {followers: bool}.")] | UnsetType = UNSET
    community_id: IdStr | UnsetType = UNSET
    paid_partnership: bool | UnsetType = UNSET
    card_uri: str | UnsetType = UNSET
    article: dict[str, Any] | UnsetType = UNSET
    media_metadata: list[dict[str, Any]] | UnsetType = UNSET


class V2Post(_PostFields, kw_only=True):
    """A post (Tweet) as ``data`` or ``includes.tweets`` carries it."""

    id: IdStr
    text: Annotated[
        str,
        Meta(description="The text; a Retweet's is 'RT @name: ' + the original, cut to 140 characters with '…'."),
    ]
    referenced_tweets: list[V2ReferencedTweet] | UnsetType = UNSET
    attachments: V2Attachments | UnsetType = UNSET
    geo: V2Geo | UnsetType = UNSET
    entities: V2Entities | UnsetType = UNSET
    note_tweet: V2NoteTweet | UnsetType = UNSET


# --- users ------------------------------------------------------------------------------------


class V2UserUrls(Base, kw_only=True):
    urls: list[V2Url] | UnsetType = UNSET


class V2UserEntities(Base, kw_only=True):
    """Entities of the profile: its url (the t.co and what it expands to) and its description."""

    url: V2UserUrls | UnsetType = UNSET
    description: V2Entities | UnsetType = UNSET


class V2UserMetrics(Base, kw_only=True):
    followers_count: int | UnsetType = UNSET
    following_count: int | UnsetType = UNSET
    tweet_count: int | UnsetType = UNSET
    listed_count: int | UnsetType = UNSET
    like_count: Annotated[int, Meta(description="Current spec only.")] | UnsetType = UNSET
    media_count: int | UnsetType = UNSET


class V2UserWithheld(Base, kw_only=True):
    country_codes: list[str] | UnsetType = UNSET
    scope: Literal["user"] | UnsetType = UNSET


class _UserFields(Base, kw_only=True):
    """The members every form of a user shares."""

    created_at: IsoTime | UnsetType = UNSET
    description: Annotated[str, Meta(description="'' when the profile has none.")] | UnsetType = UNSET
    entities: V2UserEntities | UnsetType = UNSET
    location: str | UnsetType = UNSET
    pinned_tweet_id: IdStr | UnsetType = UNSET
    most_recent_tweet_id: IdStr | UnsetType = UNSET
    profile_image_url: str | UnsetType = UNSET
    profile_banner_url: str | UnsetType = UNSET
    protected: bool | UnsetType = UNSET
    public_metrics: V2UserMetrics | UnsetType = UNSET
    url: Annotated[str, Meta(description="The profile link as a t.co URL; '' when there is none.")] | UnsetType = UNSET
    verified: bool | UnsetType = UNSET
    verified_type: str | UnsetType = UNSET
    withheld: V2UserWithheld | UnsetType = UNSET
    affiliation: dict[str, Any] | UnsetType = UNSET
    parody: bool | UnsetType = UNSET


class V2User(_UserFields, kw_only=True):
    """An account (``includes.users``)."""

    id: IdStr
    name: str
    username: str


# --- media, places, polls, topics -------------------------------------------------------------


class V2Variant(Base, kw_only=True):
    """One encoding of a video or GIF."""

    bit_rate: int | UnsetType = UNSET
    content_type: str
    url: str


class V2MediaMetrics(Base, kw_only=True):
    view_count: int | UnsetType = UNSET


class _MediaFields(Base, kw_only=True):
    url: Annotated[str, Meta(description="Photos: the image.")] | UnsetType = UNSET
    preview_image_url: Annotated[str, Meta(description="Videos and GIFs: the still.")] | UnsetType = UNSET
    width: int | UnsetType = UNSET
    height: int | UnsetType = UNSET
    duration_ms: int | UnsetType = UNSET
    alt_text: str | UnsetType = UNSET
    variants: list[V2Variant] | UnsetType = UNSET
    public_metrics: V2MediaMetrics | UnsetType = UNSET
    non_public_metrics: OwnerMetrics | UnsetType = UNSET
    organic_metrics: OwnerMetrics | UnsetType = UNSET
    promoted_metrics: OwnerMetrics | UnsetType = UNSET


MediaType = Literal["photo", "video", "animated_gif"]


class V2Media(_MediaFields, kw_only=True):
    """A photo, video or animated GIF (``includes.media``), keyed by ``media_key``."""

    media_key: MediaKey
    type: MediaType


class V2PlaceGeo(Base, kw_only=True):
    """A GeoJSON Feature whose ``bbox`` is [west, south, east, north]."""

    type: Literal["Feature"]
    bbox: tuple[float, float, float, float] | UnsetType = UNSET
    geometry: Point | None | UnsetType = UNSET
    properties: dict[str, Any] | UnsetType = UNSET


class _PlaceFields(Base, kw_only=True):
    name: str | UnsetType = UNSET
    place_type: str | UnsetType = UNSET
    country: str | UnsetType = UNSET
    country_code: str | UnsetType = UNSET
    contained_within: list[str] | UnsetType = UNSET
    geo: V2PlaceGeo | UnsetType = UNSET


class V2Place(_PlaceFields, kw_only=True):
    """A named place (``includes.places``)."""

    id: str
    full_name: str


class V2PollOption(Base, kw_only=True):
    position: int
    label: str
    votes: int | UnsetType = UNSET


class _PollFields(Base, kw_only=True):
    duration_minutes: int | UnsetType = UNSET
    end_datetime: IsoTime | UnsetType = UNSET
    voting_status: Annotated[str, Meta(description="open or closed.")] | UnsetType = UNSET


class V2Poll(_PollFields, kw_only=True):
    """A poll (``includes.polls``)."""

    id: IdStr
    options: list[V2PollOption]


class V2Topic(Base, kw_only=True):
    id: str
    name: str | UnsetType = UNSET
    description: str | UnsetType = UNSET


class V2Includes(Base, kw_only=True):
    """The objects the page's posts reference, each once, by kind."""

    users: list[V2User] | UnsetType = UNSET
    tweets: list[V2Post] | UnsetType = UNSET
    media: list[V2Media] | UnsetType = UNSET
    places: list[V2Place] | UnsetType = UNSET
    polls: list[V2Poll] | UnsetType = UNSET
    topics: list[V2Topic] | UnsetType = UNSET


# --- envelope -----------------------------------------------------------------------------------


class V2Error(Base, kw_only=True):
    """A problem (RFC 7807 style): a referenced object that is gone, or a stream disconnect."""

    title: str | UnsetType = UNSET
    detail: str | UnsetType = UNSET
    type: str | UnsetType = UNSET
    value: Any | UnsetType = UNSET
    resource_type: str | UnsetType = UNSET
    resource_id: str | UnsetType = UNSET
    parameter: Annotated[str, Meta(description="The expansion that failed.")] | UnsetType = UNSET
    section: Annotated[str, Meta(description="Where the object was wanted, e.g. 'includes'.")] | UnsetType = UNSET
    disconnect_type: str | UnsetType = UNSET
    status: int | UnsetType = UNSET
    message: str | UnsetType = UNSET
    parameters: dict[str, Any] | UnsetType = UNSET


class V2Meta(Base, kw_only=True):
    """Paging of list endpoints."""

    result_count: int | UnsetType = UNSET
    newest_id: IdStr | UnsetType = UNSET
    oldest_id: IdStr | UnsetType = UNSET
    next_token: str | UnsetType = UNSET
    previous_token: str | UnsetType = UNSET
    total_tweet_count: int | UnsetType = UNSET
    sent: str | UnsetType = UNSET


class V2MatchingRule(Base, kw_only=True):
    """A filtered-stream rule the post matched."""

    id: Annotated[str | int, Meta(description="A string per spec; a JSON number in some 2021 captures.")]
    tag: Annotated[str | None, Meta(description="null (or absent) for a rule made without a tag.")] | UnsetType = UNSET
    embedding_similarity: float | UnsetType = UNSET
    embedding_threshold: float | UnsetType = UNSET


class V2Twarc(Base, kw_only=True):
    """What twarc2 adds to each page it writes."""

    url: Annotated[str, Meta(description="The request, with every field and expansion asked for.")]
    version: str | UnsetType = UNSET
    retrieved_at: AnyIsoTime


_TWARC = msgspec.field(name="__twarc", default=UNSET)


class V2Page(Base, kw_only=True):
    """A v2 response: a search, timeline or lookup page (one line of a twarc2 file), or one
    stream message. ``data`` is a list, or one post for single lookups and stream messages."""

    data: list[V2Post] | V2Post | UnsetType = UNSET
    includes: V2Includes | UnsetType = UNSET
    meta: V2Meta | UnsetType = UNSET
    errors: list[V2Error] | UnsetType = UNSET
    matching_rules: list[V2MatchingRule] | UnsetType = UNSET
    twarc: V2Twarc | UnsetType = _TWARC


class V2StreamLine(Base, kw_only=True):
    """One post in its envelope: a filtered-stream message (a post, what it references, the rules
    it matched), a single lookup, and what xformat writes a post as.

    A line with ``errors`` and no ``data`` (a disconnect notice) is a message too, not a post."""

    data: V2Post | UnsetType = UNSET
    includes: V2Includes | UnsetType = UNSET
    matching_rules: list[V2MatchingRule] | UnsetType = UNSET
    errors: list[V2Error] | UnsetType = UNSET
    twarc: V2Twarc | UnsetType = _TWARC
    xformat_lossless: LosslessPatch | UnsetType = UNSET


# --- twarc2-flattened posts ---------------------------------------------------------------------


class V2FlatUser(_UserFields, kw_only=True):
    """An inlined user; ``{}`` when the page did not include it."""

    id: IdStr | UnsetType = UNSET
    name: str | UnsetType = UNSET
    username: str | UnsetType = UNSET
    pinned_tweet: (
        Annotated[dict[str, Any], Meta(description="The pinned post, inlined when twarc expanded the user.")]
        | UnsetType
    ) = UNSET


class V2FlatMention(_UserFields, kw_only=True):
    """A mention merged with the user of that username (the user's members win)."""

    start: Offset
    end: Offset
    username: str
    id: IdStr | UnsetType = UNSET
    name: str | UnsetType = UNSET


class V2FlatEntities(Base, kw_only=True):
    hashtags: list[V2Tag] | UnsetType = UNSET
    cashtags: list[V2Tag] | UnsetType = UNSET
    mentions: list[V2FlatMention] | UnsetType = UNSET
    urls: list[V2Url] | UnsetType = UNSET
    annotations: list[V2Annotation] | UnsetType = UNSET


class V2FlatNoteTweet(Base, kw_only=True):
    text: str
    entities: V2FlatEntities | UnsetType = UNSET


class V2FlatMedia(_MediaFields, kw_only=True):
    """An inlined media object; ``{}`` when the page did not include it."""

    media_key: MediaKey | UnsetType = UNSET
    type: MediaType | UnsetType = UNSET


class V2FlatPoll(_PollFields, kw_only=True):
    id: IdStr | UnsetType = UNSET
    options: list[V2PollOption] | UnsetType = UNSET


class V2FlatAttachments(Base, kw_only=True):
    media_keys: list[MediaKey] | UnsetType = UNSET
    poll_ids: list[IdStr] | UnsetType = UNSET
    media: Annotated[list[V2FlatMedia], Meta(description="One per media_keys entry, in order.")] | UnsetType = UNSET
    poll: Annotated[V2FlatPoll, Meta(description="The poll of the last poll_ids entry.")] | UnsetType = UNSET


class V2FlatGeo(_PlaceFields, kw_only=True):
    """``geo`` merged with its place: the place's members beside ``place_id`` and ``coordinates``."""

    place_id: str | UnsetType = UNSET
    coordinates: Point | UnsetType = UNSET
    id: str | UnsetType = UNSET
    full_name: str | UnsetType = UNSET


class _FlatPostFields(_PostFields, kw_only=True):
    entities: V2FlatEntities | UnsetType = UNSET
    attachments: V2FlatAttachments | UnsetType = UNSET
    geo: V2FlatGeo | UnsetType = UNSET
    note_tweet: V2FlatNoteTweet | UnsetType = UNSET
    referenced_tweets: list[V2FlatReference] | UnsetType = UNSET
    author: V2FlatUser | UnsetType = UNSET
    in_reply_to_user: V2FlatUser | UnsetType = UNSET


class V2FlatReference(_FlatPostFields, kw_only=True):
    """A referenced post merged with the whole (itself flattened) post; only ``type`` and ``id``
    when the page did not include it."""

    type: Literal["retweeted", "quoted", "replied_to"]
    id: IdStr
    text: str | UnsetType = UNSET


class V2FlatPost(_FlatPostFields, kw_only=True):
    """One line of ``twarc2 flatten`` output: a post with everything it references inlined,
    and the page's ``__twarc`` and ``matching_rules``."""

    id: IdStr
    text: str
    matching_rules: list[V2MatchingRule] | UnsetType = UNSET
    twarc: V2Twarc | UnsetType = _TWARC


# --- batch compliance ---------------------------------------------------------------------------


class V2ComplianceJob(Base, kw_only=True):
    """A batch compliance job: upload ids to ``upload_url``, fetch results from ``download_url``."""

    id: IdStr
    type: Literal["tweets", "users"]
    name: str | UnsetType = UNSET
    resumable: bool | UnsetType = UNSET
    status: Annotated[str, Meta(description="created, in_progress, complete, failed or expired.")]
    upload_url: str | UnsetType = UNSET
    upload_expires_at: IsoTime | UnsetType = UNSET
    download_url: str | UnsetType = UNSET
    download_expires_at: IsoTime | UnsetType = UNSET
    created_at: IsoTime | UnsetType = UNSET


class V2ComplianceJobs(Base, kw_only=True):
    """The response of the compliance job endpoints: one job, or a list of them."""

    data: V2ComplianceJob | list[V2ComplianceJob] | UnsetType = UNSET
    meta: V2Meta | UnsetType = UNSET
    errors: list[V2Error] | UnsetType = UNSET


class V2ComplianceResult(Base, kw_only=True):
    """One line of a compliance job's results: an id that needs action, and why."""

    id: IdStr
    action: Annotated[str, Meta(description="Observed only 'delete'.")]
    created_at: (
        Annotated[AnyIsoTime, Meta(description="Posts: with milliseconds and Z; users: +00:00, no ms.")] | UnsetType
    ) = UNSET
    redacted_at: AnyIsoTime | UnsetType = UNSET
    reason: Annotated[
        str, Meta(description="deleted, suspended, protected, deactivated (users), scrub_geo, bounced ...")
    ]
