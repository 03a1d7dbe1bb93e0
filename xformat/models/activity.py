"""Activity Streams: Gnip's format. A post is an ``activity`` whose ``object`` is a ``note``;
a Retweet is an activity (verb ``share``) whose ``object`` is the original's whole activity.

``objectType`` tags ``note`` and ``activity`` so ``object`` decodes to the right struct.
"""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import UNSET, Meta, UnsetType

from xformat.models.base import Base, IsoTime, LosslessPatch, since
from xformat.models.common import (
    Centroid,
    EditControls,
    EditHistory,
    Entities,
    ExtendedEntities,
    MatchingRule,
    Point,
    Polygon,
)

ActivityId = Annotated[
    str,
    Meta(
        pattern=r"^tag:search\.(twitter|x)\.com,2005:[0-9]{1,20}(?!\n)$",
        description="IRI of the post: tag:search.twitter.com,2005:<id>.",
        extra={"expected": "a post's IRI like 'tag:search.twitter.com,2005:1050118621198921728'"},
    ),
]
ObjectId = Annotated[
    str,
    Meta(
        pattern=r"^(object|tag):search\.(twitter|x)\.com,2005:[0-9]{1,20}(?!\n)$",
        description="IRI of the note: object:search.twitter.com,2005:<id> (tag:... in feeds of early 2011).",
        extra={"expected": "a note's IRI like 'object:search.twitter.com,2005:1050118621198921728'"},
    ),
]
ActorId = Annotated[
    str,
    Meta(
        pattern=r"^id:(twitter|x)\.com:[0-9]{1,20}(?!\n)$",
        description="id:twitter.com:<user id>.",
        extra={"expected": "an account's IRI like 'id:twitter.com:4488123001'"},
    ),
]
UserTag = Annotated[
    str,
    Meta(
        pattern=r"^tag:search\.(twitter|x)\.com,2012:user/[0-9]{1,20}(?!\n)$",
        description="IRI of an account in compliance events: tag:search.twitter.com,2012:user/<user id>.",
        extra={"expected": "an account's IRI like 'tag:search.twitter.com,2012:user/4488123001'"},
    ),
]


class Generator(Base, kw_only=True):
    """The client that posted (native ``source``)."""

    displayName: str
    link: str | UnsetType = UNSET


class Provider(Base, kw_only=True):
    objectType: Literal["service"]
    displayName: str
    link: str


class ActorLink(Base, kw_only=True):
    href: str | None
    rel: str


class ActorLocation(Base, kw_only=True):
    """The profile's free-text location."""

    objectType: Literal["place"]
    displayName: str


class Actor(Base, kw_only=True):
    """The account that posted (native ``user``)."""

    objectType: Literal["person"]
    id: Annotated[ActorId, Meta(description="Absent from some records of early 2011.")] | UnsetType = UNSET
    link: str | UnsetType = UNSET
    displayName: str
    postedTime: Annotated[IsoTime, Meta(description="Account creation, with milliseconds.")] | UnsetType = (
        UNSET
    )
    image: str | None | UnsetType = UNSET
    summary: str | None | UnsetType = UNSET
    links: list[ActorLink] | UnsetType = UNSET
    friendsCount: int | UnsetType = UNSET
    followersCount: int | UnsetType = UNSET
    listedCount: Annotated[int, Meta(description="-1 where native says null.")] | UnsetType = UNSET
    statusesCount: int | UnsetType = UNSET
    favoritesCount: int | UnsetType = UNSET
    twitterTimeZone: str | None | UnsetType = UNSET
    verified: bool | None | UnsetType = UNSET
    protected: bool | None | UnsetType = UNSET
    utcOffset: (
        Annotated[
            str,
            Meta(
                pattern=r"^[+-]?[0-9]{1,6}(?!\n)$",
                description="Seconds, as a string.",
                extra={"expected": "seconds as up to six digits, like '-18000'"},
            ),
        ]
        | Annotated[int, Meta(description="Seconds, as a number (feeds of early 2011).")]
        | None
        | UnsetType
    ) = UNSET
    preferredUsername: str
    languages: list[str] | None | UnsetType = UNSET
    location: ActorLocation | None | UnsetType = UNSET


