"""Hypothesis strategies: valid, realistic X Enterprise records in both formats.

Everything is invented (names, ids, texts, places): no real person's data.

Enriched Native (EN) posts are built as plain JSON dicts, the way real feeds deliver them and
as docs/MAPPING.md describes: texts are assembled from parts and every entity's ``indices`` are
computed in code points on the text it belongs to (the truncated ``text``, the ``full_text`` of
a long post, the ``RT @name: …`` text of a Retweet).

Each strategy yields a :class:`Sample`: the record, its format, and ``clean``, which says that
the record holds nothing its other format cannot carry (no declared loss applies), so that a
round trip must give it back exactly and report no loss. Records that are not clean hold the
fields the loss catalog (``xformat/convert/losses.py``) declares: counts, polls, perspectival
fields, profile design, a quote of an unavailable post, ids mangled into floats, and so on.

Activity Streams (AS) records are the canonical conversion of an EN sample, optionally varied
by hand in the ways real AS feeds differ from what the EN side can produce (actor times with
milliseconds, an absent ``utcOffset``, the dictionary's ``countryCode``/``country`` spelling,
x.com IRIs, several profile links, unmatched ``gnip.urls`` ...).
"""

from __future__ import annotations

import copy
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import msgspec
from hypothesis import strategies as st

from xformat.convert import to_activity
from xformat.convert.events import compliance_event_to_activity
from xformat.convert.links import Links
from xformat.models.common import USER_EVENTS
from xformat.models.native import ComplianceNotice

# --- small vocabularies (all invented) -------------------------------------------------------

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

#: Words of every script the texts mix: emoji with ZWJ and skin tones, flags, RTL Arabic and
#: Hebrew, combining marks, astral-plane letters, HTML-escaped characters as feeds send them.
WORDS = (
    "hello", "world", "café", "naïve", "e\u0301te\u0301", "x\u0327\u030c", "Zürich",
    "مرحبا", "بالعالم", "שלום", "עולם", "\u200fשלום\u200f", "こんにちは", "日本語",
    "Ελληνικά", "Привет", "𝓗𝓮𝓵𝓵𝓸", "👩🏽\u200d💻", "👨\u200d👩\u200d👧\u200d👦", "🏳️\u200d🌈",
    "👍🏿", "🇫🇷", "🇯🇵", "&amp;", "&lt;3", "2,5 %", "ok!", "…", "\u2028", "tab\tbed",
)  # fmt: skip
HASHTAGS = ("xformat", "café", "日本", "مرحبا", "Ünïcode", "test_123", "ÉtéIndien", "שבת", "a")
CASHTAGS = ("ACME", "XYZQ", "FOO", "B")
FIRST_NAMES = ("Avery Quill", "Noor Haddad-Lindqvist", "Tomás Ferreira", "Yuki 🌸", "זיו", "ليلى",
               "Ola Nordmann-Test", "D\u0301ana", "👩🏽\u200d🚀 Mira", "")  # fmt: skip
CLIENTS = (
    ("Twitter for iPhone", "http://twitter.com/download/iphone"),
    ("Twitter Web App", "https://mobile.twitter.com"),
    ("Quillpost ✒️", "https://quillpost.example"),
    ("Buffer & Co", "https://buffer.example/app?x=1&amp;y=2"),
)
TIME_ZONES = ("Pacific Time (US & Canada)", "Paris", "Tehran", "Kathmandu", "Chatham Is.", "UTC")
LANGS = ("en", "fr", "ar", "he", "ja", "es", "und", "pt-br", "zh-cn", "in")
PLACE_TYPES = ("city", "admin", "country", "poi", "neighborhood")
COUNTRIES = (("US", "United States"), ("FR", "France"), ("JP", "日本"), ("EG", "مصر"), ("IL", "ישראל"))
DOMAINS = ("example.com", "example.org", "example.net", "blog.example", "news.example")
ALNUM = string.ascii_letters + string.digits

MAX_ID = 2**63 - 1
ids = st.one_of(st.integers(1, MAX_ID), st.sampled_from([1, 20, 2**53 + 1, MAX_ID]))
moments = st.datetimes(min_value=datetime(2006, 3, 21), max_value=datetime(2023, 12, 31))
free_text = st.text(max_size=12)  # any Unicode, control characters included
words = st.one_of(st.sampled_from(WORDS), free_text.filter(bool))
coordinate_lat = st.floats(-90, 90, allow_nan=False).map(lambda x: round(x, 6))
coordinate_long = st.floats(-180, 180, allow_nan=False).map(lambda x: round(x, 6))


def native_time(moment: datetime) -> str:
    """``Wed Oct 10 20:19:24 +0000 2018``."""
    return (
        f"{DAYS[moment.weekday()]} {MONTHS[moment.month - 1]} {moment.day:02d} "
        f"{moment:%H:%M:%S} +0000 {moment.year:04d}"
    )


def iso_time(moment: datetime, millis: int = 0) -> str:
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{millis:03d}Z"


@dataclass
class Sample:
    """A generated record."""

    data: dict[str, Any]
    format: str  # "native" or "activity"
    clean: bool  # holds nothing its other format cannot carry
    kind: str = "post"  # "post" or "delete"
    domain: str = "twitter.com"  # the domain of an AS record's IRIs
    notes: tuple[str, ...] = ()  # what the generator put in (helps reading a failure)


# --- the draw context: uniqueness and the unwound-URL table ---------------------------------


@dataclass
class _Ctx:
    draw: Any
    lossy: bool
    used_ids: set[str] = field(default_factory=set)
    used_names: set[str] = field(default_factory=set)
    used_tco: set[str] = field(default_factory=set)
    unwound: dict[str, dict[str, Any] | None] = field(default_factory=dict)

    def flag(self, p: float = 0.3) -> bool:
        """A lossy feature: only in lossy samples, then with probability about ``p``."""
        return self.lossy and self.draw(st.integers(0, 99)) < int(p * 100)

    def chance(self, p: float) -> bool:
        return self.draw(st.integers(0, 99)) < int(p * 100)

    def new_id(self) -> str:
        value = self.draw(ids)
        while str(value) in self.used_ids:  # deterministic, so shrinking cannot loop
            value = value - 1 if value > 1 else MAX_ID
        self.used_ids.add(str(value))
        return str(value)

    def new_name(self) -> str:
        name = self.draw(st.text(ALNUM + "_", min_size=1, max_size=15))
        n = 0
        while name.lower() in self.used_names:
            n += 1
            name = name[:12] + str(n)
        self.used_names.add(name.lower())
        return name

    def tco(self, *, unwind: bool = True) -> str:
        """A fresh t.co url; decides once whether (and how) it was unwound, for every copy."""
        code = self.draw(st.text(ALNUM, min_size=10, max_size=10))
        n = 0
        while code in self.used_tco:
            n += 1
            code = code[:7] + f"{n:03d}"
        self.used_tco.add(code)
        url = "https://t.co/" + code
        self.unwound[url] = self._unwound() if unwind and self.chance(0.5) else None
        return url

    def _unwound(self) -> dict[str, Any]:
        d: dict[str, Any] = {"url": self.draw(expanded_urls)}
        if self.chance(0.9):
            d["status"] = self.draw(st.sampled_from([200, 200, 301, 404, None]))
        if self.chance(0.9):
            d["title"] = self.draw(maybe_word)
        if self.chance(0.9):
            d["description"] = self.draw(maybe_text)
        return d


