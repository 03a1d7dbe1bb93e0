"""Benchmark ``xformat convert`` against bare msgspec and stdlib json on the same lines.

    python -m bench.bench_convert [--posts 100000] [--seed 7] [--repeat 1] [--layout LAYOUT] [--profile]

Generates (seeded, synthetic, in a temporary directory) a mixed Enriched Native archive:
originals, replies, quotes, Retweets, long posts, media, geo, deletions, an info line. The
Activity Streams archive is that one converted by xformat. Then, for each direction, measures
in the same run: ``xformat convert`` in one process and with ``--jobs 2`` (each in a
subprocess, with its peak RSS), bare msgspec untyped decode + encode of the same lines (the
ceiling) and stdlib ``json.loads`` + ``json.dumps``, and prints the ratios.

Parallel speed-up depends on the machine being idle: the run first measures what two processes
of pure Python arithmetic get over one (``cpu parallelism``), a rough guide to what ``--jobs 2``
can get (rough: conversion also shares caches and memory bandwidth).
``--profile`` adds a cProfile of one single-process conversion per direction. ``--layout``
orders each record's members as real archives may: ``feed`` as PowerTrack sends Enriched Native
(records start with ``created_at``; activities as xformat writes them, ``verb`` early), ``late``
with those members last (as in real activities whose ``actor`` comes first, or hand-edited
ones), ``sorted`` with every object's keys sorted (what many tools write), ``feed-2015`` and
``feed-2020`` with activities' members in real Activity Streams feeds' orders (``AS_ORDERS``;
Enriched Native records keep the ``feed`` order there).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec

from xformat.convert import Converter

_WORDS = (
    "river", "market", "bread", "harbor", "lantern", "orchard", "meadow", "copper", "signal", "quiet",
    "paper", "window", "garden", "bridge", "kettle", "forest", "maple", "tide", "ember", "willow",
    "compass", "atlas", "pepper", "cobalt", "ferry",
)  # fmt: skip
_TAGS = ("riverside", "breadday", "maps", "opendata", "harbor", "tides", "orchard")
_PLACES = (
    ("Lagos", "Lagos, Nigeria", "NG", "Nigeria", (3.1, 6.3, 3.7, 6.7)),
    ("Porto", "Porto, Portugal", "PT", "Portugal", (-8.7, 41.1, -8.5, 41.2)),
    ("Austin", "Austin, TX", "US", "United States", (-97.9, 30.1, -97.5, 30.5)),
)
_START = datetime(2018, 10, 1, tzinfo=UTC)


def _native_time(moment: datetime) -> str:
    return moment.strftime("%a %b %d %H:%M:%S +0000 %Y")


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words))


class Synth:
    """Hand-built Enriched Native records, in the shape real PowerTrack feeds deliver."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.next_id = 1_050_000_000_000_000_000
        self.users = [self._user(i) for i in range(500)]

    def _id(self) -> str:
        self.next_id += self.rng.randrange(1, 10**9)
        return str(self.next_id)

    def _user(self, i: int) -> dict[str, Any]:
        rng = self.rng
        uid = str(10**12 + i * 7919)
        image = f"https://pbs.twimg.com/profile_images/{uid}/avatar_normal.jpg"
        user: dict[str, Any] = {
            "id": int(uid),
            "id_str": uid,
            "name": f"Person {i}",
            "screen_name": f"person_{i}",
            "location": rng.choice([None, "Lagos", "Porto", "Austin, TX"]),
            "url": rng.choice([None, f"https://example.org/~{i}"]),
            "description": _text(rng, rng.randrange(3, 15)),
            "translator_type": "none",
            "protected": False,
            "verified": rng.random() < 0.05,
            "followers_count": rng.randrange(10**5),
            "friends_count": rng.randrange(5000),
            "listed_count": rng.randrange(100),
            "favourites_count": rng.randrange(10**4),
            "statuses_count": rng.randrange(10**5),
            "created_at": _native_time(_START - timedelta(days=rng.randrange(3000))),
            "utc_offset": None,
            "time_zone": None,
            "geo_enabled": True,
            "lang": "en",
            "contributors_enabled": False,
            "is_translator": False,
            "profile_background_color": "C0DEED",
            "profile_background_image_url": "http://abs.twimg.com/images/themes/theme1/bg.png",
            "profile_background_image_url_https": "https://abs.twimg.com/images/themes/theme1/bg.png",
            "profile_background_tile": False,
            "profile_link_color": "1DA1F2",
            "profile_sidebar_border_color": "C0DEED",
            "profile_sidebar_fill_color": "DDEEF6",
            "profile_text_color": "333333",
            "profile_use_background_image": True,
            "profile_image_url": "http://" + image[8:],
            "profile_image_url_https": image,
            "default_profile": True,
            "default_profile_image": False,
            "following": None,
            "follow_request_sent": None,
            "notifications": None,
        }
        if rng.random() < 0.3:
            user["derived"] = {
                "locations": [
                    {
                        "country": "Nigeria",
                        "country_code": "NG",
                        "locality": "Lagos",
                        "region": "Lagos",
                        "full_name": "Lagos, Lagos, Nigeria",
                        "geo": {"type": "point", "coordinates": [3.39, 6.45]},
                    }
                ]
            }
        return user

    def _entities(self, text: str, user: dict[str, Any], media: bool) -> tuple[str, dict[str, Any], Any]:
        """``text`` with a hashtag, maybe a mention and a URL appended, and its entities."""
        rng = self.rng
        entities: dict[str, Any] = {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []}
        tag = rng.choice(_TAGS)
        start = len(text) + 1
        text += f" #{tag}"
        entities["hashtags"].append({"text": tag, "indices": [start, start + len(tag) + 1]})
        if rng.random() < 0.4:
            other = rng.choice(self.users)
            start = len(text) + 1
            text += f" @{other['screen_name']}"
            entities["user_mentions"].append(
                {
                    "screen_name": other["screen_name"],
                    "name": other["name"],
                    "id": other["id"],
                    "id_str": other["id_str"],
                    "indices": [start, start + len(other["screen_name"]) + 1],
                }
            )
        if rng.random() < 0.35:
            short = f"https://t.co/{rng.randrange(16**8):08x}"
            start = len(text) + 1
            text += f" {short}"
            entities["urls"].append(
                {
                    "url": short,
                    "expanded_url": f"https://bit.ly/{rng.randrange(16**6):06x}",
                    "display_url": "bit.ly/…",
                    "indices": [start, start + len(short)],
                    "unwound": {
                        "url": f"https://example.org/articles/{rng.randrange(10**6)}",
                        "status": 200,
                        "title": _text(rng, 5),
                        "description": _text(rng, 12),
                    },
                }
            )
        extended = None
        if media:
            short = f"https://t.co/{rng.randrange(16**8):08x}"
            start = len(text) + 1
            text += f" {short}"
            mid = self._id()
            item = {
                "id": int(mid),
                "id_str": mid,
                "indices": [start, start + len(short)],
                "media_url": f"http://pbs.twimg.com/media/{mid}.jpg",
                "media_url_https": f"https://pbs.twimg.com/media/{mid}.jpg",
                "url": short,
                "display_url": "pic.twitter.com/abc",
                "expanded_url": f"https://twitter.com/{user['screen_name']}/status/{mid}/photo/1",
                "type": "photo",
                "sizes": {
                    "thumb": {"w": 150, "h": 150, "resize": "crop"},
                    "small": {"w": 680, "h": 453, "resize": "fit"},
                    "medium": {"w": 1200, "h": 800, "resize": "fit"},
                    "large": {"w": 2048, "h": 1365, "resize": "fit"},
                },
            }
            entities["media"] = [item]
            extended = {"media": [item]}
        return text, entities, extended

    def post(self, kind: str, moment: datetime, *, embedded: bool = False) -> dict[str, Any]:
        rng = self.rng
        user = rng.choice(self.users)
        pid = self._id()
        long = kind == "long"
        text, entities, extended_entities = self._entities(
            _text(rng, 40 if long else rng.randrange(4, 14)), user, media=rng.random() < 0.2
        )
        post: dict[str, Any] = {
            "created_at": _native_time(moment),
            "id": int(pid),
            "id_str": pid,
            "text": text[:140] if long else text,
            "source": '<a href="https://example.org/app" rel="nofollow">Harbor App</a>',
            "truncated": long,
            "in_reply_to_status_id": None,
            "in_reply_to_status_id_str": None,
            "in_reply_to_user_id": None,
            "in_reply_to_user_id_str": None,
            "in_reply_to_screen_name": None,
            "user": user,
            "geo": None,
            "coordinates": None,
            "place": None,
            "contributors": None,
            "is_quote_status": False,
            "quote_count": rng.randrange(20),
            "reply_count": rng.randrange(20),
            "retweet_count": rng.randrange(200),
            "favorite_count": rng.randrange(500),
            "entities": entities,
            "favorited": False,
            "retweeted": False,
            "filter_level": "low",
            "lang": "en",
        }
        if extended_entities:
            post["extended_entities"] = extended_entities
            post["possibly_sensitive"] = False
        if long:
            post["display_text_range"] = [0, 140]
            post["extended_tweet"] = {
                "full_text": text,
                "display_text_range": [0, len(text)],
                "entities": entities,
                **({"extended_entities": extended_entities} if extended_entities else {}),
            }
            post["entities"] = {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []}
        if kind == "reply":
            other = rng.choice(self.users)
            post["in_reply_to_status_id_str"] = self._id()
            post["in_reply_to_status_id"] = int(post["in_reply_to_status_id_str"])
            post["in_reply_to_screen_name"] = other["screen_name"]
            post["in_reply_to_user_id_str"] = None
            post["in_reply_to_user_id"] = None
        if kind == "geo":
            name, full, code, country, (w, s, e, n) = rng.choice(_PLACES)
            lat, lon = round(rng.uniform(s, n), 6), round(rng.uniform(w, e), 6)
            place_id = f"{rng.randrange(16**16):016x}"
            post["geo"] = {"type": "Point", "coordinates": [lat, lon]}
            post["coordinates"] = {"type": "Point", "coordinates": [lon, lat]}
            post["place"] = {
                "id": place_id,
                "url": f"https://api.twitter.com/1.1/geo/id/{place_id}.json",
                "place_type": "city",
                "name": name,
                "full_name": full,
                "country_code": code,
                "country": country,
                "bounding_box": {"type": "Polygon", "coordinates": [[[w, s], [w, n], [e, n], [e, s]]]},
                "attributes": {},
            }
        if kind == "quote":
            quoted = self.post(rng.choice(["original", "long"]), moment - timedelta(hours=3), embedded=True)
            post["is_quote_status"] = True
            post["quoted_status_id"] = quoted["id"]
            post["quoted_status_id_str"] = quoted["id_str"]
            post["quoted_status"] = quoted
            post["quoted_status_permalink"] = {
                "url": "https://t.co/quoted",
                "expanded": f"https://twitter.com/{quoted['user']['screen_name']}/status/{quoted['id_str']}",
                "display": "twitter.com/…",
            }
        if kind == "retweet":
            original = self.post(rng.choice(["original", "long", "geo"]), moment - timedelta(hours=1))
            original.pop("matching_rules", None)
            name = original["user"]["screen_name"]
            prefix = f"RT @{name}: "
            post["text"] = (prefix + original["text"])[:140]
            post["entities"] = {
                "hashtags": [],
                "symbols": [],
                "user_mentions": [
                    {
                        "screen_name": name,
                        "name": original["user"]["name"],
                        "id": original["user"]["id"],
                        "id_str": original["user"]["id_str"],
                        "indices": [3, 4 + len(name)],
                    }
                ],
                "urls": [],
            }
            for key in ("extended_tweet", "extended_entities", "display_text_range", "possibly_sensitive"):
                post.pop(key, None)
            post["truncated"] = False
            post["retweeted_status"] = original
        if not embedded:
            post["matching_rules"] = [{"tag": "bench", "id": 1, "id_str": "1"}]
        return post

    def delete(self, moment: datetime) -> dict[str, Any]:
        user = self.rng.choice(self.users)
        pid = self._id()
        return {
            "delete": {
                "status": {"id": int(pid), "id_str": pid, "user_id": user["id"], "user_id_str": user["id_str"]},
                "timestamp_ms": str(int(moment.timestamp() * 1000)),
            }
        }

    def records(self, count: int) -> Iterator[dict[str, Any]]:
        kinds = ["original"] * 30 + ["reply"] * 15 + ["quote"] * 10 + ["retweet"] * 25
        kinds += ["long"] * 8 + ["geo"] * 7 + ["delete"] * 5
        moment = _START
        for _ in range(count):
            moment += timedelta(seconds=self.rng.randrange(1, 30))
            kind = self.rng.choice(kinds)
            yield self.delete(moment) if kind == "delete" else self.post(kind, moment)