class Location(Base, kw_only=True):
    """The place the post is associated with (native ``place``)."""

    objectType: Literal["place"]
    displayName: str
    name: str | UnsetType = UNSET
    country_code: Annotated[str, Meta(description="The country *name* (a real-feed quirk).")] | UnsetType = (
        UNSET
    )
    twitter_country_code: Annotated[str, Meta(description="The ISO country code.")] | UnsetType = UNSET
    countryCode: (
        Annotated[str, Meta(description="Dictionary spelling of twitter_country_code.")] | UnsetType
    ) = UNSET
    country: Annotated[str, Meta(description="Dictionary spelling of country_code.")] | UnsetType = UNSET
    twitter_place_type: str | UnsetType = UNSET
    link: str | UnsetType = UNSET
    geo: Polygon | None | UnsetType = UNSET
    streetAddress: str | None | UnsetType = UNSET


class Note(Base, kw_only=True, tag_field="objectType", tag="note"):
    """The object of an original post."""

    id: ObjectId
    summary: str | UnsetType = UNSET
    link: str | UnsetType = UNSET
    postedTime: IsoTime | UnsetType = UNSET


class InReplyTo(Base, kw_only=True):
    link: str


class LongObject(Base, kw_only=True):
    """The full text and entities of a long post."""

    body: str
    display_text_range: tuple[int, int] | UnsetType = UNSET
    twitter_entities: Entities
    twitter_extended_entities: ExtendedEntities | UnsetType = UNSET


class GnipUrl(Base, kw_only=True):
    """Unwound URL enrichment, keyed by the t.co url."""

    url: Annotated[str, Meta(description="Absent from the empty items ([{}]) some 2016 feeds wrote.")] | UnsetType = (
        UNSET
    )
    expanded_url: Annotated[str | None, Meta(description="The *unwound* URL.")] | UnsetType = UNSET
    expanded_status: int | None | UnsetType = UNSET
    expanded_url_title: str | None | UnsetType = UNSET
    expanded_url_description: str | None | UnsetType = UNSET


class Address(Base, kw_only=True):
    country: str | None | UnsetType = UNSET
    countryCode: str | None | UnsetType = UNSET
    locality: str | None | UnsetType = UNSET
    region: str | None | UnsetType = UNSET
    subRegion: str | None | UnsetType = UNSET


class ProfileLocation(Base, kw_only=True):
    """Profile Geo enrichment (native ``user.derived.locations``)."""

    objectType: Literal["place"]
    displayName: str | None | UnsetType = UNSET
    address: Address | UnsetType = UNSET
    geo: Centroid | None | UnsetType = UNSET


class KloutProfileTopic(Base, kw_only=True):
    """A Klout topic: ``{klout_topic_id, displayName, link}`` in 2012-2016, then ``{id, displayName,
    link, score, topic_type}``."""

    klout_topic_id: Annotated[str, Meta(description="The topic's id, 2012-2016.")] | UnsetType = UNSET
    id: str | UnsetType = UNSET
    displayName: str
    link: str | UnsetType = UNSET
    score: float | UnsetType = UNSET
    topic_type: (
        Annotated[Literal["influence", "interest"], Meta(description="Absent before 2017.")] | UnsetType
    ) = UNSET


class KloutProfile(Base, kw_only=True):
    klout_user_id: str | UnsetType = UNSET
    link: str | UnsetType = UNSET
    topics: list[KloutProfileTopic] | UnsetType = UNSET


class GnipLanguage(Base, kw_only=True):
    """Gnip's own language classification of the body (2012-2016)."""

    value: str


class Gnip(Base, kw_only=True):
    """Gnip's enrichments; sits on the top-level activity only."""

    matching_rules: list[MatchingRule] | UnsetType = UNSET
    urls: list[GnipUrl] | UnsetType = UNSET
    profileLocations: list[ProfileLocation] | UnsetType = UNSET
    klout_score: int | float | UnsetType = UNSET
    klout_profile: KloutProfile | UnsetType = UNSET
    language: GnipLanguage | UnsetType = UNSET


