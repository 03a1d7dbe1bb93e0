"""The researcher's accessors give the same answers whichever format a post came in."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import xformat
from tests.conftest import GOLDEN
from tests.samples import USER, native_post
from xformat.accessors import native_moment
from xformat.errors import RecordError


def _long_retweet() -> dict[str, object]:
    full = "A long walk along the river with #bread and friends, " + "on and on " * 12 + "https://t.co/Lng1"
    start = full.index("https://t.co/Lng1")
    original = native_post(
        id=1050118621198921001,
        id_str="1050118621198921001",
        text=full[:117] + "…",
        truncated=True,
        extended_tweet={
            "full_text": full,
            "display_text_range": [0, len(full)],
            "entities": {
                "hashtags": [{"text": "bread", "indices": [33, 39]}],
                "symbols": [],
                "user_mentions": [],
                "urls": [{
                    "url": "https://t.co/Lng1", "expanded_url": "https://bit.example/x",
                    "display_url": "bit.example/x", "indices": [start, start + 17],
                    "unwound": {"url": "https://walks.example.org/river", "status": 200, "title": "River"},
                }],
            },
        },
        entities={"hashtags": [{"text": "bread", "indices": [33, 39]}], "symbols": [], "user_mentions": [], "urls": []},
    )  # fmt: skip
    retweeter = dict(USER, id=99001, id_str="99001", screen_name="harbor_lights_co", name="Harbor Lights")
    rt_text = "RT @mira_okafor_dev: " + str(original["text"])
    return native_post(
        id=1050118621198922002,
        id_str="1050118621198922002",
        text=rt_text,
        user=retweeter,
        retweeted_status=original,
        entities={
            "hashtags": [], "symbols": [], "urls": [],
            "user_mentions": [{"screen_name": "mira_okafor_dev", "name": "Mira Okafor", "id": 2244994945001,
                               "id_str": "2244994945001", "indices": [3, 19]}],
        },
    )  # fmt: skip


def _read_as(fmt: str, native: dict[str, object]) -> xformat.Post:
    """``native`` read back from ``fmt``: as it is, or converted to Activity Streams first."""
    return xformat.read(native if fmt == "native" else xformat.to_activity(native).to_dict())


@pytest.mark.parametrize("fmt", ["native", "activity"])
def test_plain_post_accessors(fmt: str) -> None:
    post = _read_as(fmt, native_post())
    assert post.full_text == "Bread day at the #riverside market $BRD"
    assert post.post_type == "original"
    assert post.hashtags == ["riverside"]
    assert post.cashtags == ["BRD"]
    assert post.created_at_datetime == datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)
    assert post.screen_name == "mira_okafor_dev"
    assert post.author_id == "2244994945001"
    assert post.generator == ("Harbor App", "https://example.org/app")
    assert post.geo_coordinates is None
    assert post.language == "en"


@pytest.mark.parametrize("fmt", ["native", "activity"])
def test_long_retweet_is_looked_through(fmt: str) -> None:
    post = _read_as(fmt, _long_retweet())
    assert post.post_type == "retweet"
    assert post.full_text.startswith("RT @mira_okafor_dev: A long walk")
    assert post.full_text.endswith("https://t.co/Lng1")
    assert post.hashtags == ["bread"]
    assert post.most_unwound_urls == ["https://walks.example.org/river"]
    assert post.retweeted_post is not None and post.retweeted_post.id_str == "1050118621198921001"
    assert post.screen_name == "harbor_lights_co"


def test_reply_quote_geo_and_poll() -> None:
    post = xformat.read(native_post(
        in_reply_to_status_id=11, in_reply_to_status_id_str="11", in_reply_to_screen_name="someone",
        geo={"type": "Point", "coordinates": [6.45, 3.39]},
        coordinates={"type": "Point", "coordinates": [3.39, 6.45]},
    ))  # fmt: skip
    assert post.post_type == "reply"
    assert post.geo_coordinates == (3.39, 6.45)
    poll = {"options": [{"position": 2, "text": "rye"}, {"position": 1, "text": "wheat"}],
            "end_datetime": "Thu Oct 11 20:19:24 +0000 2018", "duration_minutes": 1440}  # fmt: skip
    entities = dict(native_post()["entities"], polls=[poll])
    assert xformat.read(native_post(entities=entities)).poll_options == ["wheat", "rye"]


def test_read_refuses_what_is_not_a_post() -> None:
    with pytest.raises(RecordError, match="not a post"):
        xformat.read(b'{"info": {"message": "Replay Request Completed"}}')


def test_iter_posts_reads_both_formats_and_skips_non_posts(tmp_path: Path) -> None:
    lines = [
        json.dumps(native_post()),
        "",
        json.dumps(xformat.to_activity(_long_retweet()).to_dict()),
        '{"info": {"message": "Replay Request Completed", "activity_count": 2}}',
    ]
    path = tmp_path / "mixed.ndjson.gz"
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    posts = list(xformat.iter_posts(str(path)))
    assert [p.post_type for p in posts] == ["original", "retweet"]


def test_iter_posts_names_file_and_line_of_a_bad_record(tmp_path: Path) -> None:
    path = tmp_path / "bad.ndjson"
    path.write_text(json.dumps(native_post()) + "\n{not json\n")
    with pytest.raises(RecordError) as info:
        list(xformat.iter_posts(str(path)))
    assert (info.value.source, info.value.line) == (str(path), 2)
    assert len(list(xformat.iter_posts(str(path), errors="skip"))) == 1


# tweet_parser's getters. Expected values are read off the golden files by hand; each golden case
# holds the same post in both formats, so both must give them.
FORMATS = ["native", "activity"]
QUOTING = "This is the most useful thing I read all week. https://t.co/Qt2MiraPst"
QUOTED = (
    "Wrote up how we halved queue latency with one config flag (and three weeks of staring at graphs): "
    "https://t.co/Mq8LatEncy"
)
QUOTED_STATUS_LINK = "https://twitter.com/mira_okafor_dev/status/1430110491505592169"
QUOTED_LINK = "https://mira-okafor.example.org/posts/halving-queue-latency"


def golden_post(case: str, fmt: str) -> xformat.Post:
    return xformat.read((GOLDEN / case / f"{fmt}.json").read_bytes())


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("case", "tweet_type"),
    [("plain_post", "tweet"), ("reply", "tweet"), ("long_post", "tweet"), ("quote", "quote"),
     ("reply_that_quotes", "quote"), ("retweet", "retweet"), ("retweet_of_quote", "retweet")],
)  # fmt: skip
def test_tweet_type_is_post_type_in_tweet_parsers_words(case: str, tweet_type: str, fmt: str) -> None:
    assert golden_post(case, fmt).tweet_type == tweet_type


@pytest.mark.parametrize("fmt", FORMATS)
def test_texts_of_a_quote(fmt: str) -> None:
    post = golden_post("quote", fmt)
    assert post.user_entered_text == QUOTING
    assert post.quote_or_rt_text == QUOTED
    assert post.all_text == QUOTING + "\n" + QUOTED


@pytest.mark.parametrize("fmt", FORMATS)
def test_texts_of_a_retweet_of_a_quote(fmt: str) -> None:
    post = golden_post("retweet_of_quote", fmt)
    assert post.user_entered_text == ""  # the Retweeter wrote nothing
    assert post.quote_or_rt_text == QUOTING  # the Retweeted original's text, without "RT @name: "
    assert post.all_text == QUOTING


@pytest.mark.parametrize("fmt", FORMATS)
def test_texts_of_a_long_post_and_of_a_plain_one(fmt: str) -> None:
    long_post = golden_post("long_post", fmt)
    assert long_post.user_entered_text == (
        "2/ Write-up with graphs: https://t.co/Rq7BlogPst. The fix was boring: we moved the retry queue off the "
        "shared Redis instance and gave it its own connection pool. P99 latency dropped from 840ms to 310ms "
        "overnight, and the pager finally went quiet. #backend #latency"
    )
    assert long_post.quote_or_rt_text == ""
    assert long_post.all_text == long_post.user_entered_text
    plain = golden_post("plain_post", fmt)
    assert plain.all_text == (
        "Fresh batch of sea-glass lanterns cooling on the workbench. Shop opens at ten tomorrow, come say hi."
    )


def test_all_text_holds_poll_options_where_the_format_has_them() -> None:
    question = "Settle it once and for all: what goes in the cup first?"
    native = golden_post("poll", "native")
    assert native.all_text == question + "\nMilk\nTea\nHoney, obviously\nI only drink coffee"
    assert golden_post("poll", "activity").all_text == question  # Activity Streams has no polls


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("case", "links", "unrolled"),
    [
        ("plain_post", [], []),
        ("quote", ["https://t.co/Qt2MiraPst", "https://t.co/Mq8LatEncy"], [QUOTED_STATUS_LINK, QUOTED_LINK]),
        # A Retweet's links are the original's (not those of its truncated copy as well), then
        # those of the post the original quotes.
        ("retweet_of_quote", ["https://t.co/Qt2MiraPst", "https://t.co/Mq8LatEncy"], [QUOTED_STATUS_LINK, QUOTED_LINK]),
        ("retweet", ["https://t.co/Hl9Hours01"], ["https://harborlights.example.com/visit#hours"]),
        ("reply_that_quotes", ["https://t.co/Rq4DetourQ", "https://t.co/Fc7Lq2Wd9A", "https://t.co/Mp4AlderXy"],
         ["https://twitter.com/ferncliff_transit/status/1329832534602682292",
          "https://ferncliff-transit.example.org/alerts/line-4-alder-street-detour",  # unwound from bit.ly
          "https://ferncliff-transit.example.org/maps/line-4-detour.pdf"]),
        # A long post's links are those of its whole text: not the i/web/status link of the truncation.
        ("long_post", ["https://t.co/Rq7BlogPst"], ["https://mira-okafor.example.org/posts/retry-queue-own-pool"]),
    ],
)  # fmt: skip
def test_tweet_links_and_most_unrolled_urls(case: str, links: list[str], unrolled: list[str], fmt: str) -> None:
    post = golden_post(case, fmt)
    assert [link.url for link in post.tweet_links] == links
    assert post.most_unrolled_urls == unrolled


@pytest.mark.parametrize("fmt", FORMATS)
def test_most_unwound_urls_leaves_the_quoted_posts_links_out(fmt: str) -> None:
    assert golden_post("quote", fmt).most_unwound_urls == [QUOTED_STATUS_LINK]
    assert golden_post("quote", fmt).most_unrolled_urls == [QUOTED_STATUS_LINK, QUOTED_LINK]


@pytest.mark.parametrize("fmt", FORMATS)
def test_klout_getters(fmt: str) -> None:
    post = golden_post("klout", fmt)
    assert post.klout_score == 52
    assert post.klout_id == "49539595604221478"
    assert post.klout_profile == "http://klout.com/user/id/49539595604221478"
    influence = post.klout_influence_topics  # lowest score first, as tweet_parser sorts them
    assert [(t.name, t.score, t.id) for t in influence] == [
        ("Bicycle Repair", 0.31, "5504101713459513456"), ("Cycling", 0.62, "10000000000000016987")
    ]  # fmt: skip
    assert influence[1].url == "http://klout.com/topic/id/10000000000000016987"
    assert [(t.name, t.score) for t in post.klout_interest_topics] == [("Urban Planning", 0.44)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_klout_topics_of_2012_to_2016(fmt: str) -> None:
    """Those years' topics had neither a type nor a score: a list of their own, in the data's order."""
    post = golden_post("klout_topics_2014", fmt)
    assert [(t.klout_topic_id, t.name, t.url) for t in post.klout_topics] == [
        ("6853297384460917123", "Hiking", "http://klout.com/topic/id/6853297384460917123"),
        ("5082271830195306845", "Colorado", "http://klout.com/topic/id/5082271830195306845"),
    ]
    assert post.klout_influence_topics == [] and post.klout_interest_topics == [] and post.klout_score == 44
    assert golden_post("klout", fmt).klout_topics == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_klout_getters_without_klout(fmt: str) -> None:
    post = golden_post("plain_post", fmt)
    assert (post.klout_score, post.klout_id, post.klout_profile) == (None, None, None)
    assert post.klout_influence_topics == [] and post.klout_interest_topics == []


def test_klout_topics_without_a_score_come_last() -> None:
    klout = {"score": 40, "influence_topics": [{"id": "1", "name": "Kites"}, {"id": "2", "name": "Tides", "score": 0.9},
                                               {"id": "3", "name": "Sails", "score": 0.2}]}  # fmt: skip
    user = dict(USER, derived={"klout": klout})
    post = xformat.read(native_post(user=user))
    assert [t.name for t in post.klout_influence_topics] == ["Sails", "Tides", "Kites"]
    assert post.klout_id is None and post.klout_profile is None and post.klout_interest_topics == []


def test_a_source_anchor_with_other_attributes_names_its_client_and_converts_back_exactly() -> None:
    source = '<a href="https://example.org/app" rel="nofollow noopener">Harbor App</a>'
    post = xformat.read(json.dumps(native_post(source=source)))
    assert post.generator == ("Harbor App", "https://example.org/app")
    activity = xformat.to_activity(post).to_dict()
    assert xformat.to_native(activity).to_dict()["source"] == source


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("Wed Oct 10 20:19:24 +0000 2018", datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)),
        ("Thu Feb 29 00:00:00 +0000 2024", datetime(2024, 2, 29, 0, 0, 0, tzinfo=UTC)),
        ("Wed Oct 10 02:19:24 +0530 2018", datetime(2018, 10, 9, 20, 49, 24, tzinfo=UTC)),
        ("Sat Jan 01 00:30:00 -0100 2011", datetime(2011, 1, 1, 1, 30, 0, tzinfo=UTC)),
    ],
)
def test_native_times_are_read_as_utc(text: str, moment: datetime) -> None:
    read = native_moment(text)
    assert read == moment and read.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "text", ["Wed Feb 30 20:19:24 +0000 2018", "Wed Oct 10 24:19:24 +0000 2018", "Wed Oct 10 20:19:60 +0000 2018", ""]
)
def test_impossible_native_times_are_value_errors(text: str) -> None:
    with pytest.raises(ValueError):
        native_moment(text)
