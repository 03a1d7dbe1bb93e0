"""What Enriched Native <-> X API v2 cannot carry: the declared losses of both directions.

The two legs of the v2 format in the catalog (``xformat.convert.losses``). ``TO_V2`` is native ->
v2 (``xformat.convert.to_v2``); its ``fields`` are native paths relative to a post, as in
``losses.py`` (``user`` fields apply to every embedded post's user too). It holds the losses of
writing response pages too (``convert --v2-pages``), whatever the input: those of X API v2 input
(``twarc_metadata``, ``unreferenced_includes``), which is re-paged without the hub, name paths of
the v2 record the post came from, as ``FROM_V2`` does. ``FROM_V2`` is v2 ->
native (``xformat.convert.from_v2``); its ``fields`` are paths relative to the v2 stream line:
``data.<member>`` for the post (and for every post in ``includes.tweets``),
``includes.<group>.*.<member>`` for included objects, ``matching_rules``, ``__twarc``.

Besides what one format has and the other lacks, v2 has losses of its own kind: a request that
asked for the default fields only (``id``, ``text``) gives no author and no time, and a page may
lack an object a post references (deleted, protected, or not asked for). Converting such a post
still gives a valid native post: what it lacks is derived, or stands in as a placeholder, and
is declared here, never rejected.
"""

from __future__ import annotations

from xformat.convert.loss import USER_DESIGN, USER_SETTINGS, Direction, Loss

TO_V2 = Direction("v2", "from_hub")
"""Enriched Native -> X API v2."""
FROM_V2 = Direction("v2", "to_hub")
"""X API v2 -> Enriched Native."""


_MEDIA = ("extended_entities.media", "extended_tweet.extended_entities.media")

