"""The columns of an exported table: each defined once, with its type, its getter and where it comes from.

A row is built from a native ``Post`` (what every format xformat reads becomes) and the record's
provenance, so a format added later gives rows without a change here. Where an accessor of
``xformat.accessors`` answers the question, the column means what it means (the tests hold
them to it; the entity lists are read directly, for speed).

Null (None) means that the record does not say: a count the format does not carry, a post
without geo. Lists of entities are never null: a post without hashtags has an empty list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal, NamedTuple

from msgspec import UNSET

from xformat.convert.timefmt import native_to_iso
from xformat.errors import UsageError
from xformat.models import Post
from xformat.models.common import Media

ColumnType = Literal["string", "int64", "float64", "timestamp[ms, UTC]", "list<string>"]
"""Types as Arrow names them; CSV writes timestamps in ISO 8601 and lists joined (``xformat.export.csv_table``)."""


class Row:
    """One post as the getters see it: the post, the post its content comes from (the original
    of a Retweet, else itself), its most complete entities (as ``Post.hashtags`` and the other
    accessors take them) and its author's first Profile Geo location, each found once for all
    the columns; and where the record was read."""

    __slots__ = ("content", "entities", "format", "item", "line", "location", "post", "source")

    def __init__(self, post: Post, fmt: str, source: str, line: int, item: int | None) -> None:
        self.post = post
        self.content = post.content
        self.entities = post.content_entities
        derived = post.user.derived
        self.location = derived.locations[0] if derived is not UNSET and derived.locations else None
        self.format = fmt
        self.source = source
        self.line = line
        self.item = item


Getter = Callable[[Row], Any]


class Column(NamedTuple):
    name: str
    type: ColumnType
    get: Getter
    meaning: str
    native: str
    """Where Enriched Native holds it."""
    activity: str
    """Where Activity Streams holds it."""
    v2: str
    """Where X API v2 holds it (the native ``Post`` will carry it once v2 is read)."""


def _unset_none(value: Any) -> Any:
    return None if value is UNSET else value


def _created_at(row: Row) -> str:
    return native_to_iso(row.post.created_at)


def _quoted(row: Row) -> tuple[str | None, str | None]:
    """(id, author id) of the post quoted; the id alone when the quoted post is unavailable."""
    content = row.content
    quoted = content.quoted_status
    if quoted is not UNSET:
        return quoted.id_str, _unset_none(quoted.user.id_str)
    return _unset_none(content.quoted_status_id_str), None


def _retweeted_text(row: Row) -> str | None:
    original = row.post.retweeted_post
    return None if original is None else original.full_text


# Entity lists are read directly rather than through the accessors of the same names (which
# find the entities anew each time): the accessors' meaning, at a fraction of the cost. Most
# posts have no cashtags, media or rules: those share one empty list, which nothing changes.
_NONE: list[str] = []


def _hashtags(row: Row) -> list[str]:
    hashtags = row.entities.hashtags
    return [tag.text for tag in hashtags] if hashtags else _NONE


def _cashtags(row: Row) -> list[str]:
    symbols = row.entities.symbols
    return [symbol.text for symbol in symbols] if symbols else _NONE


def _mentions(row: Row) -> list[str]:
    mentions = row.entities.user_mentions
    return [mention.screen_name for mention in mentions] if mentions else _NONE


def _urls(row: Row) -> list[str]:
    urls = row.entities.urls
    if not urls:
        return _NONE
    out = []
    for url in urls:
        if url.unwound is not UNSET and url.unwound.url:
            out.append(url.unwound.url)
        elif isinstance(url.expanded_url, str):
            out.append(url.expanded_url)
        else:
            out.append(url.url)
    return out


def _expanded_urls(row: Row) -> list[str]:
    urls = row.entities.urls
    return [url.expanded_url if isinstance(url.expanded_url, str) else url.url for url in urls] if urls else _NONE


def _media(row: Row) -> Sequence[Media]:
    """The native media: the extended entities (every photo), else the entities' media (the first)."""
    content = row.content
    extended = content.extended_tweet
    if extended is not UNSET and extended.extended_entities is not UNSET:
        return extended.extended_entities.media
    if content.extended_entities is not UNSET:
        return content.extended_entities.media
    return row.entities.media or ()


def _media_urls(row: Row) -> list[str]:
    media = _media(row)
    return [item.media_url_https for item in media] if media else _NONE