expanded_urls = st.builds(
    lambda domain, path: f"https://{domain}/{path}",
    st.sampled_from(DOMAINS),
    st.text(ALNUM + "-_/", max_size=20),
)


# Unions drawn for every record, built once: hypothesis prepares each new strategy object on its
# first draw, which costs more than the draw itself when it is built anew inside every record.
maybe_word = st.none() | st.sampled_from(WORDS)
maybe_text = st.none() | free_text
maybe_expanded_url = st.none() | expanded_urls
user_names = st.sampled_from(FIRST_NAMES) | free_text
user_locations = st.none() | st.sampled_from(("Springfield", "Ville-sur-Test 🏡", "القاهرة"))
user_descriptions = st.none() | st.sampled_from(WORDS) | free_text
utc_offsets = st.none() | st.integers(-48, 56).map(lambda q: q * 900)
maybe_time_zone = st.none() | st.sampled_from(TIME_ZONES)
maybe_user_lang = st.none() | st.sampled_from(LANGS)
klout_scores = st.integers(1, 100) | st.sampled_from([41.5, 12.25])
poll_durations = st.integers(5, 10080) | st.just("1440")
favorite_counts = st.integers(0, 10**6) | st.none()
post_langs = st.sampled_from(LANGS) | st.none()
rule_tags = st.none() | st.sampled_from(("topic:tests", "règle ✓", "lang:ar"))


def _display_url(url: str) -> str:
    bare = url.split("://", 1)[-1]
    return bare if len(bare) <= 26 else bare[:26] + "…"


# --- users ------------------------------------------------------------------------------------


def _user(ctx: _Ctx, *, top: bool) -> dict[str, Any]:
    draw = ctx.draw
    id_str = ctx.new_id()
    u: dict[str, Any] = {
        "id": int(id_str),
        "id_str": id_str,
        "name": draw(user_names),
        "screen_name": ctx.new_name(),
        "location": draw(user_locations),
        "url": draw(maybe_expanded_url),
        "description": draw(user_descriptions),
    }
    u["protected"] = False  # Enterprise feeds deliver public posts only: what AS -> EN infers
    if ctx.chance(0.9):
        u["verified"] = draw(st.booleans())
    if ctx.chance(0.9):
        for key in ("followers_count", "friends_count", "listed_count", "favourites_count", "statuses_count"):
            u[key] = draw(st.integers(-1, 2**31))  # -1 in test-account captures
        if u["listed_count"] == -1 and not ctx.flag(1.0):
            u["listed_count"] = None  # some 2016 feeds say null, which AS says -1; a real -1 comes back null
    if ctx.chance(0.95):
        u["created_at"] = native_time(draw(moments))
    u["utc_offset"] = draw(utc_offsets)
    if ctx.chance(0.9):
        u["time_zone"] = draw(maybe_time_zone)
    if ctx.chance(0.9):
        u["lang"] = draw(maybe_user_lang)
    if ctx.chance(0.95):
        key = draw(st.text(ALNUM, min_size=8, max_size=8))
        u["profile_image_url_https"] = f"https://pbs.twimg.com/profile_images/{id_str}/{key}_normal.jpg"
        u["profile_image_url"] = "http://" + u["profile_image_url_https"][8:]
    if top and ctx.chance(0.3):
        u["derived"] = _derived(ctx)
    # what real feeds also carry, and Activity Streams cannot (declared losses)
    if ctx.flag(0.5):
        u.update(
            profile_background_color="C0DEED",
            profile_link_color="1DA1F2",
            profile_use_background_image=True,
            default_profile=draw(st.booleans()),
            default_profile_image=False,
        )
    if ctx.flag(0.5):
        u.update(geo_enabled=draw(st.booleans()), contributors_enabled=False, is_translator=False,
                 translator_type="none", following=None, follow_request_sent=None, notifications=None)  # fmt: skip
    if ctx.flag(0.1):
        u["entities"] = {"description": {"urls": []}}
    if ctx.flag(0.1):
        u["protected"] = draw(st.sampled_from([True, None]))  # AS actors carry no protected flag
    elif ctx.flag(0.05):
        del u["protected"]
    if ctx.flag(0.1):
        u["withheld_in_countries"] = ["DE"]
    if ctx.flag(0.1):
        u["id"] = float(u["id"])  # JavaScript-mangled
    if ctx.flag(0.1):
        del u[draw(st.sampled_from(["location", "url", "description", "utc_offset"]))]
    if ctx.flag(0.05) and "profile_image_url" in u:
        u["profile_image_url"] = u["profile_image_url"].replace(".jpg", ".png")
    if not top and ctx.flag(0.1):
        u["derived"] = _derived(ctx)  # embedded enrichments: the top level only, in AS
    return u


def _derived(ctx: _Ctx) -> dict[str, Any]:
    draw = ctx.draw
    d: dict[str, Any] = {}
    parts = draw(st.sampled_from(["locations", "klout", "both"]))
    if parts != "klout":
        d["locations"] = [_derived_location(ctx) for _ in range(draw(st.integers(1, 2)))]
    if parts != "locations":
        d["klout"] = _klout(ctx)
    return d


def _derived_location(ctx: _Ctx) -> dict[str, Any]:
    draw = ctx.draw
    code, country = draw(st.sampled_from(COUNTRIES))
    full = {
        "country": country,
        "country_code": code,
        "locality": "Springfield",
        "region": "Testshire",
        "sub_region": "Sample County",
        "full_name": f"Springfield, Testshire, {country}",
        "geo": {"coordinates": [draw(coordinate_long), draw(coordinate_lat)], "type": "point"},
    }
    keep = draw(st.sets(st.sampled_from(sorted(full)), min_size=1))
    return {k: v for k, v in full.items() if k in keep}