# Key orders of real Activity Streams feeds, by the object they order (``_AS_CONTEXTS`` says which
# object a member holds). Keys a template does not name keep their order, after those it names.
_ACTIVITY_2015 = (
    "id", "objectType", "actor", "verb", "postedTime", "generator", "provider", "link", "body", "long_object",
    "display_text_range", "object", "inReplyTo", "favoritesCount", "location", "geo", "twitter_entities",
    "twitter_extended_entities", "twitter_filter_level", "twitter_lang", "retweetCount", "gnip",
)  # fmt: skip
_ACTIVITY_2020 = (
    "id", "objectType", "verb", "postedTime", "generator", "provider", "link", "body", "long_object",
    "display_text_range", "actor", "object", "inReplyTo", "favoritesCount", "location", "geo", "twitter_entities",
    "twitter_extended_entities", "twitter_lang", "retweetCount", "gnip", "twitter_filter_level",
)  # fmt: skip
_ACTOR_2015 = (
    "objectType", "id", "link", "displayName", "postedTime", "image", "summary", "links", "friendsCount",
    "followersCount", "listedCount", "statusesCount", "twitterTimeZone", "verified", "utcOffset",
    "preferredUsername", "languages", "location", "favoritesCount",
)  # fmt: skip
_ACTOR_2020 = (
    "objectType", "id", "link", "displayName", "postedTime", "image", "summary", "friendsCount", "followersCount",
    "listedCount", "statusesCount", "twitterTimeZone", "verified", "utcOffset", "preferredUsername", "languages",
    "links", "location", "favoritesCount",
)  # fmt: skip
_AS_COMMON = {
    "note": ("objectType", "id", "summary", "link", "postedTime"),
    "gnip": ("matching_rules", "urls", "klout_score", "klout_profile", "language", "profileLocations"),
    "entities": ("hashtags", "urls", "user_mentions", "symbols", "media"),
    "location": (
        "objectType", "displayName", "name", "country_code", "twitter_country_code", "link", "geo",
        "twitter_place_type",
    ),
    "long_object": ("body", "display_text_range", "twitter_entities", "twitter_extended_entities"),
    "sizes": ("small", "thumb", "medium", "large"),
    "generator": ("displayName", "link"),
    "provider": ("objectType", "displayName", "link"),
}  # fmt: skip
AS_ORDERS: dict[str, dict[str, tuple[str, ...]]] = {
    "feed-2015": {"activity": _ACTIVITY_2015, "actor": _ACTOR_2015, **_AS_COMMON},
    "feed-2020": {"activity": _ACTIVITY_2020, "actor": _ACTOR_2020, **_AS_COMMON},
}
"""Member orders of Activity Streams records as real feeds deliver them: ``feed-2015`` as
Historical PowerTrack files of 2013-2016 (``actor`` second), ``feed-2020`` as the data
dictionary's examples (``actor`` after ``body``)."""
_AS_CONTEXTS = {
    "actor": "actor",
    "gnip": "gnip",
    "twitter_entities": "entities",
    "location": "location",
    "long_object": "long_object",
    "sizes": "sizes",
    "generator": "generator",
    "provider": "provider",
    "twitter_quoted_status": "activity",
}
LAYOUTS = ("feed", "late", "sorted", *AS_ORDERS)
"""Member orders the archives can be written in (see the module's doc)."""
_LATE = ("created_at", "id", "id_str", "verb", "objectType", "delete")  # what feeds put first
_SORTED = msgspec.json.Encoder(order="sorted")