def _media_types(row: Row) -> list[str]:
    media = _media(row)
    return [item.type for item in media] if media else _NONE


def _coordinate(index: int) -> Getter:
    def get(row: Row) -> float | None:
        point = row.post.geo_coordinates
        return None if point is None else point[index]

    return get


def _place(field: str) -> Getter:
    def get(row: Row) -> str | None:
        place = row.post.place
        return None if not place else _unset_none(getattr(place, field))

    return get


def _profile_geo(field: str) -> Getter:
    def get(row: Row) -> str | None:
        location = row.location
        return None if location is None else _unset_none(getattr(location, field))

    return get


def _profile_geo_coordinate(index: int) -> Getter:
    def get(row: Row) -> float | None:
        location = row.location
        if location is None or not location.geo:
            return None
        return location.geo.coordinates[index]

    return get


def _rule_tags(row: Row) -> list[str]:
    rules = row.post.matching_rules
    return [rule.tag for rule in rules if rule.tag is not None] if rules else _NONE


def _rule_ids(row: Row) -> list[str]:
    rules = row.post.matching_rules
    return [rule.id_str for rule in rules if isinstance(rule.id_str, str)] if rules else _NONE


_SOURCES: dict[str, str] = {}
_SOURCES_MAX = 4096  # an archive holds a few hundred apps; past that, parse without keeping


def _source(row: Row) -> str | None:
    anchor = row.post.source
    if anchor is UNSET:
        return None
    name = _SOURCES.get(anchor)
    if name is None:
        generator = row.post.generator
        assert generator is not None
        name = generator.name
        if len(_SOURCES) < _SOURCES_MAX:
            _SOURCES[anchor] = name
    return name


def _count(field: str) -> Getter:
    def get(row: Row) -> int | None:
        count: int | None = _unset_none(getattr(row.post, field))
        return count

    return get


def _retweet_count(row: Row) -> int | None:
    """The post's Retweets; a Retweet's are its original's, which a stream capture of the
    Retweet's own ``retweet_count`` does not give (it says 0 there)."""
    count: int | None = _unset_none(row.content.retweet_count)
    return count


def _edit_history_ids(row: Row) -> list[str] | None:
    history = row.post.edit_history
    return None if history is UNSET else history.edit_tweet_ids


def _withheld_in_countries(row: Row) -> list[str] | None:
    countries = row.post.withheld_in_countries
    return None if countries is UNSET else countries


_RETWEET_NOTE = "For a Retweet, the original's (as in `text`)."
_AS_ID = "(the id at the end of the IRI)"