def _klout(ctx: _Ctx) -> dict[str, Any]:
    """Klout as each era has it: a score alone (most 2012-2016 posts), 2012-2016 topics named by
    klout_topic_id with no type (AS has no influence/interest then), or 2017 typed topics."""
    draw = ctx.draw
    user_id = str(draw(st.integers(1, 2**60)))
    score = draw(klout_scores)
    era = draw(st.sampled_from(["score_only", "2012", "2017"]))
    if era == "score_only":
        return {"score": score}

    def topics(first_era: bool, min_size: int = 0) -> list[dict[str, Any]]:
        found = []
        for _ in range(draw(st.integers(min_size, 3))):
            topic_id = str(draw(st.integers(1, 10**19)))
            name = draw(st.sampled_from(WORDS))
            url = f"http://klout.com/topic/id/{topic_id}"
            if first_era:
                found.append({"klout_topic_id": topic_id, "name": name, "url": url})
            else:
                weight = draw(st.sampled_from([0.5, 0.26, 1.0]))
                found.append({"id": topic_id, "name": name, "url": url, "score": weight})
        return found

    klout: dict[str, Any] = {"score": score, "user_id": user_id, "profile_url": f"http://klout.com/user/id/{user_id}"}
    if era == "2012":
        if ctx.chance(0.8):
            klout["topics"] = topics(True, min_size=1)  # an empty untyped list comes back typed (shape)
    else:
        klout["influence_topics"] = topics(False)
        klout["interest_topics"] = topics(False)
    return klout


# --- texts and entities -----------------------------------------------------------------------


class _Text:
    """A text assembled from parts, and the entities found in it (indices in code points)."""

    def __init__(self) -> None:
        self.text = ""
        self.hashtags: list[dict[str, Any]] = []
        self.symbols: list[dict[str, Any]] = []
        self.mentions: list[dict[str, Any]] = []
        self.urls: list[dict[str, Any]] = []

    def add(self, part: str, *, space: bool = True) -> tuple[int, int]:
        if space and self.text:
            self.text += " "
        start = len(self.text)
        self.text += part
        return start, len(self.text)


def _mention(user: dict[str, Any], indices: tuple[int, int]) -> dict[str, Any]:
    return {
        "screen_name": user["screen_name"],
        "name": user["name"],
        "id": int(user["id_str"]),
        "id_str": user["id_str"],
        "indices": list(indices),
    }


def _url_entity(ctx: _Ctx, url: str, expanded: str, indices: tuple[int, int]) -> dict[str, Any]:
    d: dict[str, Any] = {
        "url": url,
        "expanded_url": expanded,
        "display_url": _display_url(expanded),
        "indices": list(indices),
    }
    if ctx.unwound[url] is not None:
        d["unwound"] = copy.deepcopy(ctx.unwound[url])
    return d


def _media(ctx: _Ctx, author: dict[str, Any], post_id: str) -> list[dict[str, Any]]:
    """1-4 photos, or one video, or one animated GIF (without indices yet)."""
    draw = ctx.draw
    kind = draw(st.sampled_from(["photo", "photo", "video", "animated_gif"]))
    count = draw(st.integers(1, 4)) if kind == "photo" else 1
    tco = ctx.tco(unwind=False)
    code = draw(st.text(ALNUM, min_size=10, max_size=10))
    items = []
    for i in range(count):
        media_id = ctx.new_id()
        key = draw(st.text(ALNUM, min_size=15, max_size=15))
        path = {"photo": "media", "video": f"ext_tw_video_thumb/{media_id}/pu/img", "animated_gif":
                "tweet_video_thumb"}[kind]  # fmt: skip
        sizes = {
            name: {"w": w, "h": h, "resize": "crop" if name == "thumb" else "fit"}
            for name, w, h in (("thumb", 150, 150), ("medium", 1200, 675), ("small", 680, 383),
                               ("large", 1920, 1080))
        }  # fmt: skip
        item: dict[str, Any] = {
            "id": int(media_id),
            "id_str": media_id,
            "media_url": f"http://pbs.twimg.com/{path}/{key}.jpg",
            "media_url_https": f"https://pbs.twimg.com/{path}/{key}.jpg",
            "url": tco,
            "display_url": f"pic.twitter.com/{code}",
            "expanded_url": f"https://twitter.com/{author['screen_name']}/status/{post_id}/"
            f"{'video' if kind != 'photo' else 'photo'}/{i + 1}",
            "type": kind,
            "sizes": sizes,
        }
        if kind == "video":
            item["video_info"] = {
                "aspect_ratio": [16, 9],
                "duration_millis": draw(st.integers(500, 140_000)),
                "variants": [
                    {"bitrate": 832000, "content_type": "video/mp4",
                     "url": f"https://video.twimg.com/ext_tw_video/{media_id}/pu/vid/640x360/{key}.mp4"},
                    {"content_type": "application/x-mpegURL",
                     "url": f"https://video.twimg.com/ext_tw_video/{media_id}/pu/pl/{key}.m3u8"},
                ],
            }  # fmt: skip
            item["additional_media_info"] = {"monetizable": False}
        elif kind == "animated_gif":
            item["video_info"] = {
                "aspect_ratio": [1, 1],
                "variants": [{"bitrate": 0, "content_type": "video/mp4",
                              "url": f"https://video.twimg.com/tweet_video/{key}.mp4"}],
            }  # fmt: skip
        if ctx.chance(0.3):
            item["ext_alt_text"] = draw(maybe_word)
        items.append(item)
    return items


def _entities_of(t: _Text, *, omit_empty: bool) -> dict[str, Any]:
    ents = {"hashtags": t.hashtags, "symbols": t.symbols, "user_mentions": t.mentions, "urls": t.urls}
    return {k: v for k, v in ents.items() if v or not omit_empty}


@dataclass
class _Body:
    text: str  # the full text
    entities: dict[str, Any]
    media: list[dict[str, Any]] | None
    display_range: tuple[int, int]