def _ordered(value: Any, orders: dict[str, tuple[str, ...]], context: str | None) -> Any:
    if isinstance(value, list):
        return [_ordered(item, orders, context) for item in value]
    if not isinstance(value, dict):
        return value
    if context == "note" and value.get("objectType") == "activity":  # a Retweet's object is an activity
        context = "activity"
    first = orders.get(context or "", ())
    keys = [key for key in first if key in value] + [key for key in value if key not in first]
    out = {}
    for key in keys:
        inner = _AS_CONTEXTS.get(key) or ("note" if key == "object" else None)
        out[key] = _ordered(value[key], orders, inner)
    return out


def relayout(line: bytes, layout: str) -> bytes:
    """``line`` (one record of either format) with its members in the order ``layout`` says."""
    if layout == "feed":
        return line
    record = msgspec.json.decode(line)
    if layout == "sorted":
        return _SORTED.encode(record)
    if layout == "late":
        moved = {key: record[key] for key in _LATE if key in record}
        return msgspec.json.encode({**{k: v for k, v in record.items() if k not in moved}, **moved})
    if "verb" not in record:
        return line  # an Activity Streams feed's order: Enriched Native records keep the feed order
    return msgspec.json.encode(_ordered(record, AS_ORDERS[layout], "activity"))


