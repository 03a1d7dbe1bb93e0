"""``xformat convert --to v2 --v2-pages N`` of X API v2 input: each post re-paged with what it references.

The records below are synthetic (invented accounts, texts and ids) in the wire shapes of real
captures: string ids, a filtered-stream line whose rules have a numeric id and a null tag,
twarc2's ``__twarc`` (url, version, retrieved_at), ``edit_history_tweet_ids``, a ``twarc2
flatten`` line with its expansions inlined as twarc2 merges them. The expected pages are written
by hand from them: which post goes to which page with which of the record's objects.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.conftest import GOLDEN_V2, load_json
from xformat.cli import main
from xformat.registry import validator_for

# --- a filtered-stream line -------------------------------------------------------------------

CORIN = {
    "id": "1196781465318318081",
    "name": "Corin Vale",
    "username": "corinvale",
    "created_at": "2019-11-19T12:03:44.000Z",
    "description": "Ferry timetables and tide tables.",
    "location": "Port Ellery",
    "profile_image_url": "https://pbs.twimg.com/profile_images/synthetic-101/aBcDeFgH_normal.jpg",
    "protected": False,
    "public_metrics": {"followers_count": 412, "following_count": 180, "tweet_count": 9023, "listed_count": 7},
    "url": "",
    "verified": False,
}
ADA = {
    "id": "2851193017",
    "name": "Ada Birch",
    "username": "ada_birch",
    "created_at": "2014-10-10T09:15:00.000Z",
    "description": "",
    "profile_image_url": "https://pbs.twimg.com/profile_images/synthetic-102/xYzAbC12_normal.png",
    "protected": False,
    "public_metrics": {"followers_count": 88, "following_count": 95, "tweet_count": 1310, "listed_count": 0},
    "url": "",
    "verified": False,
}
STREAM_POST = {
    "author_id": "1196781465318318081",
    "conversation_id": "1635702468923035648",
    "created_at": "2023-03-14T17:40:28.000Z",
    "edit_history_tweet_ids": ["1635702468923035648"],
    "entities": {
        "mentions": [{"start": 0, "end": 10, "username": "ada_birch", "id": "2851193017"}],
        "hashtags": [{"start": 46, "end": 54, "tag": "ferries"}],
    },
    "id": "1635702468923035648",
    "lang": "en",
    "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 2, "quote_count": 0},
    "reply_settings": "everyone",
    "source": "Twitter Web App",
    "text": "@ada_birch the noon crossing is back on today #ferries",
}
STREAM_LINE = {
    "data": STREAM_POST,
    "includes": {"users": [CORIN, ADA]},
    "matching_rules": [{"id": 1635600000000000001, "tag": None}, {"id": "1635600000000000002", "tag": "ferry news"}],
}

# --- a twarc2 search page of three posts ------------------------------------------------------

MAREN = {
    "id": "1402317563926134785",
    "name": "Maren Holt",
    "username": "marenholt",
    "created_at": "2021-06-08T18:02:11.000Z",
    "profile_image_url": "https://pbs.twimg.com/profile_images/synthetic-103/QwErTy78_normal.jpg",
    "public_metrics": {"followers_count": 1503, "following_count": 344, "tweet_count": 2210, "listed_count": 12},
    "verified": False,
}
TOBIN = {
    "id": "98231554",
    "name": "Tobin Reyes",
    "username": "tobinreyes",
    "created_at": "2009-12-01T20:45:33.000Z",
    "profile_image_url": "https://pbs.twimg.com/profile_images/synthetic-104/LkJhGf90_normal.jpg",
    "public_metrics": {"followers_count": 77, "following_count": 301, "tweet_count": 4022, "listed_count": 1},
    "verified": False,
}
WREN = {
    "id": "3318907721",
    "name": "Wren Okafor",
    "username": "wrenokafor",
    "created_at": "2015-06-11T07:30:00.000Z",
    "profile_image_url": "https://pbs.twimg.com/profile_images/synthetic-105/MnBvCx34_normal.jpg",
    "public_metrics": {"followers_count": 9120, "following_count": 611, "tweet_count": 15230, "listed_count": 88},
    "verified": True,
}
PHOTO = {
    "media_key": "3_1531993299275436032",
    "type": "photo",
    "url": "https://pbs.twimg.com/media/FUKm2xYXwAAq3bX.jpg",
    "width": 2048,
    "height": 1365,
}
HARBOUR = {
    "full_name": "Port Ellery, England",
    "id": "5a110d312052166f",
    "country": "United Kingdom",
    "country_code": "GB",
    "geo": {"type": "Feature", "bbox": [-5.12, 50.11, -5.01, 50.19], "properties": {}},
    "name": "Port Ellery",
    "place_type": "city",
}
QUOTED = {
    "id": "1531601287440367617",
    "text": "Low tide, long shadows.",
    "author_id": "3318907721",
    "created_at": "2022-05-31T11:03:15.000Z",
    "edit_history_tweet_ids": ["1531601287440367617"],
    "conversation_id": "1531601287440367617",
    "lang": "en",
    "public_metrics": {"retweet_count": 14, "reply_count": 3, "like_count": 210, "quote_count": 2},
}
FIRST = {  # an original with a photo
    "id": "1531993306472804353",
    "text": "First light over the estuary https://t.co/Qm4cXz8aPl",
    "author_id": "1402317563926134785",
    "created_at": "2022-06-01T13:02:44.000Z",
    "edit_history_tweet_ids": ["1531993306472804353"],
    "attachments": {"media_keys": ["3_1531993299275436032"]},
    "entities": {
        "urls": [
            {
                "start": 29,
                "end": 52,
                "url": "https://t.co/Qm4cXz8aPl",
                "expanded_url": "https://twitter.com/marenholt/status/1531993306472804353/photo/1",
                "display_url": "pic.twitter.com/Qm4cXz8aPl",
                "media_key": "3_1531993299275436032",
            }
        ]
    },
    "conversation_id": "1531993306472804353",
    "lang": "en",
    "possibly_sensitive": False,
    "public_metrics": {"retweet_count": 1, "reply_count": 0, "like_count": 19, "quote_count": 0},
    "reply_settings": "everyone",
    "source": "Twitter for iPhone",
}
SECOND = {  # a quote of Wren's post, mentioning Maren
    "id": "1531990122463182848",
    "text": "@marenholt this is the view I meant https://t.co/Zr81LkPq0w",
    "author_id": "98231554",
    "created_at": "2022-06-01T12:50:05.000Z",
    "edit_history_tweet_ids": ["1531990122463182848"],
    "referenced_tweets": [{"type": "quoted", "id": "1531601287440367617"}],
    "entities": {
        "mentions": [{"start": 0, "end": 10, "username": "marenholt", "id": "1402317563926134785"}],
        "urls": [
            {
                "start": 36,
                "end": 59,
                "url": "https://t.co/Zr81LkPq0w",
                "expanded_url": "https://twitter.com/wrenokafor/status/1531601287440367617",
                "display_url": "twitter.com/wrenokafor/sta…",
            }
        ],
    },
    "conversation_id": "1531990122463182848",
    "lang": "en",
    "public_metrics": {"retweet_count": 0, "reply_count": 1, "like_count": 4, "quote_count": 0},
    "reply_settings": "everyone",
    "source": "Twitter for Android",
}
THIRD = {  # Maren again, at a place
    "id": "1531985530237153280",
    "text": "Back at the harbour cafe",
    "author_id": "1402317563926134785",
    "created_at": "2022-06-01T12:31:49.000Z",
    "edit_history_tweet_ids": ["1531985530237153280"],
    "geo": {"place_id": "5a110d312052166f"},
    "conversation_id": "1531985530237153280",
    "lang": "en",
    "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 6, "quote_count": 0},
    "reply_settings": "everyone",
    "source": "Twitter for iPhone",
}
TWARC = {
    "url": "https://api.twitter.com/2/tweets/search/recent?expansions=author_id%2Creferenced_tweets.id"
    "%2Creferenced_tweets.id.author_id%2Cattachments.media_keys%2Cgeo.place_id&max_results=100&query=estuary",
    "version": "2.10.4",
    "retrieved_at": "2022-06-01T13:05:02+00:00",
}
SEARCH_PAGE = {
    "data": [FIRST, SECOND, THIRD],
    "includes": {"users": [MAREN, TOBIN, WREN], "tweets": [QUOTED], "media": [PHOTO], "places": [HARBOUR]},
    "meta": {
        "newest_id": "1531993306472804353",
        "oldest_id": "1531985530237153280",
        "result_count": 3,
        "next_token": "b26v89c19zqg8o3fosnsvfc9m1qgu5n9w4mxq1c2t5lvx",
    },
    "__twarc": TWARC,
}

# --- a twarc2-flattened quote -----------------------------------------------------------------

DARIA = {
    "id": "1287436512986669056",
    "name": "Daria Lund",
    "username": "darialund",
    "created_at": "2020-07-26T17:08:00.000Z",
    "description": "Reading lists, mostly.",
    "public_metrics": {"followers_count": 260, "following_count": 410, "tweet_count": 3001, "listed_count": 4},
    "verified": False,
}
ELI = {
    "id": "71209884",
    "name": "Eli Moss",
    "username": "eli_moss",
    "created_at": "2009-09-03T10:12:41.000Z",
    "description": "Essays on bridges and the people who keep them.",
    "public_metrics": {"followers_count": 20455, "following_count": 133, "tweet_count": 8804, "listed_count": 301},
    "verified": False,
}
ESSAY = {  # Eli's post, which Daria quotes
    "id": "1540003351874768896",
    "text": "New essay: the last hand-cranked swing bridge.",
    "author_id": "71209884",
    "created_at": "2022-06-23T16:22:10.000Z",
    "edit_history_tweet_ids": ["1540003351874768896"],
    "conversation_id": "1540003351874768896",
    "lang": "en",
    "public_metrics": {"retweet_count": 31, "reply_count": 5, "like_count": 402, "quote_count": 9},
}
MENTION_OF_ELI = {"start": 14, "end": 23, "username": "eli_moss", "id": "71209884"}
URL_OF_ESSAY = {
    "start": 24,
    "end": 47,
    "url": "https://t.co/Hk2PqR7sLm",
    "expanded_url": "https://twitter.com/eli_moss/status/1540003351874768896",
    "display_url": "twitter.com/eli_moss/statu…",
}
QUOTE = {  # Daria's quote, as its page held it
    "id": "1540009984262643712",
    "text": "worth reading @eli_moss https://t.co/Hk2PqR7sLm",
    "author_id": "1287436512986669056",
    "created_at": "2022-06-23T16:48:31.000Z",
    "edit_history_tweet_ids": ["1540009984262643712"],
    "referenced_tweets": [{"type": "quoted", "id": "1540003351874768896"}],
    "entities": {"mentions": [MENTION_OF_ELI], "urls": [URL_OF_ESSAY]},
    "conversation_id": "1540009984262643712",
    "lang": "en",
    "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 3, "quote_count": 0},
}
FLAT_TWARC = {
    "url": "https://api.twitter.com/2/tweets/search/recent?expansions=author_id%2Creferenced_tweets.id"
    "%2Creferenced_tweets.id.author_id%2Centities.mentions.username&query=bridge",
    "version": "2.10.4",
    "retrieved_at": "2022-06-23T17:00:12+00:00",
}
# twarc2 flatten: the author inlined, the mention merged with its user ({**mention, **user}), the
# reference merged with the included post ({**reference, **post}), itself given its author.
FLAT_QUOTE = {
    "id": "1540009984262643712",
    "text": "worth reading @eli_moss https://t.co/Hk2PqR7sLm",
    "author_id": "1287436512986669056",
    "created_at": "2022-06-23T16:48:31.000Z",
    "edit_history_tweet_ids": ["1540009984262643712"],
    "referenced_tweets": [{"type": "quoted", **ESSAY, "author": ELI}],
    "entities": {"mentions": [{**MENTION_OF_ELI, **ELI}], "urls": [URL_OF_ESSAY]},
    "conversation_id": "1540009984262643712",
    "lang": "en",
    "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 3, "quote_count": 0},
    "author": DARIA,
    "__twarc": FLAT_TWARC,
}


# --- helpers --------------------------------------------------------------------------------------


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def ndjson(path: Path, records: list[Any]) -> str:
    path.write_bytes(b"".join(json.dumps(record).encode() + b"\n" for record in records))
    return str(path)


def repage(tmp_path: Path, records: list[Any], size: int, *options: str) -> tuple[Result, list[Any], dict[str, Any]]:
    """Runs ``convert --to v2 --v2-pages size`` on ``records``: the result, the pages written (each
    checked by ``xformat validate`` and against the v2 page schema) and the summary."""
    source = ndjson(tmp_path / "in.ndjson", records)
    out, summary = tmp_path / "pages.ndjson", tmp_path / "summary.json"
    result = cli("convert", "--to", "v2", "--v2-pages", str(size), *options, source, "-o", str(out),
                 "--summary-json", str(summary), "-q")  # fmt: skip
    pages = [json.loads(line) for line in out.read_bytes().splitlines()] if out.exists() else []
    if pages:
        checked = cli("validate", "--format", "v2", str(out))
        assert checked.exit_code == 0, checked.stderr
        assert f"{len(pages)} valid" in checked.stderr and f"{len(pages)} X API v2 page" in checked.stderr
    for page in pages:
        assert validator_for("v2-page").is_valid(page)
    return result, pages, json.loads(summary.read_bytes())


def meta(*ids: str) -> dict[str, Any]:
    return {"result_count": len(ids), "newest_id": max(ids, key=int), "oldest_id": min(ids, key=int)}


# --- each kind of v2 record -----------------------------------------------------------------------


def test_a_stream_line_loses_its_rules_and_keeps_its_post_and_includes(tmp_path: Path) -> None:
    result, pages, summary = repage(tmp_path, [STREAM_LINE], 5)
    assert result.exit_code == 0, result.stderr
    assert pages == [
        {"data": [STREAM_POST], "includes": {"users": [CORIN, ADA]}, "meta": meta("1635702468923035648")}
    ]
    assert summary["losses"] == {"paged_rules": 1}
    assert (summary["read"], summary["pages"], summary["page_posts"], summary["rejected"]) == (1, 1, 1, 0)
    assert summary["unchanged"] == 0  # re-paged, not copied


def test_a_twarc2_page_of_three_posts_in_pages_of_two(tmp_path: Path) -> None:
    result, pages, summary = repage(tmp_path, [SEARCH_PAGE], 2)
    assert result.exit_code == 0, result.stderr
    assert pages == [
        {
            "data": [FIRST, SECOND],
            # Maren (author of the first, mentioned by the second), Tobin and Wren (the second's
            # author and its quoted post's), the quoted post, the photo; not the place.
            "includes": {"users": [MAREN, TOBIN, WREN], "tweets": [QUOTED], "media": [PHOTO]},
            "meta": {"result_count": 2, "newest_id": "1531993306472804353", "oldest_id": "1531990122463182848"},
        },
        {
            "data": [THIRD],
            "includes": {"users": [MAREN], "places": [HARBOUR]},
            "meta": {"result_count": 1, "newest_id": "1531985530237153280", "oldest_id": "1531985530237153280"},
        },
    ]
    assert all("next_token" not in page["meta"] and "__twarc" not in page for page in pages)
    assert summary["losses"] == {"twarc_metadata": 3}  # one a post; meta is no loss
    assert (summary["pages"], summary["page_posts"], summary["converted"], summary["api_errors"]) == (1, 3, 0, 0)


def test_a_flattened_post_gets_its_inlined_objects_back_in_includes(tmp_path: Path) -> None:
    result, pages, summary = repage(tmp_path, [FLAT_QUOTE], 10)
    assert result.exit_code == 0, result.stderr
    assert pages == [
        {
            "data": [QUOTE],
            "includes": {"users": [DARIA, ELI], "tweets": [ESSAY]},
            "meta": meta("1540009984262643712"),
        }
    ]
    assert summary["losses"] == {"twarc_metadata": 1}
    assert (summary["converted"], summary["pages"], summary["rejected"]) == (1, 0, 0)


def test_a_pinned_post_twarc2_inlined_in_a_user_goes_with_no_post(tmp_path: Path) -> None:
    pinned_id = "1400112233445566778"
    pinned = {**ESSAY, "id": pinned_id, "text": "Pinned: where to start.", "edit_history_tweet_ids": [pinned_id],
              "conversation_id": pinned_id, "created_at": "2021-05-02T09:00:00.000Z"}  # fmt: skip
    eli = {**ELI, "pinned_tweet_id": pinned_id}
    flat = {**ESSAY, "author": {**eli, "pinned_tweet": pinned}, "__twarc": FLAT_TWARC}
    result, pages, summary = repage(tmp_path, [flat], 10)
    assert result.exit_code == 0, result.stderr
    assert pages == [{"data": [ESSAY], "includes": {"users": [eli]}, "meta": meta(ESSAY["id"])}]
    assert summary["losses"] == {"twarc_metadata": 1, "unreferenced_includes": 1}


def test_an_account_in_another_member_order_is_the_same_account(tmp_path: Path) -> None:
    # Eli comes back from the quote's mention (twarc2 merged the mention first: username, id,
    # name ...), then as the author of his own flattened post (id, name, username ...): one
    # account, one page.
    flat_essay = {**ESSAY, "author": ELI, "__twarc": FLAT_TWARC}
    result, pages, summary = repage(tmp_path, [FLAT_QUOTE, flat_essay], 10)
    assert result.exit_code == 0, result.stderr
    assert pages == [
        {
            "data": [QUOTE, ESSAY],
            "includes": {"users": [DARIA, ELI], "tweets": [ESSAY]},
            "meta": meta(QUOTE["id"], ESSAY["id"]),
        }
    ]
    assert summary["losses"] == {"twarc_metadata": 2}


def test_members_keep_the_input_s_order(tmp_path: Path) -> None:
    _, pages, _ = repage(tmp_path, [SEARCH_PAGE, FLAT_QUOTE], 10)
    assert len(pages) == 1
    ordered = json.loads((tmp_path / "pages.ndjson").read_bytes(), object_pairs_hook=list)
    data = dict(ordered)["data"]
    assert [[key for key, _ in post] for post in data] == [list(post) for post in (FIRST, SECOND, THIRD, QUOTE)]


# --- mixed archives, options ----------------------------------------------------------------------


def test_enterprise_and_v2_records_are_paged_together_in_input_order(tmp_path: Path) -> None:
    reply, quote = (load_json(GOLDEN_V2 / case / "native.json") for case in ("reply", "quote"))
    lookup = {"data": STREAM_POST, "includes": {"users": [CORIN, ADA]}}
    result, pages, summary = repage(tmp_path, [reply, lookup, quote, FLAT_QUOTE], 10)
    assert result.exit_code == 0, result.stderr
    (page,) = pages
    expected_reply, expected_quote = (load_json(GOLDEN_V2 / case / "v2.json")["data"] for case in ("reply", "quote"))
    assert page["data"] == [expected_reply, STREAM_POST, expected_quote, QUOTE]
    users = {user["id"] for user in page["includes"]["users"]}
    assert {CORIN["id"], ADA["id"], DARIA["id"], ELI["id"]} <= users
    assert (summary["converted"], summary["pages"], summary["page_posts"]) == (3, 1, 1)
    assert summary["losses"].get("twarc_metadata") == 1


def test_from_v2_is_accepted(tmp_path: Path) -> None:
    result, pages, summary = repage(tmp_path, [STREAM_LINE, FLAT_QUOTE], 10, "--from", "v2")
    assert result.exit_code == 0, result.stderr
    assert [post["id"] for post in pages[0]["data"]] == [STREAM_POST["id"], QUOTE["id"]]
    assert summary["losses"] == {"paged_rules": 1, "twarc_metadata": 1}


def test_strict_rejects_a_post_with_rules_and_a_page_whole(tmp_path: Path) -> None:
    lookup = {"data": THIRD, "includes": {"users": [MAREN], "places": [HARBOUR]}}
    result, pages, summary = repage(tmp_path, [STREAM_LINE, lookup, SEARCH_PAGE], 10, "--strict", "--rejects",
                                    str(tmp_path / "rejects.ndjson"))  # fmt: skip
    assert result.exit_code == 1
    assert pages == [{"data": [THIRD], "includes": {"users": [MAREN], "places": [HARBOUR]}, "meta": meta(THIRD["id"])}]
    rejects = [json.loads(line) for line in (tmp_path / "rejects.ndjson").read_bytes().splitlines()]
    assert [(r["line"], r["reason"]) for r in rejects] == [
        (1, "conversion would lose: paged_rules"),
        (3, "conversion would lose: twarc_metadata"),
    ]
    assert (summary["rejected"], summary["page_posts"], summary["losses"]) == (2, 1, {})


def test_split_by_day_puts_a_page_where_its_first_post_goes(tmp_path: Path) -> None:
    source = ndjson(tmp_path / "in.ndjson", [STREAM_LINE, SEARCH_PAGE])
    out = tmp_path / "out"
    result = cli("convert", "--to", "v2", "--v2-pages", "2", source, "--split-by", "day", "-o", str(out), "-q")
    assert result.exit_code == 0, result.stderr
    days = {p.name: [json.loads(line)["data"] for line in p.read_bytes().splitlines()] for p in out.iterdir()}
    assert days == {"2023-03-14.ndjson": [[STREAM_POST, FIRST]], "2022-06-01.ndjson": [[SECOND, THIRD]]}


# --- what a page has no place for -----------------------------------------------------------------


def test_objects_no_post_references_are_declared_once(tmp_path: Path) -> None:
    earlier = {**THIRD, "id": "1531985402011484160", "text": "Back at the harbor cafe"}
    edited = {**THIRD, "edit_history_tweet_ids": ["1531985402011484160", "1531985530237153280"]}
    timeline = {
        "data": [edited, FIRST],
        "includes": {"users": [MAREN], "tweets": [earlier], "media": [PHOTO], "places": [HARBOUR]},
        "meta": {"result_count": 2, "newest_id": FIRST["id"], "oldest_id": THIRD["id"]},
    }
    result, pages, summary = repage(tmp_path, [timeline], 10)
    assert result.exit_code == 0, result.stderr
    assert pages == [
        {
            "data": [edited, FIRST],
            "includes": {"users": [MAREN], "media": [PHOTO], "places": [HARBOUR]},
            "meta": meta(THIRD["id"], FIRST["id"]),
        }
    ]
    assert summary["losses"] == {"unreferenced_includes": 1}


def test_errors_are_counted_not_lost(tmp_path: Path) -> None:
    error = {
        "value": "1531601287440367617",
        "detail": "Could not find tweet with referenced_tweets.id: [1531601287440367617].",
        "title": "Not Found Error",
        "resource_type": "tweet",
        "parameter": "referenced_tweets.id",
        "resource_id": "1531601287440367617",
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    }
    page = {"data": [SECOND], "includes": {"users": [MAREN, TOBIN]}, "errors": [error], "meta": {"result_count": 1}}
    result, pages, summary = repage(tmp_path, [page], 10)
    assert result.exit_code == 0, result.stderr
    assert pages == [{"data": [SECOND], "includes": {"users": [MAREN, TOBIN]}, "meta": meta(SECOND["id"])}]
    assert (summary["api_errors"], summary["losses"]) == (1, {})


def test_unknown_members_stay_in_posts_and_leave_the_envelope(tmp_path: Path) -> None:
    post = {**STREAM_POST, "future_field": {"kind": "b"}}
    line = {"data": post, "includes": {"users": [CORIN, ADA]}, "sample_rate": 1}
    result, pages, summary = repage(tmp_path, [line], 10)
    assert result.exit_code == 0, result.stderr
    assert pages == [{"data": [post], "includes": {"users": [CORIN, ADA]}, "meta": meta(post["id"])}]
    assert summary["losses"] == {"unknown_fields": 1}
    assert summary["unknown_fields"] == {"$.data.future_field": 1, "$.sample_rate": 1}


def test_equal_copies_are_one_and_differing_copies_are_rejected(tmp_path: Path) -> None:
    reordered = dict(reversed(list(MAREN.items())))
    twice = {"data": [THIRD], "includes": {"users": [MAREN, reordered], "places": [HARBOUR]}, "meta": {}}
    older = {**MAREN, "public_metrics": {**MAREN["public_metrics"], "followers_count": 1400}}
    differing = {"data": [FIRST], "includes": {"users": [MAREN, older], "media": [PHOTO]}, "meta": {}}
    result, pages, summary = repage(tmp_path, [twice, differing], 10, "--rejects", str(tmp_path / "rejects.ndjson"))
    assert result.exit_code == 1
    assert pages == [{"data": [THIRD], "includes": {"users": [MAREN], "places": [HARBOUR]}, "meta": meta(THIRD["id"])}]
    (reject,) = [json.loads(line) for line in (tmp_path / "rejects.ndjson").read_bytes().splitlines()]
    assert reject["line"] == 2 and reject["path"] == "$.includes.users"
    assert reject["reason"] == f"two different objects named {MAREN['id']} in includes.users: a page holds one of each"
    assert summary["rejected"] == 1


# --- the rest is unchanged ------------------------------------------------------------------------


def test_without_pages_a_v2_record_is_copied_byte_for_byte(tmp_path: Path) -> None:
    source = ndjson(tmp_path / "in.ndjson", [SEARCH_PAGE, STREAM_LINE, FLAT_QUOTE])
    result = cli("convert", "--to", "v2", source, "-q")
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == (tmp_path / "in.ndjson").read_bytes()


@pytest.mark.parametrize("record", [STREAM_LINE, SEARCH_PAGE, FLAT_QUOTE], ids=["stream-line", "page", "flat"])
def test_a_record_converted_losslessly_from_v2_is_re_paged_as_its_source(record: Any, tmp_path: Path) -> None:
    source = ndjson(tmp_path / "in.ndjson", [record])
    native = tmp_path / "native.ndjson"
    assert cli("convert", "--to", "native", "--lossless", source, "-o", str(native), "-q").exit_code == 0
    direct = cli("convert", "--to", "v2", "--v2-pages", "2", source)
    restored = cli("convert", "--to", "v2", "--v2-pages", "2", str(native))
    assert direct.exit_code == 0 and restored.exit_code == 0, restored.stderr
    assert restored.stdout_bytes == direct.stdout_bytes
