"""The researcher's accessors give the same answers whichever format a post came in."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

import xformat
from tests.samples import USER, native_post
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


def test_a_source_anchor_with_other_attributes_names_its_client_and_converts_back_exactly() -> None:
    source = '<a href="https://example.org/app" rel="nofollow noopener">Harbor App</a>'
    post = xformat.read(json.dumps(native_post(source=source)))
    assert post.generator == ("Harbor App", "https://example.org/app")
    activity = xformat.to_activity(post).to_dict()
    assert xformat.to_native(activity).to_dict()["source"] == source