class Activity(Base, kw_only=True, tag_field="objectType", tag="activity"):
    """A post (verb ``post``) or Retweet (verb ``share``) in Activity Streams format."""

    id: ActivityId
    verb: Literal["post", "share"]
    postedTime: IsoTime
    generator: Generator | UnsetType = UNSET
    provider: Provider | UnsetType = UNSET
    link: str | UnsetType = UNSET
    body: str
    display_text_range: tuple[int, int] | UnsetType = UNSET
    long_object: Annotated[LongObject, since("2017", "Long posts, since November 2017.")] | UnsetType = UNSET
    actor: Actor
    object: Note | Activity
    inReplyTo: InReplyTo | UnsetType = UNSET
    location: Location | UnsetType = UNSET
    geo: Annotated[Point, Meta(description="[latitude, longitude].")] | UnsetType = UNSET
    favoritesCount: int | None | UnsetType = UNSET
    retweetCount: int | UnsetType = UNSET
    twitter_entities: (
        Annotated[Entities, Meta(description="Absent from records of early 2011.")] | UnsetType
    ) = UNSET
    twitter_extended_entities: ExtendedEntities | UnsetType = UNSET
    twitter_filter_level: Literal["none", "low", "medium"] | UnsetType = UNSET
    twitter_lang: str | None | UnsetType = UNSET
    twitter_quoted_status: Activity | UnsetType = UNSET
    gnip: Gnip | UnsetType = UNSET
    edit_history: Annotated[EditHistory, since("2022", "Every version of the post.")] | UnsetType = UNSET
    edit_controls: (
        Annotated[EditControls, since("2022", "How long and how often it may still be edited.")] | UnsetType
    ) = UNSET
    editable: Annotated[bool, since("2022", "Whether the post was eligible for editing.")] | UnsetType = UNSET
    xformat_lossless: LosslessPatch | UnsetType = UNSET


class ActorRef(Base, kw_only=True):
    objectType: Annotated[Literal["person"], Meta(description="Absent in the stream form.")] | UnsetType = UNSET
    id: ActorId


class ActivityRef(Base, kw_only=True):
    objectType: Annotated[Literal["activity"], Meta(description="Absent in the stream form.")] | UnsetType = UNSET
    id: ActivityId


class EmptyGnip(Base, kw_only=True):
    """The empty ``gnip`` member of a 2011-2013 stream deletion (which names no actor)."""


class DeleteActivity(Base, kw_only=True):
    """A deletion: the post named by ``object`` must leave every data set that holds it.

    Two forms: the dictionary's (``postedTime``, ``objectType`` on the references, ``provider``)
    and the stream form of 2011-2016 (``timestampMs``, bare references; until 2013 no actor and
    no time, ``"gnip": {}`` instead)."""

    id: ActivityId | UnsetType = UNSET
    objectType: Literal["activity"] | UnsetType = UNSET
    verb: Literal["delete"]
    postedTime: IsoTime | UnsetType = UNSET
    actor: ActorRef | UnsetType = UNSET
    object: ActivityRef
    provider: Provider | UnsetType = UNSET
    timestampMs: Annotated[IsoTime, Meta(description="The stream form's time.")] | UnsetType = UNSET
    gnip: EmptyGnip | UnsetType = UNSET
    xformat_lossless: LosslessPatch | UnsetType = UNSET


ComplianceVerb = Literal[
    "scrub_geo",
    "status_withheld",
    "user_delete",
    "user_undelete",
    "user_protect",
    "user_unprotect",
    "user_suspend",
    "user_unsuspend",
    "user_withheld",
]


class ComplianceObject(Base, kw_only=True):
    """What a compliance event is about: a post (``status_withheld``) or an account (``user_*``)."""

    id: Annotated[
        str,
        Meta(
            pattern=r"^tag:search\.(twitter|x)\.com,(2005:|2012:user/)[0-9]{1,20}(?!\n)$",
            description="The post's IRI (tag:search.twitter.com,2005:<id>) or the account's "
            "(tag:search.twitter.com,2012:user/<id>).",
            extra={"expected": "a post's or account's IRI like 'tag:search.twitter.com,2005:1050118621198921728'"},
        ),
    ]
    user_id: Annotated[UserTag, Meta(description="status_withheld: the post's author.")] | UnsetType = UNSET
    withheld_in_countries: list[str] | UnsetType = UNSET


class UpTo(Base, kw_only=True):
    """``scrub_geo``: the last post whose geo must go."""

    up_to_id: ActivityId


class ComplianceActivity(Base, kw_only=True):
    """A compliance event (PowerTrack's compliance stream, also mixed into some archives).

    ``scrub_geo`` names its account in ``actor`` and the last post concerned in ``target``;
    ``status_withheld`` names the post in ``object``; ``user_*`` name the account in ``object``;
    ``user_withheld`` gives its countries at the top level."""

    objectType: Literal["activity"] | UnsetType = UNSET
    verb: ComplianceVerb
    actor: ActorRef | UnsetType = UNSET
    object: ComplianceObject | UnsetType = UNSET
    target: UpTo | UnsetType = UNSET
    withheld_in_countries: list[str] | UnsetType = UNSET
    timestampMs: IsoTime | UnsetType = UNSET
    xformat_lossless: LosslessPatch | UnsetType = UNSET
