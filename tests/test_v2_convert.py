"""Decisions of the v2 converters that the golden cases do not show one by one."""

from __future__ import annotations

import copy
import json
from typing import Any

import msgspec

from tests.conftest import GOLDEN_V2, load_json
from xformat.convert.from_v2 import created_at_of_id, media_key_prefix, post_from_v2
from xformat.convert.to_v2 import post_to_v2, weighted_length
from xformat.models.common import UrlEntity
from xformat.models.native import Post
from xformat.models.v2 import V2Page, V2StreamLine
from xformat.v2pages import posts_of

ENCODER = msgspec.json.Encoder()


def from_v2(line: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    losses: list[str] = []
    (bundle,) = posts_of(msgspec.convert(line, V2StreamLine))
    return json.loads(ENCODER.encode(post_from_v2(bundle, losses))), losses


def to_v2(native: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    losses: list[str] = []
    return json.loads(ENCODER.encode(post_to_v2(msgspec.convert(native, Post), losses))), losses


def test_created_at_comes_from_the_snowflake_id() -> None:
    assert created_at_of_id("1635576760890298373") == "Tue Mar 14 09:41:02 +0000 2023"
    assert (
        created_at_of_id("1635576760890298373") == load_json(GOLDEN_V2 / "default_fields" / "native.json")["created_at"]
    )
    # the low 22 bits are not time; a sequential id of 2007 holds none: the snowflake epoch stands in
    assert created_at_of_id(str((1 << 22) - 1)) == "Thu Nov 04 01:42:54 +0000 2010"
    assert created_at_of_id("20") == "Thu Nov 04 01:42:54 +0000 2010"


def test_media_key_prefixes_follow_type_and_url() -> None:
    assert media_key_prefix("photo", "https://pbs.twimg.com/media/X.jpg") == "3"
    assert media_key_prefix("animated_gif", "https://pbs.twimg.com/tweet_video_thumb/X.jpg") == "16"
    assert media_key_prefix("video", "https://pbs.twimg.com/amplify_video_thumb/1/img/X.jpg") == "13"
    assert media_key_prefix("video", "https://pbs.twimg.com/ext_tw_video_thumb/1/pu/img/X.jpg") == "7"


def test_weighted_length_counts_as_x_limits_posts() -> None:
    assert weighted_length("a" * 280, []) == 280
    assert weighted_length("日" * 140, []) == 280  # CJK counts twice: 140 characters fill a post
    link = "https://t.co/abcdefghij"
    text = "see " + link
    assert weighted_length(text, [UrlEntity(url=link, indices=(4, len(text)))]) == 4 + 23


def test_weighted_length_at_the_edges_of_the_light_ranges() -> None:
    # 4351, 8192, 8208 and 8242 open or close a range counted 1; each neighbour outside counts 2.
    light = "".join(map(chr, (4351, 8192, 8205, 8208, 8223, 8242, 8247)))
    heavy = "".join(map(chr, (4352, 8191, 8206, 8207, 8224, 8241, 8248, 0x1F600)))
    assert weighted_length(light, []) == 7
    assert weighted_length(heavy, []) == 16
    assert weighted_length("日本 go", []) == 2 + 2 + 1 + 1 + 1


def test_weighted_length_counts_each_link_once_and_each_character_at_most_once() -> None:
    text = "x" * 30

    def links(*spans: tuple[int, int]) -> list[UrlEntity]:
        return [UrlEntity(url="https://t.co/a", indices=span) for span in spans]

    assert weighted_length(text, links((5, 15), (10, 20))) == 15 + 2 * 23  # overlapping: 15 characters covered
    assert weighted_length(text, links((10, 20), (5, 15))) == 15 + 2 * 23  # in any order
    assert weighted_length(text, links((25, 40))) == 25 + 23  # past the end: covers what there is
    assert weighted_length(text, links((3, 3))) == 30 + 23  # empty: a link, covering nothing
    assert weighted_length("日日日日", links((1, 3))) == 2 + 23 + 2
    assert weighted_length(text, [UrlEntity(url="https://t.co/a")]) == 30  # no offsets: not counted


def _long(full_text: str) -> dict[str, Any]:
    post: dict[str, Any] = load_json(GOLDEN_V2 / "edited_post" / "native.json")
    for key in ("edit_history", "edit_controls", "editable"):
        del post[key]
    post["text"] = full_text[:100] + "…"
    post["truncated"] = True
    post["entities"] = {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []}
    post["extended_tweet"] = {"full_text": full_text, "entities": copy.deepcopy(post["entities"])}
    return post


def test_a_long_post_becomes_a_note_only_above_280_weighted_characters() -> None:
    ascii_post = _long("word " * 50)  # 250 characters
    line, losses = to_v2(ascii_post)
    assert line["data"]["text"] == "word " * 50 and "note_tweet" not in line["data"] and losses == ["long_post_form"]
    cjk_post = _long("港口的灯笼" * 40)  # 200 characters, 400 weighted
    line, losses = to_v2(cjk_post)
    assert line["data"]["text"] == cjk_post["text"] and line["data"]["note_tweet"]["text"] == "港口的灯笼" * 40
    assert losses == []
    back, back_losses = from_v2(line)
    assert back == cjk_post and back_losses == []


def test_a_bounding_box_in_another_corner_order_is_a_declared_loss() -> None:
    native = load_json(GOLDEN_V2 / "place" / "native.json")
    (west, south), (_, north), (east, _), _ = native["place"]["bounding_box"]["coordinates"][0]
    doc_order = [[west, south], [east, south], [east, north], [west, north]]  # the v1.1 documentation's
    native["place"]["bounding_box"]["coordinates"] = [doc_order]
    line, losses = to_v2(native)
    assert losses == ["bbox_corners"]
    assert line["includes"]["places"][0]["geo"]["bbox"] == [west, south, east, north]
    back, _ = from_v2(line)
    assert back["place"]["bounding_box"] == load_json(GOLDEN_V2 / "place" / "native.json")["place"]["bounding_box"]


def test_objects_the_page_lacked_become_placeholders_and_come_back_as_ids() -> None:
    line = load_json(GOLDEN_V2 / "place" / "v2.json")
    del line["includes"]  # neither the author nor the place was included
    native, losses = from_v2(line)
    assert sorted(set(losses)) == ["author_not_included", "object_not_included"]
    assert native["user"]["id_str"] == line["data"]["author_id"] and native["user"]["screen_name"] == ""
    assert native["place"] == {
        "id": line["data"]["geo"]["place_id"],
        "url": f"https://api.twitter.com/1.1/geo/id/{line['data']['geo']['place_id']}.json",
        "full_name": "",
        "attributes": {},
    }
    again, again_losses = to_v2(native)
    assert again == {"data": line["data"]} and again_losses == []


def test_a_retweet_whose_original_is_missing_is_a_plain_post() -> None:
    line = load_json(GOLDEN_V2 / "retweet" / "v2.json")
    del line["includes"]["tweets"]
    native, losses = from_v2(line)
    assert "retweeted_status" not in native and native["text"].startswith("RT @")
    # the original's author, still included, is now only the mentioned account: its profile goes
    assert sorted(set(losses)) == ["post_not_included", "referenced_users"]


def test_a_reply_parent_in_the_includes_is_declared_lost() -> None:
    line = load_json(GOLDEN_V2 / "reply" / "v2.json")
    parent = load_json(GOLDEN_V2 / "edited_post" / "v2.json")["data"]
    line["includes"]["tweets"] = [{**parent, "id": line["data"]["referenced_tweets"][0]["id"]}]
    native, losses = from_v2(line)
    assert losses == ["included_not_embedded"]
    assert native == load_json(GOLDEN_V2 / "reply" / "native.json")


def test_edits_remaining_keeps_its_json_type_both_ways() -> None:
    for remaining in (4, "4"):
        line = load_json(GOLDEN_V2 / "edited_post" / "v2.json")
        line["data"]["edit_controls"]["edits_remaining"] = remaining
        native, _ = from_v2(line)
        assert native["edit_controls"]["edits_remaining"] == remaining
        assert to_v2(native)[0]["data"]["edit_controls"]["edits_remaining"] == remaining


def test_posts_of_a_page_by_one_author_get_users_of_their_own() -> None:
    # The author is converted once per page; each post must still get a user it alone holds,
    # with the author's losses (pinned_tweet_id has no native member) declared on each.
    author = {
        "id": "2244994945",
        "name": "Sample Author",
        "username": "sample_author",
        "pinned_tweet_id": "1635576760890298373",
        "url": "https://t.co/abcdef",
        "entities": {
            "url": {
                "urls": [{"start": 0, "end": 19, "url": "https://t.co/abcdef", "expanded_url": "https://example.com"}]
            }
        },
    }
    page = {
        "data": [{"id": f"163557676089029837{n}", "text": f"post {n}", "author_id": "2244994945"} for n in range(3)],
        "includes": {"users": [author]},
        "meta": {"result_count": 3},
    }
    losses: list[list[str]] = [[], [], []]
    posts = [
        post_from_v2(bundle, lost) for bundle, lost in zip(posts_of(msgspec.convert(page, V2Page)), losses, strict=True)
    ]
    assert all("user_v2_only" in lost for lost in losses)
    users = [post.user for post in posts]
    assert len({id(user) for user in users}) == 3
    for user in users[:2]:  # the first built, the second taken from what the first kept
        user.name = "changed"
        assert not isinstance(user.entities, msgspec.UnsetType)
        assert not isinstance(user.entities.url, msgspec.UnsetType)
        user.entities.url.urls[0].expanded_url = "https://changed.example"
    converted = json.loads(ENCODER.encode(users[2]))
    assert converted["name"] == "Sample Author"
    assert converted["url"] == "https://example.com"
    assert converted["entities"]["url"]["urls"][0]["expanded_url"] == "https://example.com"