LOSSES_V2: tuple[Loss, ...] = (
    # --- Enriched Native -> X API v2 ---------------------------------------------------------
    Loss(
        "long_post_form",
        TO_V2,
        ("text", "truncated", "display_text_range", "entities", "extended_entities", "extended_tweet"),
        "A long post's 140-character compatibility text, its i/web/status link and entities, and "
        "the extended_tweet container: v2 carries the whole text as text (a note_tweet above 280 "
        "characters), which comes back as a post of one text.",
    ),
    Loss(
        "extended_mode",
        TO_V2,
        ("text", "full_text"),
        "A post in extended mode (standard v1.1: full_text, no text) comes back with its whole text as text.",
    ),
    Loss(
        "source_link",
        TO_V2,
        ("source",),
        "v2 names the client without its link: the source anchor comes back as the bare name.",
    ),
    Loss(
        "perspectival",
        TO_V2,
        ("favorited", "retweeted", "current_user_retweet"),
        "Fields seen from the requesting account's perspective.",
    ),
    Loss("filter_level", TO_V2, ("filter_level",), "v2 has no filter level."),
    Loss(
        "author_without_id",
        TO_V2,
        ("user",),
        "An author without an id (some records of early 2011): v2 has no user without one, so the "
        "post comes back with the placeholder of an author v2 did not give.",
    ),
    Loss(
        "place_contained_within",
        TO_V2,
        ("place.contained_within",),
        "v2 places do not list the places that contain them (standard v1.1 contained_within).",
    ),
    Loss(
        "trends",
        TO_V2,
        ("entities.trends", "extended_tweet.entities.trends"),
        "v2 has no trend entities (of 2013-2014 feeds).",
    ),
    Loss(
        "sensitive_appealable",
        TO_V2,
        ("possibly_sensitive_appealable",),
        "v2 has no flag saying whether a sensitive-media label may be appealed.",
    ),
    Loss("timestamp_ms", TO_V2, ("timestamp_ms",), "The millisecond receive time of a native feed line."),
    Loss("contributors", TO_V2, ("contributors",), "v2 has no contributors."),
    Loss(
        "quoted_status_permalink",
        TO_V2,
        ("quoted_status_permalink",),
        "v2 has no permalink object for the quoted post (only a URL entity, when the text links it).",
    ),
    Loss(
        "nested_quote",
        TO_V2,
        ("quoted_status.quoted_status",),
        "The post a quoted post quotes: v2, like native feeds, names it by id only.",
    ),
    Loss(
        "coordinates",
        TO_V2,
        ("geo", "coordinates"),
        "v2 keeps only [longitude, latitude]: a geo that does not mirror coordinates is lost.",
    ),
    Loss(
        "place_url",
        TO_V2,
        ("place.url",),
        "v2 places have no url: it comes back derived from the id (https://api.twitter.com/1.1/geo/id/<id>.json).",
    ),
    Loss(
        "bbox_corners",
        TO_V2,
        ("place.bounding_box",),
        "v2 keeps a bounding box as [west, south, east, north]: a polygon other than those four corners, "
        "starting (west, south) then (west, north) as real feeds write them, comes back in that form.",
    ),
    Loss(
        "media_details",
        TO_V2,
        (
            *(
                f"{m}.*.{name}"
                for m in _MEDIA
                for name in ("sizes", "additional_media_info", "video_info.aspect_ratio")
            ),
            *(
                f"{m}.*.source_{name}"
                for m in _MEDIA
                for name in ("status_id", "status_id_str", "user_id", "user_id_str")
            ),
            "entities.media",
            "extended_tweet.entities.media",
            "extended_entities",
            "extended_tweet.extended_entities",
        ),
        "Media sizes other than large (and resize modes), an aspect ratio that is not the reduced "
        "large size, additional_media_info, the source post and user of a Retweet's media, an "
        "entities.media that is not the first media item as its photo, media in entities.media only "
        "(they come back in extended_entities too): v2 media have none of these.",
    ),
    Loss(
        "user_profile_design",
        TO_V2,
        USER_DESIGN,
        "Profile colours, background and default-profile flags of the author (v2 keeps the banner).",
    ),
    Loss(
        "user_settings",
        TO_V2,
        USER_SETTINGS,
        "Deprecated account settings and perspectival relationship fields of the author.",
    ),
    Loss(
        "user_locale",
        TO_V2,
        ("user.utc_offset", "user.time_zone", "user.lang"),
        "The author's time zone, UTC offset and language: v2 users have none (utc_offset comes back null).",
    ),
    Loss(
        "user_enrichments",
        TO_V2,
        ("user.derived",),
        "Profile Geo and Klout (user.derived): Enterprise enrichments v2 does not have.",
    ),
    Loss(
        "rule_ids",
        TO_V2,
        ("matching_rules",),
        "Matching rules without an id (older feeds give the tag alone): a v2 rule needs one.",
    ),
    Loss(
        "embedded_rules",
        TO_V2,
        ("retweeted_status.matching_rules", "quoted_status.matching_rules"),
        "v2 matching rules belong to the stream line, not to embedded posts.",
    ),
    Loss(
        "paged_rules",
        TO_V2,
        ("matching_rules",),
        "Written as response pages (convert --v2-pages): a page has no matching_rules (search and "
        "lookup pages never carry them, they belong to stream lines), so the rules a post matched are not written.",
    ),
    Loss(
        "twarc_metadata",
        TO_V2,
        ("__twarc",),
        "Written as response pages from twarc2 output: twarc2's record of the request (url, version, time) of "
        "the page or flattened line a post came from has no place in a page (its posts came from other requests).",
    ),
    Loss(
        "unreferenced_includes",
        TO_V2,
        ("includes",),
        "Written as response pages from X API v2 pages: the objects of a page's includes that none of its "
        "posts references (earlier versions of edited posts, asked for with the edit_history_tweet_ids "
        "expansion; posts referenced more than two levels down; a pinned post twarc2 flatten inlined) go with no "
        "post. Declared on the page's first post.",
    ),
    Loss(
        "unwound_nulls",
        TO_V2,
        ("entities.urls.*.unwound", "extended_tweet.entities.urls.*.unwound"),
        "v2 omits what has no value: null members of an unwound URL come back absent, and an "
        "unwound object holding only nulls disappears.",
    ),
    Loss(
        "in_reply_to_screen_name",
        TO_V2,
        ("in_reply_to_screen_name",),
        "The replied-to account's screen name, when no mention and no self-reply names that account.",
    ),
    Loss(
        "numeric_ids",
        TO_V2,
        (
            "id",
            "*.id",
            "user.id",
            "in_reply_to_status_id",
            "in_reply_to_user_id",
            "quoted_status_id",
            "*.context_domain_id",
            "*.context_entity_id",
        ),
        "Numeric twins of ids: v2 ids are strings, and the numbers come back from them where native "
        "always writes both (posts, users, mentions, media, rules), not for annotation contexts; a "
        "float or a number that disagrees with its string is lost.",
    ),
    Loss(
        "shape",
        TO_V2,
        (
            "id",
            "created_at",
            "truncated",
            "is_quote_status",
            "quoted_status",
            "quoted_status_id",
            "quoted_status_id_str",
            "geo",
            "coordinates",
            "place",
            "place.bounding_box",
            "place.attributes",
            "in_reply_to_status_id",
            "in_reply_to_status_id_str",
            "in_reply_to_user_id",
            "in_reply_to_user_id_str",
            "in_reply_to_screen_name",
            "favorite_count",
            "possibly_sensitive",
            "lang",
            "withheld_scope",
            "edit_history",
            "editable",
            "edit_controls.editable_until_ms",
            "edit_controls.edit_tweet_ids",
            "edit_controls.is_edit_eligible",
            "matching_rules.*.id_str",
            *(
                f"{where}.{name}"
                for where in ("entities", "extended_tweet.entities")
                for name in (
                    "hashtags",
                    "symbols",
                    "user_mentions",
                    "urls",
                    "polls",
                    "user_mentions.*.id",
                    "user_mentions.*.id_str",
                    "user_mentions.*.name",
                    "urls.*.indices",
                    "urls.*.expanded_url",
                    "urls.*.display_url",
                )
            ),
            *(f"{m}.*.{name}" for m in (*_MEDIA, "entities.media") for name in ("media_url", "ext_alt_text")),
            "user.created_at",
            "user.location",
            "user.url",
            "user.description",
            "user.utc_offset",
            "user.protected",
            "user.verified",
            "user.followers_count",
            "user.friends_count",
            "user.listed_count",
            "user.favourites_count",
            "user.statuses_count",
            "user.profile_image_url",
            "user.profile_image_url_https",
            "user.profile_banner_url",
            "user.withheld_scope",
            "user.entities",
        ),
        "Fields real feeds always carry were absent, null or in another form (a number as a string, an "
        "empty description, a name without an id): they come back in canonical form.",
    ),
    Loss(
        "no_v2_form",
        TO_V2,
        ("delete", "*"),
        "A deletion notice or compliance event: v2 streams carry posts only (X gives compliance on "
        "endpoints of its own). Counted, not written.",
    ),
    Loss("unknown_fields", TO_V2, ("*",), "Fields the formats do not define (their paths are reported)."),
    # --- X API v2 -> Enriched Native ---------------------------------------------------------
    Loss(
        "created_at_from_id",
        FROM_V2,
        ("data.created_at",),
        "created_at was not asked for: it is derived from the snowflake id (exact to the second; ids "
        "before November 2010 carry no time, and the snowflake epoch, 2010-11-04T01:42:54Z, stands in).",
    ),
    Loss(
        "author_not_included",
        FROM_V2,
        ("data.author_id", "includes.users"),
        "The author was not asked for or not included: the native user is a placeholder with the "
        "author's id (or 0 when even author_id is absent) and an empty name and screen name.",
    ),
    Loss(
        "post_not_included",
        FROM_V2,
        ("data.referenced_tweets", "includes.tweets"),
        "A quoted or retweeted post the page did not include (deleted, protected, not asked for, or "
        "quoted by a retweeted quote): a quote keeps the quoted id, a Retweet becomes a plain post.",
    ),
    Loss(
        "object_not_included",
        FROM_V2,
        (
            "data.attachments",
            "data.entities.urls",
            "data.note_tweet.entities.urls",
            "data.geo.place_id",
            "data.in_reply_to_user_id",
            "includes",
        ),
        "Media, a poll or a place the page did not include (left out with the media's link entity; a "
        "place stands in with its id and an empty full_name), or the replied-to user, whose screen name "
        "is then null.",
    ),
    Loss(
        "referenced_users",
        FROM_V2,
        ("includes.users",),
        "The profiles of mentioned and replied-to accounts (when they are not also an author): native "
        "keeps their id, screen name and, for a mention, name.",
    ),
    Loss(
        "included_not_embedded",
        FROM_V2,
        ("includes.tweets",),
        "Included posts native does not embed: the parent of a reply, the post quoted by a quoted post.",
    ),
    Loss(
        "conversation_id",
        FROM_V2,
        ("data.conversation_id",),
        "Native has no conversation id.",
    ),
    Loss(
        "reply_settings",
        FROM_V2,
        ("data.reply_settings",),
        "Native has no reply settings.",
    ),
    Loss(
        "v2_metrics",
        FROM_V2,
        (
            "data.public_metrics.impression_count",
            "data.public_metrics.bookmark_count",
            "data.non_public_metrics",
            "data.organic_metrics",
            "data.promoted_metrics",
            "includes.media.*.public_metrics",
            "includes.media.*.non_public_metrics",
            "includes.media.*.organic_metrics",
            "includes.media.*.promoted_metrics",
        ),
        "Impression, bookmark and view counts and the owner-only metrics: native has only retweet, "
        "like, reply and quote counts.",
    ),
    Loss(
        "v2_post_extras",
        FROM_V2,
        ("data.community_id", "data.paid_partnership", "data.card_uri", "data.article", "data.media_metadata"),
        "Post members of recent v2 that native does not have.",
    ),
    Loss(
        "url_images",
        FROM_V2,
        ("data.entities.urls.*.images",),
        "Preview images of linked pages.",
    ),
    Loss(
        "media_key",
        FROM_V2,
        ("includes.media.*.media_key",),
        "A media_key prefix other than the one the type and URL give (3_ photo, 16_ animated GIF, "
        "13_ amplify video, 7_ other video): native keeps the media id only.",
    ),
    Loss(
        "media_link",
        FROM_V2,
        ("data.entities.urls", "data.note_tweet.entities.urls"),
        "Captures before 2022 carry no URL entity for attached media: the native media's t.co url, "
        "indices, display_url and expanded_url are derived from the last t.co link of the text that "
        "no other entity covers (empty when there is none).",
    ),
    Loss(
        "media_fields",
        FROM_V2,
        ("includes.media.*.variants", "includes.media.*.duration_ms", "includes.media.*.url"),
        "Media members native cannot hold without others v2 was not asked for: a video's variants and "
        "duration without its width and height (native video_info needs the aspect ratio); without "
        "url or preview_image_url, media_url_https is empty.",
    ),
    Loss(
        "poll_details",
        FROM_V2,
        ("includes.polls",),
        "A poll's id, votes and voting status; a poll without end_datetime or duration_minutes (not "
        "asked for) has no native form and is left out.",
    ),
    Loss(
        "place_v2_only",
        FROM_V2,
        ("includes.places.*.contained_within", "includes.places.*.geo.geometry"),
        "Place members native does not have.",
    ),
    Loss(
        "user_v2_only",
        FROM_V2,
        (
            "includes.users.*.pinned_tweet_id",
            "includes.users.*.most_recent_tweet_id",
            "includes.users.*.verified_type",
            "includes.users.*.affiliation",
            "includes.users.*.parody",
            "includes.users.*.public_metrics.media_count",
            "includes.users.*.entities.description",
        ),
        "User members native does not have (the description's hashtags, mentions and cashtags too: "
        "native keeps its URLs only).",
    ),
    Loss(
        "time_ms",
        FROM_V2,
        ("data.created_at", "includes.users.*.created_at", "includes.polls.*.end_datetime"),
        "Native times have whole seconds: milliseconds other than .000 are lost.",
    ),
    Loss(
        "rule_shape",
        FROM_V2,
        ("matching_rules",),
        "A numeric rule id comes back as a string, an absent tag as null; embedding scores are lost.",
    ),
    Loss("twarc_metadata", FROM_V2, ("__twarc",), "twarc2's record of the request (url, version, time)."),
    Loss(
        "unreferenced_includes",
        FROM_V2,
        ("includes",),
        "Objects of a page's includes that none of its posts references, directly or through the posts it "
        "references (earlier versions of edited posts, asked for with the edit_history_tweet_ids expansion; a "
        "pinned post, with pinned_tweet_id; posts referenced more than two levels down): no native post holds "
        "them. Declared on the page's first post.",
    ),
    Loss(
        "shape",
        FROM_V2,
        (
            "data.referenced_tweets",
            "data.entities.mentions.*.id",
            "includes.users.*.url",
            "includes.users.*.description",
            "includes.users.*.entities",
            "includes.places.*.geo",
        ),
        "Members in a form native writes otherwise: references in another order, mention ids taken from "
        "the included users, empty profile entities, a place without properties.",
    ),
    Loss("unknown_fields", FROM_V2, ("*",), "Fields the formats do not define (their paths are reported)."),
)
