"""What each direction cannot carry: the fixed, documented list of declared losses.

Every conversion runs through the native model (the hub): a format's losses are listed per leg,
to the hub and from it, so that a new format declares its own two legs here and a conversion
between two other formats reports the losses of both of its legs. A conversion reports, per
record, the codes of the losses it applied. Nothing outside this list may be lost; the
round-trip properties in the tests check that the fields that differ after a round trip are
covered by the fields of the losses that were reported.

``fields`` are JSON paths relative to a post (``*`` matches any key or index); they document the
loss and let the tests check coverage. ``user`` fields apply to every embedded post's user too.
"""

from __future__ import annotations

from xformat.convert.loss import USER_DESIGN, USER_SETTINGS, Direction, Leg, Loss
from xformat.convert.losses_v2 import LOSSES_V2
from xformat.models.common import USER_EVENTS

__all__ = ["BY_CODE", "LOSSES", "TO_ACTIVITY", "TO_NATIVE", "Direction", "Leg", "Loss", "directions", "losses_for"]

TO_ACTIVITY = Direction("activity", "from_hub")
"""Enriched Native -> Activity Streams."""
TO_NATIVE = Direction("activity", "to_hub")
"""Activity Streams -> Enriched Native."""



_USER_DESIGN = (*USER_DESIGN, "user.profile_banner_url")