def _body(
    ctx: _Ctx,
    *,
    author: dict[str, Any],
    post_id: str,
    lead: list[dict[str, Any]],
    cast: list[dict[str, Any]],
    quote_link: tuple[str, str] | None,
    long: bool,
) -> _Body:
    """The text, entities and media of one post (its full text when ``long``)."""
    draw = ctx.draw
    t = _Text()
    for user in lead:  # reply prefix: "@a @b "
        t.mentions.append(_mention(user, t.add("@" + user["screen_name"])))
    start = len(t.text) + 1 if lead else 0
    for _ in range(draw(st.integers(1, 8))):
        if not long and len(t.text) > 90:
            break  # a short post stays about 140 characters
        part = draw(st.sampled_from(["word", "word", "word", "hashtag", "cashtag", "mention", "url"]))
        if part == "word":
            t.add(draw(words))
        elif part == "hashtag":
            tag = draw(st.sampled_from(HASHTAGS))
            t.hashtags.append({"text": tag, "indices": list(t.add("#" + tag))})
        elif part == "cashtag":
            sym = draw(st.sampled_from(CASHTAGS))
            t.symbols.append({"text": sym, "indices": list(t.add("$" + sym))})
        elif part == "mention" and cast:
            user = draw(st.sampled_from(cast))
            t.mentions.append(_mention(user, t.add("@" + user["screen_name"])))
        elif part == "url":
            url = ctx.tco()
            t.urls.append(_url_entity(ctx, url, draw(expanded_urls), t.add(url)))
    if long:
        filler = draw(st.sampled_from(WORDS))
        while len(t.text) <= 150:
            t.add(filler)
    if quote_link is not None:
        url = ctx.tco()
        expanded = f"https://twitter.com/{quote_link[0]}/status/{quote_link[1]}"
        t.urls.append(_url_entity(ctx, url, expanded, t.add(url)))
    end = len(t.text)
    media = _media(ctx, author, post_id) if ctx.chance(0.3) else None
    if media:
        indices = t.add(media[0]["url"])
        for item in media:
            item["indices"] = list(indices)
    return _Body(t.text, _entities_of(t, omit_empty=ctx.chance(0.1)), media, (start, end))


def _thumbnail(item: dict[str, Any]) -> dict[str, Any]:
    """``entities.media`` holds the first item only; real feeds show a video or GIF as its photo."""
    thumb = copy.deepcopy(item)
    if thumb["type"] != "photo":
        thumb["type"] = "photo"
        thumb.pop("video_info")
        thumb.pop("additional_media_info", None)
    return thumb


def _shift(items: list[dict[str, Any]], by: int, limit: int) -> list[dict[str, Any]]:
    """Copies of the entities that lie within ``limit`` once shifted ``by`` code points."""
    out = []
    for item in items:
        a, b = item["indices"]
        if b + by <= limit:
            moved = copy.deepcopy(item)
            moved["indices"] = [a + by, b + by]
            out.append(moved)
    return out


def _cut_entities(entities: dict[str, Any], limit: int) -> dict[str, Any]:
    return {k: _shift(v, 0, limit) for k, v in entities.items() if k != "media"}


# --- posts ------------------------------------------------------------------------------------

POST_KINDS = ("original", "reply", "self_reply", "quote", "reply_quote", "retweet")


def _place(ctx: _Ctx) -> dict[str, Any]:
    draw = ctx.draw
    place_id = draw(st.text("0123456789abcdef", min_size=16, max_size=16))
    code, country = draw(st.sampled_from(COUNTRIES))
    lo, la = draw(coordinate_long), draw(coordinate_lat)
    box = [[lo, la], [lo, min(la + 0.5, 90.0)], [min(lo + 0.5, 180.0), min(la + 0.5, 90.0)],
           [min(lo + 0.5, 180.0), la]]  # fmt: skip
    name = draw(st.sampled_from(("Springfield", "Ville-sur-Test", "テスト市", "مدينة")))
    place: dict[str, Any] = {
        "id": place_id,
        "url": f"https://api.twitter.com/1.1/geo/id/{place_id}.json",
        "place_type": draw(st.sampled_from(PLACE_TYPES)),
        "name": name,
        "full_name": f"{name}, {country}",
        "country_code": code,
        "country": country,
        "bounding_box": {"type": "Polygon", "coordinates": [box]},
        "attributes": {},
    }
    if ctx.chance(0.1):
        place["attributes"] = {"street_address": "1 Test Street"}  # AS streetAddress
    if ctx.flag(0.1):
        place["attributes"] = {"street_address": "1 Test Street", "phone": "+1 555 0100"}
    if ctx.flag(0.1):
        place["contained_within"] = []  # standard v1.1
    if ctx.flag(0.1):
        place["id"] = "0123456789abcdef" if place_id != "0123456789abcdef" else "fedcba9876543210"
    if ctx.flag(0.05):
        del place["attributes"]
    return place


def _poll(ctx: _Ctx) -> dict[str, Any]:
    draw = ctx.draw
    n = draw(st.integers(2, 4))
    return {
        "options": [{"position": i + 1, "text": draw(st.sampled_from(WORDS))} for i in range(n)],
        "end_datetime": native_time(draw(moments)),
        "duration_minutes": draw(poll_durations),
    }


def _edits(ctx: _Ctx, id_str: str) -> dict[str, Any]:
    draw = ctx.draw
    edited = ctx.chance(0.3)
    initial = ctx.new_id() if edited else id_str
    history = [initial, id_str] if edited else [id_str]
    controls: dict[str, Any] = {
        "edits_remaining": draw(st.integers(0, 5)),
        "is_edit_eligible": draw(st.booleans()),
        "editable_until_ms": draw(st.integers(1_662_000_000_000, 1_704_000_000_000)),
    }
    if edited:
        controls["edit_tweet_ids"] = history
    return {"edit_history": {"initial_tweet_id": initial, "edit_tweet_ids": history},
            "edit_controls": controls, "editable": draw(st.booleans())}  # fmt: skip