def write_archives(directory: Path, count: int, seed: int, layout: str = "feed") -> tuple[Path, Path]:
    """``native.ndjson`` (``count`` records, keep-alives, an info line) and its conversion, members
    in ``layout`` (``LAYOUTS``)."""
    native, activity = directory / "native.ndjson", directory / "activity.ndjson"
    encoder = msgspec.json.Encoder()
    converter = Converter("activity")
    with native.open("wb") as nf, activity.open("wb") as af:
        for i, record in enumerate(Synth(seed).records(count)):
            line = encoder.encode(record)
            nf.write(relayout(line, layout) + b"\n")
            output = converter.convert_raw(line, "native").output
            assert output is not None
            af.write(relayout(output, layout) + b"\n")
            if i % 1000 == 999:  # streams send keep-alives
                nf.write(b"\n")
                af.write(b"\n")
        sent = "2018-10-31T00:00:00+00:00"
        info = {"info": {"message": "Replay Request Completed", "sent": sent, "activity_count": count}}
        nf.write(encoder.encode(info) + b"\n")
        af.write(encoder.encode(info) + b"\n")
    return native, activity


def write_v2(native: Path) -> tuple[Path, int]:
    """``v2.ndjson``: the posts of ``native`` as X API v2 stream lines (``data`` and ``includes``),
    converted by xformat as the Activity Streams archive is, and how many (deletions have no v2
    form)."""
    v2 = native.with_name("v2.ndjson")
    converter = Converter("v2")
    count = 0
    with native.open("rb") as src, v2.open("wb") as dst:
        for line in src:
            if not line.strip():
                continue
            output = converter.convert_raw(line.rstrip(b"\n"), "native").output
            if output is not None and b'"data"' in output:
                dst.write(output + b"\n")
                count += 1
    return v2, count


