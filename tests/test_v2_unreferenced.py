"""Objects of an X API v2 page's includes that none of its posts reaches: converted, they go with
no post, a loss declared on the page's first post (``unreferenced_includes``); a lossless
conversion carries them in that post's patch."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from xformat.cli import main

ANA = {"id": "42", "name": "Ana Example", "username": "ana_example"}
BO = {"id": "43", "name": "Bo Sample", "username": "bo_sample"}


def post(post_id: str, text: str, **more: Any) -> dict[str, Any]:
    return {
        "id": post_id,
        "text": text,
        "author_id": "42",
        "created_at": "2022-12-01T10:00:00.000Z",
        "edit_history_tweet_ids": [post_id],
    } | more


# An edited post as the edit_history_tweet_ids expansion gives it: its earlier version in
# includes.tweets, which no post references.
VERSIONS = ["1600000000000000001", "1600000000000000002"]
EDITED = post("1600000000000000002", "fixed typo", edit_history_tweet_ids=VERSIONS)
EARLIER = post("1600000000000000001", "fixd typo", edit_history_tweet_ids=VERSIONS)
# A pinned post as the pinned_tweet_id expansion gives it: a user's, no post's.
PINNED = post("1600000000000000009", "read this first", author_id="43")
QUOTED = post("1600000000000000005", "the original", author_id="43")
QUOTING = post("1600000000000000006", "look at this", referenced_tweets=[{"type": "quoted", "id": QUOTED["id"]}])


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def convert(tmp_path: Path, records: list[dict[str, Any]], *options: str) -> tuple[list[Any], dict[str, Any]]:
    source, out, summary = tmp_path / "in.jsonl", tmp_path / "out.ndjson", tmp_path / "summary.json"
    source.write_text("".join(json.dumps(record) + "\n" for record in records))
    result = cli("convert", *options, str(source), "-o", str(out), "--summary-json", str(summary))
    assert result.exit_code == 0, result.stderr
    return [json.loads(text) for text in out.read_text().splitlines()], json.loads(summary.read_text())


def test_an_earlier_version_of_an_edited_post_is_declared_lost_to_native_and_activity_streams(tmp_path: Path) -> None:
    line = {"data": EDITED, "includes": {"users": [ANA], "tweets": [EARLIER]}}
    for target in ("native", "activity-streams"):
        written, summary = convert(tmp_path, [line], "--to", target)
        assert len(written) == 1
        assert summary["losses"]["unreferenced_includes"] == 1
        assert "fixd typo" not in json.dumps(written[0])  # the earlier text has no home


def test_a_page_declares_it_once_on_its_first_post(tmp_path: Path) -> None:
    page = {
        "data": [QUOTING, EDITED],
        "includes": {"users": [ANA, BO], "tweets": [QUOTED, EARLIER, PINNED]},
        "meta": {"result_count": 2, "newest_id": EDITED["id"], "oldest_id": QUOTING["id"]},
    }
    written, summary = convert(tmp_path, [page], "--to", "native")
    assert [record["id_str"] for record in written] == [QUOTING["id"], EDITED["id"]]
    assert summary["losses"]["unreferenced_includes"] == 1


def test_includes_every_post_reaches_declare_nothing(tmp_path: Path) -> None:
    # The quoted post and its author are reached through the quote; a post of the page that the
    # page includes too is not lost either.
    page = {
        "data": [QUOTING, QUOTED],
        "includes": {"users": [ANA, BO], "tweets": [QUOTED]},
        "meta": {"result_count": 2, "newest_id": QUOTING["id"], "oldest_id": QUOTED["id"]},
    }
    written, summary = convert(tmp_path, [page], "--to", "native")
    assert len(written) == 2
    assert "unreferenced_includes" not in summary["losses"]
    line = {"data": QUOTING, "includes": {"users": [ANA, BO], "tweets": [QUOTED]}}
    _, summary = convert(tmp_path, [line], "--to", "native")
    assert "unreferenced_includes" not in summary["losses"]


def test_a_lossless_conversion_brings_them_back_with_the_first_post(tmp_path: Path) -> None:
    page = {
        "data": [EDITED, QUOTING],
        "includes": {"users": [ANA, BO], "tweets": [EARLIER, QUOTED, PINNED]},
        "meta": {"result_count": 2, "newest_id": QUOTING["id"], "oldest_id": EDITED["id"]},
    }
    natives, summary = convert(tmp_path, [page], "--to", "native", "--lossless")
    assert "unreferenced_includes" not in summary["losses"]  # carried, not lost
    source = tmp_path / "native.ndjson"
    source.write_text("".join(json.dumps(record) + "\n" for record in natives))
    out = tmp_path / "back.ndjson"
    assert cli("convert", "--to", "v2", str(source), "-o", str(out)).exit_code == 0
    first, second = (json.loads(text) for text in out.read_text().splitlines())
    # Each post comes back as its own line; the first holds what no post reached, the page's order kept.
    assert first == {"data": EDITED, "includes": {"users": [ANA], "tweets": [EARLIER, PINNED]}}
    assert second == {"data": QUOTING, "includes": {"users": [ANA, BO], "tweets": [QUOTED]}}