_ACTIVITY_LOSSES: tuple[Loss, ...] = (
    # --- Enriched Native -> Activity Streams -------------------------------------------------
    Loss(
        "polls",
        TO_ACTIVITY,
        ("entities.polls", "extended_tweet.entities.polls"),
        "Activity Streams has no polls.",
    ),
    Loss(
        "annotations",
        TO_ACTIVITY,
        ("entities.annotations", "extended_tweet.entities.annotations"),
        "Activity Streams has no annotations (context annotations and named entities).",
    ),
    Loss(
        "unwound_conflict",
        TO_ACTIVITY,
        ("entities.urls.*.unwound", "extended_tweet.entities.urls.*.unwound"),
        "URL entities of one t.co link that unwind it differently (a Retweet's copy and its original): "
        "gnip.urls keeps one unwinding a link, the first in the order the mapping gives.",
    ),
    Loss("reply_count", TO_ACTIVITY, ("reply_count",), "Activity Streams has no reply count."),
    Loss("quote_count", TO_ACTIVITY, ("quote_count",), "Activity Streams has no quote count."),
    Loss(
        "embedded_counts",
        TO_ACTIVITY,
        ("quoted_status.retweet_count", "retweeted_status.quoted_status.retweet_count"),
        "A quoted post carries no retweetCount in Activity Streams.",
    ),
    Loss(
        "retweet_counts",
        TO_ACTIVITY,
        ("retweet_count", "retweeted_status.retweet_count"),
        "A Retweet carries one retweetCount in Activity Streams, its original's: both native counts come "
        "back as that one (stream captures say 0 in the Retweet's own).",
    ),
    Loss(
        "possibly_sensitive",
        TO_ACTIVITY,
        ("possibly_sensitive", "possibly_sensitive_appealable"),
        "Activity Streams has no sensitive-content flags.",
    ),
    Loss(
        "withheld",
        TO_ACTIVITY,
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
        TO_ACTIVITY,
        ("favorited", "retweeted", "current_user_retweet"),
        "Fields seen from the requesting account's perspective.",
    ),
    Loss("contributors", TO_ACTIVITY, ("contributors",), "Activity Streams has no contributors."),
    Loss(
        "utc_offset_range",
        TO_ACTIVITY,
        ("user.utc_offset",),
        "A utc_offset of a million seconds or more either way, which Activity Streams' utcOffset (at most "
        "six digits) cannot hold, comes back as null.",
    ),
    Loss("scopes", TO_ACTIVITY, ("scopes",), "Activity Streams has no scopes."),
    Loss(
        "timestamp_ms",
        TO_ACTIVITY,
        ("timestamp_ms",),
        "The millisecond receive time of a native feed line.",
    ),
    Loss(
        "quoted_status_permalink",
        TO_ACTIVITY,
        ("quoted_status_permalink",),
        "Activity Streams has no permalink object for the quoted post.",
    ),
    Loss(
        "unavailable_quote",
        TO_ACTIVITY,
        ("is_quote_status", "quoted_status_id", "quoted_status_id_str"),
        "A quote whose original is unavailable (id, no embedded post) has no Activity Streams form.",
    ),
    Loss(
        "user_profile_design",
        TO_ACTIVITY,
        _USER_DESIGN,
        "Profile colours, banner, background and default-profile flags of the author.",
    ),
    Loss(
        "user_settings",
        TO_ACTIVITY,
        USER_SETTINGS,
        "Deprecated account settings and perspectival relationship fields of the author.",
    ),
    Loss(
        "user_entities",
        TO_ACTIVITY,
        ("user.entities",),
        "Links found in the profile's url and description fields.",
    ),
    Loss(
        "protected",
        TO_ACTIVITY,
        ("user.protected",),
        "Real Activity Streams actors carry no protected flag, so none is written; it comes back false, "
        "as Enterprise feeds deliver public posts only.",
    ),
    Loss(
        "extended_mode",
        TO_ACTIVITY,
        ("text", "full_text"),
        "A post in extended mode (full_text, no text) comes back in compatibility form, its full text "
        "as text.",
    ),
    Loss(
        "embedded_enrichments",
        TO_ACTIVITY,
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
        TO_ACTIVITY,
        ("coordinates",),
        "Activity Streams keeps only geo: coordinates that do not mirror geo are lost.",
    ),
    Loss(
        "place_details",
        TO_ACTIVITY,
        ("place.id", "place.attributes", "place.contained_within"),
        "A place id that its url does not give back, place attributes other than a street address, "
        "or the places that contain it.",
    ),
    Loss(
        "numeric_ids",
        TO_ACTIVITY,
        (
            "id",
            "*.id",
            "user.id",
            "in_reply_to_status_id",
            "in_reply_to_user_id",
            "quoted_status_id",
            "*.status.id",
            "*.status.user_id",
            "*.user.id",
            "scrub_geo.user_id",
            "scrub_geo.up_to_status_id",
        ),
        "Numeric ids that are floats or disagree with their *_str form (the string wins).",
    ),
    Loss(
        "in_reply_to_user_id",
        TO_ACTIVITY,
        ("in_reply_to_user_id", "in_reply_to_user_id_str"),
        "The replied-to author's id, when no mention and no self-reply gives it back.",
    ),
    Loss(
        "shape",
        TO_ACTIVITY,
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
            "user.listed_count",
            "user.derived.klout",
        ),
        "Fields real feeds always carry were absent or inconsistent; they come back in canonical form.",
    ),
    Loss(
        "event_form",
        TO_ACTIVITY,
        (*(f"{name}.id_str" for name in USER_EVENTS), "user_withheld.timestampMs", "user_withheld.timestamp_ms"),
        "A compliance event spelled otherwise than the firehose spells it (an account's id_str; "
        "timestampMs) comes back in the firehose's form.",
    ),
    Loss(
        "no_activity_form",
        TO_ACTIVITY,
        ("drop", "undrop"),
        "Activity Streams has no drop or undrop events: the record has no Activity Streams form.",
    ),
    Loss("unknown_fields", TO_ACTIVITY, ("*",), "Fields neither format defines (their paths are reported)."),
    # --- Activity Streams -> Enriched Native -------------------------------------------------
    Loss(
        "actor_time_ms",
        TO_NATIVE,
        ("actor.postedTime",),
        "Native user.created_at has whole seconds: the actor's milliseconds are lost.",
    ),
    Loss("utc_offset_absent", TO_NATIVE, ("actor.utcOffset",), "An absent utcOffset comes back as null."),
    Loss(
        "actor_links",
        TO_NATIVE,
        ("actor.links",),
        "Native keeps one profile url: further links, or a rel other than 'me', are lost.",
    ),
    Loss(
        "actor_languages",
        TO_NATIVE,
        ("actor.languages",),
        "Native keeps one language: further languages are lost, and null comes back as [].",
    ),
    Loss(
        "location_spelling",
        TO_NATIVE,
        ("location.countryCode", "location.country", "location.twitter_country_code", "location.country_code"),
        "The dictionary spellings of the place's country fields come back as real feeds spell "
        "them (twitter_country_code, country_code).",
    ),
    Loss(
        "unmatched_gnip_urls",
        TO_NATIVE,
        ("gnip.urls",),
        "gnip.urls entries whose url matches no URL entity (or that have no url) have nowhere to go.",
    ),
    Loss(
        "gnip_urls_order",
        TO_NATIVE,
        ("gnip.urls",),
        "gnip.urls come back one item per url, in the order of the entities they unwind: feeds did not "
        "always keep that order, and sometimes repeated an item.",
    ),
    Loss(
        "gnip_language",
        TO_NATIVE,
        ("gnip.language",),
        "Enriched Native has no home for Gnip's own language classification (2012-2016).",
    ),
    Loss(
        "quote_placement",
        TO_NATIVE,
        ("twitter_quoted_status",),
        "A Retweet of a quote with twitter_quoted_status at the root of the share (as in X's 2020 example) "
        "comes back with it inside object, where 2017 feeds carry it.",
    ),
    Loss(
        "delete_form",
        TO_NATIVE,
        ("id", "objectType", "postedTime", "timestampMs", "actor.objectType", "object.objectType", "provider", "gnip"),
        "A deletion comes back in the dictionary's form (postedTime, objectType members, provider) when "
        "it has a time, in the stream form (bare references) when it has none.",
    ),
    Loss(
        "event_form",
        TO_NATIVE,
        (
            "objectType",
            "actor",
            "object",
            "target",
            "withheld_in_countries",
            "timestampMs",
        ),
        "A compliance event with members its verb does not use, or spelled otherwise than the "
        "compliance stream spells it, comes back in the stream's form.",
    ),
    Loss(
        "shape",
        TO_NATIVE,
        (
            "link",
            "provider",
            "generator",
            "object.id",
            "retweetCount",
            "object.link",
            "object.summary",
            "object.postedTime",
            "postedTime",
            "actor.link",
            "actor.summary",
            "actor.links",
            "actor.image",
            "actor.postedTime",
            "actor.location",
            "actor.protected",
            "location.streetAddress",
            "gnip.klout_profile",
            "inReplyTo",
            "twitter_quoted_status",
            "actor.utcOffset",
        ),
        "Fields real feeds always carry, or that Activity Streams derives from other fields, "
        "were absent or inconsistent: they come back in canonical form.",
    ),
    Loss("unknown_fields", TO_NATIVE, ("*",), "Fields neither format defines (their paths are reported)."),
)

LOSSES: tuple[Loss, ...] = (*_ACTIVITY_LOSSES, *LOSSES_V2)
"""Every leg of every format: Activity Streams' (above), then X API v2's (``losses_v2``)."""

BY_CODE: dict[tuple[Direction, str], Loss] = {(loss.direction, loss.code): loss for loss in LOSSES}


def directions() -> list[Direction]:
    """Every direction the catalog lists, in its order."""
    return list(dict.fromkeys(loss.direction for loss in LOSSES))


def losses_for(direction: Direction) -> tuple[Loss, ...]:
    return tuple(loss for loss in LOSSES if loss.direction == direction)