def _posts_of(data: Any) -> int:
    """How many posts a page's ``data`` holds: a list of them, one (a lookup), or none."""
    return len(data) if isinstance(data, list) else int(isinstance(data, dict))


def real_v2_pages(directory: Path, posts: int) -> tuple[Path, int] | None:
    """``real-v2.ndjson``: passes over the real X API v2 pages beside the repository (twarc2 and
    tweepy captures, up to 100 posts a line) until about ``posts`` posts; None without them. Real
    records are read in place and written only to the temporary directory."""
    real = _ROOT.parent / "shared" / "realdata" / "v2"
    lines = (
        [line for path in sorted(real.glob("*pages*.jsonl")) for line in path.read_bytes().splitlines() if line.strip()]
        if real.is_dir()
        else []
    )
    sizes = [_posts_of(msgspec.json.decode(line).get("data")) for line in lines]
    if not sum(sizes):
        return None
    out, count = directory / "real-v2.ndjson", 0
    with out.open("wb") as dst:
        while count < posts:
            for line, size in zip(lines, sizes, strict=True):
                dst.write(line + b"\n")
                count += size
    return out, count


def _time_lines(path: Path, work: Callable[[bytes], bytes]) -> float:
    """Seconds to read ``path`` line by line and write ``work(line)`` to a file, as xformat does."""
    out = path.with_suffix(".baseline")
    start = time.perf_counter()
    with path.open("rb") as src, out.open("wb") as dst:
        for line in src:
            if line.strip():
                dst.write(work(line) + b"\n")
    elapsed = time.perf_counter() - start
    out.unlink()
    return elapsed


def _msgspec_roundtrip(line: bytes) -> bytes:
    return msgspec.json.encode(msgspec.json.decode(line))


def _stdlib_roundtrip(line: bytes) -> bytes:
    return json.dumps(json.loads(line), ensure_ascii=False).encode()


# Runs one command and prints its wall time and its peak RSS (the largest process of the tree:
# the converter, or one of its workers) in KiB, as JSON on the last line.
_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True)
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


_ROOT = Path(__file__).resolve().parent.parent