COLUMNS: tuple[Column, ...] = (
    Column(
        "id", "string", lambda r: r.post.id_str,
        "The post's id (a decimal string: ids exceed what a float holds).",
        "`id_str`", f"`id` {_AS_ID}", "`data.id`",
    ),
    Column(
        "created_at", "timestamp[ms, UTC]", _created_at,
        "When it was posted, UTC.",
        "`created_at`", "`postedTime`", "`data.created_at`",
    ),
    Column(
        "author_id", "string", lambda r: _unset_none(r.post.user.id_str),
        "The author's user id.",
        "`user.id_str`", f"`actor.id` {_AS_ID}", "`data.author_id`",
    ),
    Column(
        "author_screen_name", "string", lambda r: r.post.user.screen_name,
        "The author's @handle, without the @.",
        "`user.screen_name`", "`actor.preferredUsername`", "`includes.users[].username`",
    ),
    Column(
        "author_name", "string", lambda r: r.post.user.name,
        "The author's display name.",
        "`user.name`", "`actor.displayName`", "`includes.users[].name`",
    ),
    Column(
        "author_followers_count", "int64", lambda r: _unset_none(r.post.user.followers_count),
        "The author's followers when the post was delivered.",
        "`user.followers_count`", "`actor.followersCount`", "`includes.users[].public_metrics.followers_count`",
    ),
    Column(
        "author_following_count", "int64", lambda r: _unset_none(r.post.user.friends_count),
        "Accounts the author followed when the post was delivered.",
        "`user.friends_count`", "`actor.friendsCount`", "`includes.users[].public_metrics.following_count`",
    ),
    Column(
        "text", "string", lambda r: r.post.full_text,
        "The whole text: long posts whole; for a Retweet, `RT @name: ` and the original's whole text.",
        "`extended_tweet.full_text`, else `text`; Retweets from `retweeted_status`",
        "`long_object.body`, else `body`; Retweets from `object`",
        "`data.note_tweet.text`, else `data.text`; Retweets from the original in `includes.tweets`",
    ),
    Column(
        "post_type", "string", lambda r: r.post.post_type,
        "`retweet`, `quote`, `reply` or `original`: the first that applies, in that order "
        "(a reply that quotes is a `quote`).",
        "`retweeted_status`, `quoted_status` or `is_quote_status`, `in_reply_to_status_id_str`",
        "`verb` `share`, `twitter_quoted_status`, `inReplyTo`",
        "`data.referenced_tweets[].type`",
    ),
    Column(
        "lang", "string", lambda r: _unset_none(r.post.lang),
        "The post's language as X detected it (BCP 47; `und` when undetermined).",
        "`lang`", "`twitter_lang`", "`data.lang`",
    ),
    Column(
        "in_reply_to_id", "string", lambda r: _unset_none(r.post.in_reply_to_status_id_str),
        "The post replied to.",
        "`in_reply_to_status_id_str`", "`inReplyTo.link` (the id at its end)",
        "`data.referenced_tweets[type=replied_to].id`",
    ),
    Column(
        "in_reply_to_user_id", "string", lambda r: _unset_none(r.post.in_reply_to_user_id_str),
        "The author of the post replied to. Activity Streams does not carry it: it comes from the "
        "@mention of that author, or from the author of a self-reply, else null.",
        "`in_reply_to_user_id_str`", "(derived, see meaning)", "`data.in_reply_to_user_id`",
    ),
    Column(
        "in_reply_to_screen_name", "string", lambda r: _unset_none(r.post.in_reply_to_screen_name),
        "The @handle of the author replied to.",
        "`in_reply_to_screen_name`", "`inReplyTo.link` (the name in it)",
        "`includes.users[].username` of `in_reply_to_user_id`",
    ),
    Column(
        "quoted_id", "string", lambda r: _quoted(r)[0],
        f"The post quoted (also when it is unavailable). {_RETWEET_NOTE}",
        "`quoted_status_id_str`", f"`twitter_quoted_status.id` {_AS_ID}",
        "`data.referenced_tweets[type=quoted].id`",
    ),
    Column(
        "quoted_author_id", "string", lambda r: _quoted(r)[1],
        f"The author of the post quoted. {_RETWEET_NOTE}",
        "`quoted_status.user.id_str`", f"`twitter_quoted_status.actor.id` {_AS_ID}",
        "`includes.tweets[].author_id` of the quoted post",
    ),
    Column(
        "retweeted_id", "string", lambda r: None if r.content is r.post else r.content.id_str,
        "The original post of a Retweet.",
        "`retweeted_status.id_str`", f"`object.id` of a `share` {_AS_ID}",
        "`data.referenced_tweets[type=retweeted].id`",
    ),
    Column(
        "retweeted_author_id", "string", lambda r: None if r.content is r.post else _unset_none(r.content.user.id_str),
        "The author of the original post of a Retweet.",
        "`retweeted_status.user.id_str`", f"`object.actor.id` of a `share` {_AS_ID}",
        "`includes.tweets[].author_id` of the original",
    ),
    Column(
        "retweeted_text", "string", _retweeted_text,
        "The whole text of the original post of a Retweet.",
        "`retweeted_status.extended_tweet.full_text`, else `retweeted_status.text`",
        "`object.long_object.body`, else `object.body`",
        "`includes.tweets[].text` (or its `note_tweet.text`) of the original",
    ),
    Column(
        "hashtags", "list<string>", _hashtags,
        f"Hashtags, without the #, in text order. {_RETWEET_NOTE}",
        "`entities.hashtags[].text` (`extended_tweet.entities` of a long post)",
        "`twitter_entities.hashtags[].text` (`long_object.twitter_entities` of a long post)",
        "`data.entities.hashtags[].tag`",
    ),
    Column(
        "cashtags", "list<string>", _cashtags,
        f"Cashtags, without the $. {_RETWEET_NOTE}",
        "`entities.symbols[].text`", "`twitter_entities.symbols[].text`", "`data.entities.cashtags[].tag`",
    ),
    Column(
        "mentions", "list<string>", _mentions,
        f"@handles mentioned, without the @. {_RETWEET_NOTE}",
        "`entities.user_mentions[].screen_name`", "`twitter_entities.user_mentions[].screen_name`",
        "`data.entities.mentions[].username`",
    ),
    Column(
        "urls", "list<string>", _urls,
        f"Each link as far as it is known to lead: unwound (the Enterprise enrichment), else expanded, "
        f"else the t.co link. {_RETWEET_NOTE}",
        "`entities.urls[].unwound.url`, else `.expanded_url`, else `.url`",
        "`gnip.urls[].expanded_url` (the unwound one), else `twitter_entities.urls[].expanded_url`, else `.url`",
        "`data.entities.urls[].unwound_url`, else `.expanded_url`, else `.url`",
    ),
    Column(
        "expanded_urls", "list<string>", _expanded_urls,
        f"Each link as X expanded it (no unwinding of shorteners), else the t.co link. {_RETWEET_NOTE}",
        "`entities.urls[].expanded_url`", "`twitter_entities.urls[].expanded_url`",
        "`data.entities.urls[].expanded_url`",
    ),
    Column(
        "media_urls", "list<string>", _media_urls,
        f"HTTPS URLs of the photos, and of the stills of videos and GIFs. {_RETWEET_NOTE}",
        "`extended_entities.media[].media_url_https`, else `entities.media[]`",
        "`twitter_extended_entities.media[].media_url_https`, else `twitter_entities.media[]`",
        "`includes.media[].url`, or `.preview_image_url` of videos and GIFs",
    ),
    Column(
        "media_types", "list<string>", _media_types,
        "`photo`, `video` or `animated_gif`, one per item of `media_urls`.",
        "`extended_entities.media[].type`", "`twitter_extended_entities.media[].type`", "`includes.media[].type`",
    ),
    Column(
        "lon", "float64", _coordinate(0),
        "Longitude of the exact location the post was sent from.",
        "`coordinates.coordinates[0]`, else `geo.coordinates[1]`", "`geo.coordinates[1]`",
        "`data.geo.coordinates.coordinates[0]`",
    ),
    Column(
        "lat", "float64", _coordinate(1),
        "Latitude of the exact location the post was sent from.",
        "`coordinates.coordinates[1]`, else `geo.coordinates[0]`", "`geo.coordinates[0]`",
        "`data.geo.coordinates.coordinates[1]`",
    ),
    Column(
        "place_name", "string", _place("full_name"),
        "The place the post is tagged with (`Lagos, Nigeria`).",
        "`place.full_name`", "`location.displayName`", "`includes.places[].full_name`",
    ),
    Column(
        "place_country_code", "string", _place("country_code"),
        "ISO country code of that place.",
        "`place.country_code`", "`location.twitter_country_code`", "`includes.places[].country_code`",
    ),
    Column(
        "profile_location", "string", lambda r: _unset_none(r.post.user.location),
        "The free-text location of the author's profile.",
        "`user.location`", "`actor.location.displayName`", "`includes.users[].location`",
    ),
    Column(
        "profile_geo_name", "string", _profile_geo("full_name"),
        "Profile Geo enrichment: the place the profile location was resolved to.",
        "`user.derived.locations[0].full_name`", "`gnip.profileLocations[0].displayName`",
        "(none: Enterprise enrichment)",
    ),
    Column(
        "profile_geo_country_code", "string", _profile_geo("country_code"),
        "Profile Geo: its ISO country code.",
        "`user.derived.locations[0].country_code`", "`gnip.profileLocations[0].address.countryCode`",
        "(none: Enterprise enrichment)",
    ),
    Column(
        "profile_geo_region", "string", _profile_geo("region"),
        "Profile Geo: its region (state, province).",
        "`user.derived.locations[0].region`", "`gnip.profileLocations[0].address.region`",
        "(none: Enterprise enrichment)",
    ),
    Column(
        "profile_geo_locality", "string", _profile_geo("locality"),
        "Profile Geo: its locality (city).",
        "`user.derived.locations[0].locality`", "`gnip.profileLocations[0].address.locality`",
        "(none: Enterprise enrichment)",
    ),
    Column(
        "profile_geo_lon", "float64", _profile_geo_coordinate(0),
        "Profile Geo: longitude of its centre.",
        "`user.derived.locations[0].geo.coordinates[0]`", "`gnip.profileLocations[0].geo.coordinates[0]`",
        "(none: Enterprise enrichment)",
    ),
    Column(
        "profile_geo_lat", "float64", _profile_geo_coordinate(1),
        "Profile Geo: latitude of its centre.",
        "`user.derived.locations[0].geo.coordinates[1]`", "`gnip.profileLocations[0].geo.coordinates[1]`",
        "(none: Enterprise enrichment)",
    ),
    Column(
        "rule_tags", "list<string>", _rule_tags,
        "Tags of the PowerTrack rules that matched (rules without a tag left out).",
        "`matching_rules[].tag`", "`gnip.matching_rules[].tag`", "`matching_rules[].tag` (filtered stream)",
    ),
    Column(
        "rule_ids", "list<string>", _rule_ids,
        "Ids of the rules that matched (older feeds give none).",
        "`matching_rules[].id_str`", "`gnip.matching_rules[].id_str`", "`matching_rules[].id` (filtered stream)",
    ),
    Column(
        "source", "string", _source,
        "The app the post was sent with.",
        "`source` (the anchor's text)", "`generator.displayName`", "`data.source`",
    ),
    Column(
        "retweet_count", "int64", _retweet_count,
        "Retweets when the post was delivered (a Retweet carries its original's).",
        "`retweet_count`", "`retweetCount`", "`data.public_metrics.retweet_count`",
    ),
    Column(
        "like_count", "int64", _count("favorite_count"),
        "Likes when the post was delivered.",
        "`favorite_count`", "`favoritesCount`", "`data.public_metrics.like_count`",
    ),
    Column(
        "reply_count", "int64", _count("reply_count"),
        "Replies when the post was delivered; null in Activity Streams, which does not carry it.",
        "`reply_count` (since 2017)", "(none)", "`data.public_metrics.reply_count`",
    ),
    Column(
        "quote_count", "int64", _count("quote_count"),
        "Quotes when the post was delivered; null in Activity Streams, which does not carry it.",
        "`quote_count` (since 2017)", "(none)", "`data.public_metrics.quote_count`",
    ),
    Column(
        "withheld_in_countries", "list<string>", _withheld_in_countries,
        "Country codes where the post is withheld; null when the record does not say "
        "(always in Activity Streams, which does not carry it).",
        "`withheld_in_countries`", "(none)", "`data.withheld.country_codes`",
    ),
    Column(
        "edit_history_ids", "list<string>", _edit_history_ids,
        "Every version of the post, oldest first (posts since September 2022).",
        "`edit_history.edit_tweet_ids`", "`edit_history.edit_tweet_ids`", "`data.edit_history_tweet_ids`",
    ),
    Column(
        "input_format", "string", lambda r: r.format,
        "The format of the record: `native` (Enriched Native) or `activity` (Activity Streams).",
        "`native`", "`activity`", "(the v2 format's name)",
    ),
    Column(
        "input_file", "string", lambda r: r.source,
        "The file the record was read from (`-` for stdin).",
        "(reader)", "(reader)", "(reader)",
    ),
    Column(
        "input_line", "int64", lambda r: r.line,
        "The line of that file (decompressed) where the record starts.",
        "(reader)", "(reader)", "(reader)",
    ),
    Column(
        "input_item", "int64", lambda r: r.item,
        "The record's position in a JSON array or search page; null for a record on its own line.",
        "(reader)", "(reader)", "(reader)",
    ),
)  # fmt: skip

BY_NAME = {column.name: column for column in COLUMNS}


def select(names: Sequence[str] | None) -> tuple[Column, ...]:
    """The columns named, in that order (all of them for None)."""
    if names is None:
        return COLUMNS
    unknown = [name for name in names if name not in BY_NAME]
    if unknown:
        raise UsageError(f"unknown column {', '.join(unknown)}: the columns are {', '.join(BY_NAME)}")
    if len(set(names)) != len(names):
        raise UsageError("a column is named twice in --columns")
    if not names:
        raise UsageError("--columns names no column")
    return tuple(BY_NAME[name] for name in names)


def markdown_table() -> str:
    """The column table as the README shows it."""
    lines = [
        "| column | type | meaning | Enriched Native | Activity Streams | X API v2 (to come) |",
        "|---|---|---|---|---|---|",
    ]
    for c in COLUMNS:
        lines.append(f"| `{c.name}` | {c.type} | {c.meaning} | {c.native} | {c.activity} | {c.v2} |")
    return "\n".join(lines) + "\n"
