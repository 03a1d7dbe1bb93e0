"""What each direction cannot carry: the fixed, documented list of declared losses.

A conversion reports, per record, the codes of the losses it applied. Nothing outside this list
may be lost; the round-trip properties in the tests check that the fields that differ after a
round trip are covered by the fields of the losses that were reported.

``fields`` are JSON paths relative to a post (``*`` matches any key or index); they document the
loss and let the tests check coverage. ``user`` fields apply to every embedded post's user too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["to_activity", "to_native"]


@dataclass(frozen=True)
class Loss:
    code: str
    direction: Direction
    fields: tuple[str, ...]
    description: str


_USER_DESIGN = tuple(
    f"user.{name}"
    for name in (
        "profile_background_color",
        "profile_background_image_url",
        "profile_background_image_url_https",
        "profile_background_tile",
        "profile_link_color",
        "profile_sidebar_border_color",
        "profile_sidebar_fill_color",
        "profile_text_color",
        "profile_use_background_image",
        "profile_banner_url",
        "default_profile",
        "default_profile_image",
    )
)
_USER_SETTINGS = tuple(
    f"user.{name}"
    for name in (
        "geo_enabled",
        "contributors_enabled",
        "is_translator",
        "is_translation_enabled",
        "translator_type",
        "has_extended_profile",
        "profile_location",
        "following",
        "follow_request_sent",
        "notifications",
    )
)

LOSSES: tuple[Loss, ...] = (
    # --- Enriched Native -> Activity Streams -------------------------------------------------
    Loss(
        "polls",
        "to_activity",
        ("entities.polls", "extended_tweet.entities.polls"),
        "Activity Streams has no polls.",
    ),
    Loss(
        "annotations",
        "to_activity",
        ("entities.annotations", "extended_tweet.entities.annotations"),
        "Activity Streams has no annotations (context annotations and named entities).",
    ),
    Loss("reply_count", "to_activity", ("reply_count",), "Activity Streams has no reply count."),
    Loss("quote_count", "to_activity", ("quote_count",), "Activity Streams has no quote count."),
    Loss(
        "embedded_counts",
        "to_activity",
        (
            "retweeted_status.retweet_count",
            "quoted_status.retweet_count",
            "retweeted_status.quoted_status.retweet_count",
        ),
        "An embedded original carries no retweetCount in Activity Streams.",
    ),
    Loss(
        "possibly_sensitive",
        "to_activity",
        ("possibly_sensitive",),
        "Activity Streams has no sensitive-content flag.",
    ),
    Loss(
        "withheld",
        "to_activity",
        (
            "withheld_copyright",
            "withheld_in_countries",
            "withheld_scope",
            "user.withheld_in_countries",
            "user.withheld_scope",
        ),
        "Activity Streams has no withheld-content fields.",
    ),
    Loss(
        "perspectival",
        "to_activity",
        ("favorited", "retweeted", "current_user_retweet"),
        "Fields seen from the requesting account's perspective.",
    ),
    Loss("contributors", "to_activity", ("contributors",), "Activity Streams has no contributors."),
    Loss("scopes", "to_activity", ("scopes",), "Activity Streams has no scopes."),
    Loss(
        "timestamp_ms",
        "to_activity",
        ("timestamp_ms",),
        "The millisecond receive time of a native feed line.",
    ),
    Loss(
        "quoted_status_permalink",
        "to_activity",
        ("quoted_status_permalink",),
        "Activity Streams has no permalink object for the quoted post.",
    ),
    Loss(
        "unavailable_quote",
        "to_activity",
        ("is_quote_status", "quoted_status_id", "quoted_status_id_str"),
        "A quote whose original is unavailable (id, no embedded post) has no Activity Streams form.",
    ),
    Loss(
        "user_profile_design",
        "to_activity",
        _USER_DESIGN,
        "Profile colours, banner, background and default-profile flags of the author.",
    ),
    Loss(
        "user_settings",
        "to_activity",
        _USER_SETTINGS,
        "Deprecated account settings and perspectival relationship fields of the author.",
    ),
    Loss(
        "user_entities",
        "to_activity",
        ("user.entities",),
        "Links found in the profile's url and description fields.",
    ),
    Loss(
        "embedded_enrichments",
        "to_activity",
        (
            "retweeted_status.user.derived",
            "quoted_status.user.derived",
            "retweeted_status.matching_rules",
            "quoted_status.matching_rules",
            "object.gnip",
            "twitter_quoted_status.gnip",
            "object.twitter_quoted_status.gnip",
        ),
        "Activity Streams carries enrichments (gnip) on the top-level activity only.",
    ),
    Loss(
        "coordinates",
        "to_activity",
        ("coordinates",),
        "Activity Streams keeps only geo: coordinates that do not mirror geo are lost.",
    ),
    Loss(
        "place_details",
        "to_activity",
        ("place.id", "place.attributes"),
        "A place id that its url does not give back, or non-empty place attributes.",
    ),
    Loss(
        "numeric_ids",
        "to_activity",
        (
            "id",
            "*.id",
            "user.id",
            "in_reply_to_status_id",
            "in_reply_to_user_id",
            "quoted_status_id",
            "delete.status.id",
            "delete.status.user_id",
        ),
        "Numeric ids that are floats or disagree with their *_str form (the string wins).",
    ),
    Loss(
        "in_reply_to_user_id",
        "to_activity",
        ("in_reply_to_user_id", "in_reply_to_user_id_str"),
        "The replied-to author's id, when no mention and no self-reply gives it back.",
    ),
    Loss(
        "shape",
        "to_activity",
        (
            "id",
            "truncated",
            "is_quote_status",
            "geo",
            "coordinates",
            "place",
            "in_reply_to_status_id",
            "in_reply_to_status_id_str",
            "in_reply_to_user_id",
            "in_reply_to_user_id_str",
            "in_reply_to_screen_name",
            "user.profile_image_url",
            "user.location",
            "user.url",
            "user.description",
            "user.utc_offset",
            "place.attributes",
            "quoted_status",
            "quoted_status_id",
            "quoted_status_id_str",
            "created_at",
            "user.derived.klout.influence_topics",
            "user.derived.klout.interest_topics",
        ),
        "Fields real feeds always carry were absent or inconsistent; they come back in canonical form.",
    ),
    Loss("unknown_fields", "to_activity", ("*",), "Fields neither format defines (their paths are reported)."),
    # --- Activity Streams -> Enriched Native -------------------------------------------------
    Loss(
        "actor_time_ms",
        "to_native",
        ("actor.postedTime",),
        "Native user.created_at has whole seconds: the actor's milliseconds are lost.",
    ),
    Loss("utc_offset_absent", "to_native", ("actor.utcOffset",), "An absent utcOffset comes back as null."),
    Loss(
        "actor_links",
        "to_native",
        ("actor.links",),
        "Native keeps one profile url: further links, or a rel other than 'me', are lost.",
    ),
    Loss(
        "actor_languages",
        "to_native",
        ("actor.languages",),
        "Native keeps one language: further languages, or an empty list, are lost.",
    ),
    Loss(
        "location_spelling",
        "to_native",
        ("location.countryCode", "location.country", "location.twitter_country_code", "location.country_code"),
        "The dictionary spellings of the place's country fields come back as real feeds spell "
        "them (twitter_country_code, country_code).",
    ),
    Loss(
        "unmatched_gnip_urls",
        "to_native",
        ("gnip.urls",),
        "gnip.urls entries whose url matches no URL entity have nowhere to go.",
    ),
    Loss(
        "shape",
        "to_native",
        (
            "link",
            "provider",
            "generator",
            "object.id",
            "object.link",
            "object.summary",
            "object.postedTime",
            "postedTime",
            "actor.link",
            "actor.summary",
            "actor.links",
            "actor.image",
            "inReplyTo",
            "twitter_quoted_status",
            "actor.utcOffset",
        ),
        "Fields real feeds always carry, or that Activity Streams derives from other fields, "
        "were absent or inconsistent: they come back in canonical form.",
    ),
    Loss("unknown_fields", "to_native", ("*",), "Fields neither format defines (their paths are reported)."),
)

BY_CODE: dict[tuple[Direction, str], Loss] = {(loss.direction, loss.code): loss for loss in LOSSES}


def losses_for(direction: Direction) -> tuple[Loss, ...]:
    return tuple(loss for loss in LOSSES if loss.direction == direction)