def _post(ctx: _Ctx, kind: str, *, top: bool) -> dict[str, Any]:
    """One EN post of ``kind``; embedded posts are built by recursion."""
    draw = ctx.draw
    author = _user(ctx, top=top)
    id_str = ctx.new_id()
    cast = [_user(ctx, top=False) for _ in range(draw(st.integers(0, 2)))]
    p: dict[str, Any] = {"created_at": native_time(draw(moments)), "id": int(id_str), "id_str": id_str}
    if kind == "retweet":
        orig_kind = draw(st.sampled_from(("original", "reply", "self_reply", "quote", "reply_quote")))
        original = _post(ctx, orig_kind, top=False)
        _retweet_text(ctx, p, original)
    else:
        original = None
        replied: dict[str, Any] | None = None
        lead: list[dict[str, Any]] = []
        if kind in ("reply", "reply_quote"):
            replied = _user(ctx, top=False)
            if not ctx.flag(0.2):  # else: replied-to author not mentioned (in_reply_to_user_id lost)
                lead = [replied, *cast[: draw(st.integers(0, len(cast)))]]
        elif kind == "self_reply":
            replied = author
        quoted = None
        if kind in ("quote", "reply_quote"):
            quoted = _post(ctx, draw(st.sampled_from(("original", "reply", "self_reply"))), top=False)
        long = ctx.chance(0.25)
        body = _body(
            ctx,
            author=author,
            post_id=id_str,
            lead=lead,
            cast=cast,
            quote_link=(quoted["user"]["screen_name"], quoted["id_str"]) if quoted and ctx.chance(0.5) else None,
            long=long,
        )
        _text_fields(ctx, p, body, long, id_str)
        if replied is not None:
            p["in_reply_to_status_id"] = int(status := ctx.new_id())
            p["in_reply_to_status_id_str"] = status
            p["in_reply_to_user_id"] = int(replied["id_str"])
            p["in_reply_to_user_id_str"] = replied["id_str"]
            p["in_reply_to_screen_name"] = replied["screen_name"]
        if quoted is not None:
            p["quoted_status_id"] = int(quoted["id_str"])
            p["quoted_status_id_str"] = quoted["id_str"]
            p["quoted_status"] = quoted
            if ctx.flag(0.5):
                p["quoted_status_permalink"] = {
                    "url": "https://t.co/" + "q" * 10,
                    "expanded": f"https://twitter.com/{quoted['user']['screen_name']}/status/{quoted['id_str']}",
                    "display": "twitter.com/…",
                }
        elif not top and ctx.flag(0.2):
            # a quote of a quote: real feeds embed one level only, the inner one is id-only
            p["is_quote_status"] = True
            p["quoted_status_id"] = int(inner := ctx.new_id())
            p["quoted_status_id_str"] = inner
    if ctx.chance(0.9):
        name, link = draw(st.sampled_from(CLIENTS))
        p["source"] = f'<a href="{link}" rel="nofollow">{name}</a>' if ctx.chance(0.9) else name
    p["user"] = author
    for key in ("in_reply_to_status_id", "in_reply_to_status_id_str", "in_reply_to_user_id",
                "in_reply_to_user_id_str", "in_reply_to_screen_name"):  # fmt: skip
        p.setdefault(key, None)
    _geo(ctx, p, retweet=kind == "retweet")
    if original is not None:
        p["retweeted_status"] = original
        if "quoted_status" in original:  # a Retweet of a quote: copied at the top level
            p["quoted_status_id"] = original["quoted_status_id"]
            p["quoted_status_id_str"] = original["quoted_status_id_str"]
            p["quoted_status"] = copy.deepcopy(original["quoted_status"])
    p.setdefault("is_quote_status", "quoted_status" in p)
    p["truncated"] = "extended_tweet" in p
    if ctx.chance(0.9):
        p["favorite_count"] = draw(favorite_counts)
    if top and ctx.chance(0.9):
        p["retweet_count"] = draw(st.integers(0, 10**6))
        if original is not None:
            original["retweet_count"] = p["retweet_count"]  # a Retweet carries its original's count
            if ctx.flag(0.3):
                p["retweet_count"] = 0  # as stream captures give it: AS keeps the original's
    if "entities" in p and ctx.chance(0.1):
        p["entities"]["trends"] = []  # 2013-2014 feeds
    elif kind == "original" and not {"extended_tweet", "extended_entities"} & p.keys() and ctx.chance(0.05):
        del p["entities"]  # early 2011: no entities at all
    if ctx.chance(0.8):
        p["filter_level"] = draw(st.sampled_from(("low", "low", "none", "medium")))
    if ctx.chance(0.9):
        p["lang"] = draw(post_langs)
    if top and ctx.chance(0.4):
        p["matching_rules"] = _rules(ctx)
    if ctx.chance(0.2):
        p.update(_edits(ctx, id_str))
    _lossy_post_fields(ctx, p, top=top)
    return p


def _retweet_text(ctx: _Ctx, p: dict[str, Any], original: dict[str, Any]) -> None:
    """``RT @name: …`` with the mention at [3, 4 + len(name)] and the original's entities shifted."""
    name = original["user"]["screen_name"]
    head = f"RT @{name}: "
    ext = original.get("extended_tweet")
    full = ext["full_text"] if ext else original["text"]
    ents = ext["entities"] if ext else original.get("entities", {})
    text = head + full
    limit = len(text)
    if len(text) > 140:
        text = text[:139] + "…"
        limit = 139
    entities: dict[str, Any] = {
        key: _shift(ents.get(key, []), len(head), limit) for key in ("hashtags", "symbols", "urls")
    }
    entities["user_mentions"] = [
        _mention(original["user"], (3, 4 + len(name))),
        *_shift(ents.get("user_mentions", []), len(head), limit),
    ]
    media = (ext or original).get("extended_entities", {}).get("media")
    if media and media[0]["indices"][1] + len(head) <= limit:
        moved = _shift(media, len(head), limit)
        for item in moved:
            item.update(source_status_id=int(original["id_str"]), source_status_id_str=original["id_str"],
                        source_user_id=int(original["user"]["id_str"]),
                        source_user_id_str=original["user"]["id_str"])  # fmt: skip
        entities["media"] = [_thumbnail(moved[0])]
        p["extended_entities"] = {"media": moved}
    p["text"] = text
    p["entities"] = {k: entities[k] for k in ("hashtags", "symbols", "user_mentions", "urls", "media")
                     if k in entities}  # fmt: skip
    for key in ("in_reply_to_status_id", "in_reply_to_status_id_str", "in_reply_to_user_id",
                "in_reply_to_user_id_str", "in_reply_to_screen_name"):  # fmt: skip
        p[key] = None


def _put_entities(target: dict[str, Any], body: _Body, poll: dict[str, Any] | None) -> None:
    """The body's entities, media and poll, as a post (or its extended_tweet) carries them."""
    target["entities"] = body.entities
    if body.media:
        target["entities"]["media"] = [_thumbnail(body.media[0])]
        target["extended_entities"] = {"media": body.media}
    if poll:
        target["entities"]["polls"] = [poll]