def _run_cli(args: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of ``xformat convert ARGS`` in a fresh process."""
    cmd = [sys.executable, "-c", _MEASURE, sys.executable, "-m", "xformat", "convert", "--quiet", *args]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.exit(f"xformat convert failed ({done.returncode}): {done.stderr.strip()}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return float(result["seconds"]), result["rss_kib"] / 1024


def bench_direction(source: Path, target: str, records: int, repeat: int) -> dict[str, float]:
    out = source.with_name(f"out-{target}.ndjson")
    timings: dict[str, float] = {}

    def best(name: str, run: Callable[[], float]) -> None:
        timings[name] = min(run() for _ in range(repeat))

    best("msgspec", lambda: _time_lines(source, _msgspec_roundtrip))
    best("stdlib", lambda: _time_lines(source, _stdlib_roundtrip))
    rss: dict[str, float] = {}
    for jobs in (1, 2):
        runs = [_run_cli(["--to", target, "--jobs", str(jobs), str(source), "-o", str(out)]) for _ in range(repeat)]
        timings[f"jobs{jobs}"] = min(seconds for seconds, _ in runs)
        rss[f"jobs{jobs}"] = max(peak for _, peak in runs)
    out.unlink()
    rate = records / timings["jobs1"]
    print(f"\n{source.name} -> {target}: {records:,} records, {source.stat().st_size / 2**20:.1f} MiB")
    for name in ("msgspec", "stdlib", "jobs1", "jobs2"):
        print(f"  {name:8} {timings[name]:7.2f} s  {records / timings[name]:>9,.0f} records/s")
    print(f"  xformat (1 process) vs bare msgspec: {timings['msgspec'] / timings['jobs1']:.2f}x (target >= 0.5x)")
    print(f"  xformat (1 process) vs stdlib json:  {timings['stdlib'] / timings['jobs1']:.2f}x (target >= 3x)")
    print(f"  --jobs 2 vs 1 process:               {timings['jobs1'] / timings['jobs2']:.2f}x (target >= 1.7x)")
    print(f"  peak RSS: 1 process {rss['jobs1']:.0f} MiB, --jobs 2 {rss['jobs2']:.0f} MiB (target < 150 MiB)")
    return {"rate": rate, **timings, **{f"rss_{k}": v for k, v in rss.items()}}


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def cpu_parallelism() -> float:
    """How much faster two processes of pure arithmetic finish than one doing both parts."""
    import multiprocessing

    work = [4_000_000] * 4
    start = time.perf_counter()
    for n in work:
        _burn(n)
    alone = time.perf_counter() - start
    with multiprocessing.Pool(2) as pool:
        start = time.perf_counter()
        pool.map(_burn, work)
        together = time.perf_counter() - start
    return alone / together


def profile(source: Path, target: str, top: int = 18) -> None:
    """cProfile of one single-process conversion, by own time."""
    from xformat.output import open_output
    from xformat.pipeline import Settings, run
    from xformat.records import Reader
    from xformat.rejects import Rejects

    profiler = cProfile.Profile()
    out = source.with_name("profile.ndjson")
    profiler.enable()
    run(Reader([str(source)]), Settings(target), open_output(str(out)), Rejects(None, None))  # type: ignore[arg-type]
    profiler.disable()
    out.unlink()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(top)
    print(f"\nprofile: {source.name} -> {target} (by own time)")
    print("\n".join(line for line in text.getvalue().splitlines()[6:] if line.strip()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=100_000, help="records to generate (default 100000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement; the best counts")
    parser.add_argument("--keep", type=Path, help="write the archives here instead of a temporary directory")
    parser.add_argument("--profile", action="store_true", help="also profile one conversion per direction")
    parser.add_argument("--layout", choices=LAYOUTS, default="feed", help="member order of the records")
    parser.add_argument(
        "--v2", action="store_true", help="also X API v2: native <-> v2 stream lines, and real v2 pages when present"
    )
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, msgspec {msgspec.__version__}, {os.cpu_count()} CPUs")
    print(f"load average {os.getloadavg()[0]:.2f}; cpu parallelism (2 processes vs 1): {cpu_parallelism():.2f}x")
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        native, activity = write_archives(directory, args.posts, args.seed, args.layout)
        took = time.perf_counter() - start
        print(f"generated {args.posts:,} records per format ({args.layout} layout) in {took:.1f} s")
        bench_direction(native, "activity", args.posts, args.repeat)
        bench_direction(activity, "native", args.posts, args.repeat)
        if args.v2:
            v2, posts = write_v2(native)
            bench_direction(native, "v2", args.posts, args.repeat)
            bench_direction(v2, "native", posts, args.repeat)
            real = real_v2_pages(directory, args.posts)
            if real is None:
                print("\nno real v2 pages beside the repository (../shared/realdata/v2): left out")
            else:
                bench_direction(real[0], "native", real[1], args.repeat)
        if args.profile:
            profile(native, "activity")
            profile(activity, "native")


if __name__ == "__main__":
    main()