def _text_fields(ctx: _Ctx, p: dict[str, Any], body: _Body, long: bool, id_str: str) -> None:
    draw = ctx.draw
    with_range = ctx.chance(0.6)
    poll = _poll(ctx) if ctx.flag(0.2) else None
    if not long:
        p["text"] = body.text
        if with_range:
            p["display_text_range"] = list(body.display_range)
        _put_entities(p, body, poll)
        return
    # A long post: "text" is the start of the full text, "…", and a link to the whole post.
    keep = draw(st.integers(min(body.display_range[0], 100), 110))
    link = ctx.tco()
    head = body.text[:keep] + "…"
    text = head + " " + link
    p["text"] = text
    if with_range:
        p["display_text_range"] = [min(body.display_range[0], keep), len(head)]
    p["entities"] = _cut_entities(body.entities, keep)
    p["entities"].setdefault("urls", []).append(
        _url_entity(ctx, link, f"https://twitter.com/i/web/status/{id_str}", (len(head) + 1, len(text)))
    )
    ext: dict[str, Any] = {"full_text": body.text}
    if with_range or body.media or ctx.chance(0.5):
        ext["display_text_range"] = list(body.display_range)
    _put_entities(ext, body, poll)
    if poll and ctx.chance(0.5):
        p["entities"]["polls"] = [copy.deepcopy(poll)]
    p["extended_tweet"] = ext


def _geo(ctx: _Ctx, p: dict[str, Any], *, retweet: bool) -> None:
    draw = ctx.draw
    p["geo"] = p["coordinates"] = p["place"] = None
    if retweet:
        return
    mode = draw(st.sampled_from(["none", "none", "point", "place"]))
    if mode == "point":
        la, lo = draw(coordinate_lat), draw(coordinate_long)
        p["geo"] = {"type": "Point", "coordinates": [la, lo]}
        p["coordinates"] = {"type": "Point", "coordinates": [lo, la]}
        if ctx.flag(0.1):
            p["coordinates"] = {"type": "Point", "coordinates": [la, lo]}  # not the mirror
        p["place"] = _place(ctx)
    elif mode == "place":
        p["place"] = _place(ctx)


def _rules(ctx: _Ctx) -> list[dict[str, Any]]:
    draw = ctx.draw
    rules = []
    for _ in range(draw(st.integers(1, 3))):
        tag = draw(rule_tags)
        if ctx.chance(0.2):
            rules.append({"tag": tag})  # older feeds
        elif ctx.chance(0.2):
            rules.append({"value": draw(st.sampled_from(("#xformat OR café", "lang:ar مرحبا"))), "tag": tag})  # 1.0
        else:
            rule_id = draw(ids)
            rules.append({"tag": tag, "id": rule_id, "id_str": str(rule_id)})
    return rules


def _lossy_post_fields(ctx: _Ctx, p: dict[str, Any], *, top: bool) -> None:
    """What real EN feeds carry that AS cannot (each a declared loss)."""
    draw = ctx.draw
    if ctx.flag(0.6):
        p["contributors"] = None
    if ctx.flag(0.6):
        p["quote_count"] = draw(st.integers(0, 1000))
        p["reply_count"] = draw(st.integers(0, 1000))
    if not top and ctx.flag(0.5):
        p["retweet_count"] = draw(st.integers(0, 1000))
    if ctx.flag(0.5):
        p["favorited"] = False
        p["retweeted"] = False
    if ctx.flag(0.3):
        p["possibly_sensitive"] = draw(st.booleans())
        if ctx.chance(0.5):
            p["possibly_sensitive_appealable"] = False
    if top and ctx.flag(0.5):
        p["timestamp_ms"] = str(draw(st.integers(1_142_899_200_000, 1_704_067_199_999)))
    if ctx.flag(0.05):
        p["withheld_in_countries"] = ["XY"]
    if ctx.flag(0.05):
        p["scopes"] = {"followers": False}
    if not top and ctx.flag(0.2):
        p["matching_rules"] = [{"tag": "embedded"}]
    if ctx.flag(0.1):
        p["id"] = float(p["id"])  # JavaScript-mangled
    if ctx.flag(0.05):
        del p[draw(st.sampled_from(["id", "geo", "coordinates", "place", "in_reply_to_screen_name"]))]


@st.composite
def native_posts(draw: Any, kind: str | None = None, clean: bool | None = None) -> Sample:
    """An EN post of ``kind`` (any kind by default); ``clean`` forces lossless content."""
    lossy = not clean if clean is not None else draw(st.booleans())
    ctx = _Ctx(draw, lossy)
    kind = kind or draw(st.sampled_from(POST_KINDS))
    post = _post(ctx, kind, top=True)
    if ctx.flag(0.1):
        _to_extended_mode(post)
        kind += " (extended mode)"
    return Sample(post, "native", clean=not lossy, notes=(kind,))


def _to_extended_mode(p: dict[str, Any]) -> None:
    """The post as standard v1.1 gives it in extended mode: the whole text in full_text, no text."""
    text = p.pop("text")
    ext = p.pop("extended_tweet", None)
    if ext is None:
        p["full_text"] = text
    else:
        p["full_text"] = ext["full_text"]
        p["truncated"] = False
        for key in ("entities", "extended_entities", "display_text_range"):
            p.pop(key, None)
            if key in ext:
                p[key] = ext[key]
    for key in ("retweeted_status", "quoted_status"):
        if key in p:
            _to_extended_mode(p[key])


@st.composite
def native_deletes(draw: Any) -> Sample:
    status_id, user_id = draw(ids), draw(ids)
    millis = draw(st.integers(1_142_899_200_000, 1_704_067_199_999))
    # JavaScript tooling wrote the ids as floats
    mangled = draw(st.integers(0, 9)) == 0
    number = float if mangled else int
    status: dict[str, Any] = {"id": number(status_id), "id_str": str(status_id), "user_id": number(user_id),
                              "user_id_str": str(user_id)}  # fmt: skip
    body: dict[str, Any] = {"status": status, "timestamp_ms": str(millis)}
    form = draw(st.sampled_from(["stream", "stream", "untimed", "anonymous"]))
    if form != "stream":
        del body["timestamp_ms"]  # notices of the early streams have no time
    if form == "anonymous":
        del status["user_id"], status["user_id_str"]  # from an AS deletion that named no actor
    return Sample({"delete": body}, "native", clean=not mangled, kind="delete", notes=(form,))


# --- Activity Streams -------------------------------------------------------------------------


def canonical_activity(sample: Sample, domain: str = "twitter.com") -> Sample:
    """The converter's AS form of an EN sample."""
    out = to_activity(sample.data, domain=domain).to_dict()
    return Sample(out, "activity", clean=sample.clean, kind=sample.kind, domain=domain, notes=sample.notes)


def _activities(activity: dict[str, Any]) -> list[dict[str, Any]]:
    """The activity and its embedded ones."""
    found = [activity]
    if isinstance(activity.get("object"), dict) and activity["object"].get("objectType") == "activity":
        found += _activities(activity["object"])
    if "twitter_quoted_status" in activity:
        found += _activities(activity["twitter_quoted_status"])
    return found


def _to_x_domain(activity: dict[str, Any]) -> None:
    """Every IRI and derived link as the dictionary's re-branded examples spell them."""
    for a in _activities(activity):
        for holder, key in ((a, "id"), (a, "link"), (a.get("object", {}), "id"), (a.get("object", {}), "link"),
                            (a["actor"], "id"), (a["actor"], "link"), (a.get("inReplyTo", {}), "link")):  # fmt: skip
            if isinstance(holder.get(key), str):
                holder[key] = holder[key].replace("twitter.com", "x.com")
        if "provider" in a:
            a["provider"] = {"objectType": "service", "displayName": "X", "link": "http://www.x.com"}


VARIATIONS = (
    "actor_ms", "utc_offset_absent", "protected_present", "more_links", "other_rel", "no_language",
    "two_languages", "null_languages", "dictionary_country", "unmatched_gnip_url", "x_domain", "no_provider",
    "no_links", "bare_note", "location_null", "zone_times", "tag_object_id", "numeric_utc_offset",
    "no_actor_id", "no_entities", "gnip_language", "empty_gnip_url", "root_quote", "street_null",
    "embedded_retweet_count",
)  # fmt: skip
#: Variations that are real shapes the native form carries exactly: the sample stays clean.
EXACT_VARIATIONS = frozenset({"x_domain", "no_language", "no_actor_id"})


@st.composite
def activities(draw: Any, clean: bool | None = None, varied: bool | None = None) -> Sample:
    """An AS post: the canonical form of an EN post, maybe varied the ways real AS feeds vary.

    A varied record is not ``clean``: each variation is a declared loss of AS -> EN, except those
    that native carries exactly (``EXACT_VARIATIONS``; x.com IRIs need the domain passed back).
    """
    base = draw(native_posts(clean=clean))
    if varied is None:
        varied = draw(st.booleans())
    chosen = draw(st.sets(st.sampled_from(VARIATIONS), min_size=1, max_size=4)) if varied else set()
    domain = "x.com" if "x_domain" in chosen else "twitter.com"
    sample = canonical_activity(base)
    a = sample.data
    acts = _activities(a)
    target = draw(st.sampled_from(acts))
    actor = target["actor"]
    if "actor_ms" in chosen and "postedTime" in actor:
        actor["postedTime"] = actor["postedTime"][:-5] + f".{draw(st.integers(1, 999)):03d}Z"
    if "utc_offset_absent" in chosen:
        actor.pop("utcOffset", None)
    if "protected_present" in chosen:
        actor["protected"] = False  # the dictionary lists it; real feeds never carry it
    if "more_links" in chosen:
        actor["links"].append({"href": draw(expanded_urls), "rel": "me"})
    if "other_rel" in chosen:
        actor["links"][0]["rel"] = "related"
    if "no_links" in chosen:
        actor["links"] = []
    if "no_language" in chosen:
        actor["languages"] = []
    if "two_languages" in chosen:
        actor["languages"] = ["en", "fr"]
    if "null_languages" in chosen:
        actor["languages"] = None
    if "location_null" in chosen:
        actor["location"] = None  # some 2016 feeds
    if "numeric_utc_offset" in chosen and isinstance(actor.get("utcOffset"), str):
        actor["utcOffset"] = int(actor["utcOffset"])  # early 2011
    if "no_actor_id" in chosen:
        del actor["id"]  # early 2011
    if "dictionary_country" in chosen:
        for act in acts:
            loc = act.get("location")
            if loc:
                if "twitter_country_code" in loc:
                    loc["countryCode"] = loc.pop("twitter_country_code")
                if "country_code" in loc:
                    loc["country"] = loc.pop("country_code")
    if "unmatched_gnip_url" in chosen:
        a.setdefault("gnip", {}).setdefault("urls", []).append(
            {"url": "https://t.co/_unmatched", "expanded_url": draw(expanded_urls), "expanded_status": 200}
        )
    if "x_domain" in chosen:
        _to_x_domain(a)
    if "bare_note" in chosen and target["object"].get("objectType") == "note":
        del target["object"][draw(st.sampled_from(["summary", "link", "postedTime"]))]
    if "zone_times" in chosen:  # early 2011: "+00:00", whole seconds
        for holder in (target, target["object"], actor):
            if "postedTime" in holder:
                holder["postedTime"] = holder["postedTime"][:19] + "+00:00"
    if "tag_object_id" in chosen and target["object"].get("objectType") == "note":
        target["object"]["id"] = target["object"]["id"].replace("object:", "tag:", 1)  # early 2011
    if "no_entities" in chosen:
        target.pop("twitter_entities", None)  # early 2011
    if "gnip_language" in chosen:
        a.setdefault("gnip", {})["language"] = {"value": draw(st.sampled_from(LANGS))}
    if "empty_gnip_url" in chosen:
        a.setdefault("gnip", {}).setdefault("urls", []).append({})  # some 2016 feeds
    if "root_quote" in chosen and "twitter_quoted_status" in a["object"]:
        a["twitter_quoted_status"] = a["object"].pop("twitter_quoted_status")  # X's 2020 example
    if "street_null" in chosen and "location" in target:
        target["location"]["streetAddress"] = None  # early 2011
    if "embedded_retweet_count" in chosen and target is not a:
        target["retweetCount"] = draw(st.integers(0, 1000))
    if "no_provider" in chosen:
        a.pop("provider")
    clean_now = sample.clean and not (chosen - EXACT_VARIATIONS)
    return Sample(a, "activity", clean=clean_now, domain=domain, notes=(*base.notes, *sorted(chosen)))


@st.composite
def activity_deletes(draw: Any) -> Sample:
    """The dictionary's form, or the stream forms: 2015 (``timestampMs``, bare references), early
    (bare references, no time), 2011-2013 (no actor, no time, ``"gnip": {}``)."""
    status_id, user_id = draw(ids), draw(ids)
    moment, millis = draw(moments), draw(st.integers(0, 999))
    domain = draw(st.sampled_from(("twitter.com", "x.com")))
    form = draw(st.sampled_from(["dictionary", "dictionary", "stream_2015", "untimed", "stream_2011"]))
    activity: dict[str, Any] = {
        "objectType": "activity",
        "verb": "delete",
        "postedTime": iso_time(moment, millis),
        "actor": {"objectType": "person", "id": f"id:{domain}:{user_id}"},
        "object": {"objectType": "activity", "id": f"tag:search.{domain},2005:{status_id}"},
        "provider": {"objectType": "service", "displayName": "Twitter" if domain == "twitter.com" else "X",
                     "link": f"http://www.{domain}"},
    }  # fmt: skip
    if form != "dictionary":
        for key in ("postedTime", "provider"):
            del activity[key]
        del activity["actor"]["objectType"], activity["object"]["objectType"]
    if form == "stream_2015":
        activity["timestampMs"] = iso_time(moment, millis)[:-1] + "+00:00"
    if form == "stream_2011":
        del activity["actor"]
        activity["gnip"] = {}
    clean = form in ("dictionary", "untimed")  # what the native form gives back exactly
    return Sample(activity, "activity", clean=clean, kind="delete", domain=domain, notes=(form,))


# --- compliance events -----------------------------------------------------------------------

COUNTRIES_WITHHELD = st.lists(st.sampled_from(("XY", "DE", "FR", "IN", "TR")), min_size=1, max_size=3, unique=True)
NATIVE_EVENTS = ("status_withheld", "drop", "undrop", "scrub_geo", *USER_EVENTS, "user_withheld")


@st.composite
def native_compliance_events(draw: Any) -> Sample:
    """A compliance event as the native compliance firehose gives it; ``drop`` and ``undrop`` have
    no Activity Streams form. Varied: ids that JavaScript mangled into floats, an account's
    ``id_str`` (feeds give the number alone), ``timestampMs`` as X's documentation spells it."""
    name = draw(st.sampled_from(NATIVE_EVENTS))
    status_id, user_id = draw(ids), draw(ids)
    millis = str(draw(st.integers(1_142_899_200_000, 1_704_067_199_999)))
    mangled = draw(st.integers(0, 9)) == 0

    def number(value: int) -> int | float:
        return float(value) if mangled else value

    clean = not mangled and name not in ("drop", "undrop")
    body: dict[str, Any]
    if name in ("status_withheld", "drop", "undrop"):
        body = {"status": {"id": number(status_id), "id_str": str(status_id), "user_id": number(user_id),
                           "user_id_str": str(user_id)}}  # fmt: skip
        if name == "status_withheld":
            body["withheld_in_countries"] = draw(COUNTRIES_WITHHELD)
        body["timestamp_ms"] = millis
    elif name == "scrub_geo":
        body = {"user_id": number(user_id), "up_to_status_id": number(status_id),
                "up_to_status_id_str": str(status_id), "user_id_str": str(user_id), "timestamp_ms": millis}  # fmt: skip
    elif name == "user_withheld":
        body = {"user": {"id": number(user_id), "id_str": str(user_id)},
                "withheld_in_countries": draw(COUNTRIES_WITHHELD)}  # fmt: skip
        if draw(st.booleans()):
            body["timestamp_ms"] = millis
        else:
            moment = datetime.fromtimestamp(int(millis) // 1000, UTC)
            body["timestampMs"] = iso_time(moment, int(millis) % 1000)[:-1] + "+00:00"
            clean = False
    else:
        body = {"id": number(user_id), "timestamp_ms": millis}
        if draw(st.integers(0, 9)) == 0:
            body["id_str"] = str(user_id)
            clean = False
    return Sample({name: body}, "native", clean=clean, kind="compliance", notes=(name,))


@st.composite
def activity_compliance_events(draw: Any) -> Sample:
    """An Activity Streams compliance event: the converter's form of a native one (which is the
    compliance stream's), maybe spelled otherwise (a ``Z`` time, objectType members, members the
    verb does not use)."""
    base = draw(native_compliance_events().filter(lambda s: next(iter(s.data)) not in ("drop", "undrop")))
    losses: list[str] = []
    domain = draw(st.sampled_from(("twitter.com", "x.com")))
    converted = compliance_event_to_activity(msgspec.convert(base.data, ComplianceNotice), Links(domain), losses)
    assert converted is not None
    activity = msgspec.to_builtins(converted)
    variation = draw(st.sampled_from(["none", "none", "none", "zulu", "object_type", "extra_member"]))
    if variation == "zulu" and "timestampMs" in activity:
        activity["timestampMs"] = activity["timestampMs"].replace("+00:00", "Z")
    elif variation == "object_type":
        if "actor" in activity:
            activity["actor"]["objectType"] = "person"
        else:
            activity["objectType"] = "activity"
    elif variation == "extra_member" and "withheld_in_countries" not in activity:
        activity["withheld_in_countries"] = draw(COUNTRIES_WITHHELD)
    clean = variation == "none" and not losses
    return Sample(activity, "activity", clean=clean, kind="compliance", domain=domain, notes=(*base.notes, variation))


# --- unknown fields ---------------------------------------------------------------------------

#: Members whose value is free-form in the models (not a struct): an extra key there is data.
FREE_FORM = frozenset(
    {"attributes", "call_to_actions", "source_user", "scopes", "profile_location", "xformat_lossless"}
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False,
    allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)  # fmt: skip


def object_paths(data: Any, path: str = "$") -> list[str]:
    """JSON paths (decoding.py's spelling) of every struct object in ``data``."""
    found: list[str] = []
    if isinstance(data, dict):
        found.append(path)
        for key, value in data.items():
            if key not in FREE_FORM:
                found += object_paths(value, f"{path}.{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += object_paths(value, f"{path}[{i}]")
    return found


def _node(data: Any, path: str) -> Any:
    node = data
    for step in path_steps(path):
        node = node[step]
    return node


def path_steps(path: str) -> list[str | int]:
    """``$.a.b[0].c`` -> ``["a", "b", 0, "c"]``."""
    steps: list[str | int] = []
    for chunk in path.removeprefix("$").split("."):
        if not chunk:
            continue
        name, *indexes = chunk.split("[")
        if name:
            steps.append(name)
        steps += [int(i.rstrip("]")) for i in indexes]
    return steps


@st.composite
def with_unknown_fields(draw: Any, samples: st.SearchStrategy[Sample]) -> tuple[Sample, list[str]]:
    """A sample with 1-3 fields neither format defines, added to objects anywhere in it."""
    sample = draw(samples)
    data = copy.deepcopy(sample.data)
    candidates = object_paths(data)
    added = []
    for i in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(candidates))
        name = f"xf_unknown_{i}_{draw(st.text(ALNUM, max_size=4))}"
        _node(data, where)[name] = draw(json_values)
        added.append(f"{where}.{name}")
    return Sample(data, sample.format, clean=False, kind=sample.kind, domain=sample.domain,
                  notes=sample.notes), added  # fmt: skip
