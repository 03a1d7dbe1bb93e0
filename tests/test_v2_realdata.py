"""Real X API v2 captures (``../shared/realdata/v2``): the models read every one of them.

Every line of every file decodes with its model, with no field the models do not define, and
validates against the published schema of that model. Skipped, saying why, when the folder is
absent (a fresh clone has no real data).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from click.testing import CliRunner

from tests.conftest import REALDATA
from tests.test_v2_pages import comparable
from tests.v2_strategies import flatten
from xformat.cli import main
from xformat.convert.from_v2 import post_from_v2
from xformat.convert.losses import losses_for
from xformat.convert.losses_v2 import FROM_V2
from xformat.convert.to_v2 import post_to_v2
from xformat.decoding import decode, unknown_fields
from xformat.models import v2
from xformat.models.native import Post
from xformat.registry import validator_for
from xformat.v2pages import Bundle, bundle_of, posts_of

FOLDER = REALDATA / "v2"
ENCODER = msgspec.json.Encoder()
pytestmark = pytest.mark.skipif(not FOLDER.is_dir(), reason=f"no real v2 data at {FOLDER}")

# What each file holds: its model and that model's schema.
FILES: dict[str, tuple[type[msgspec.Struct], str]] = {
    "tweepy_pages.jsonl": (v2.V2Page, "v2-page"),
    "twarc2_search_pages.jsonl": (v2.V2Page, "v2-page"),
    "twarc2_timeline_pages_edits.jsonl": (v2.V2Page, "v2-page"),
    "twarc2_flattened.jsonl": (v2.V2FlatPost, "v2-flat-post"),
    "tweepy_compliance_jobs.jsonl": (v2.V2ComplianceJobs, "v2-compliance-jobs"),
}


def lines(name: str) -> list[bytes]:
    return (FOLDER / name).read_bytes().splitlines()


def test_every_file_is_known() -> None:
    assert sorted(p.name for p in FOLDER.glob("*.jsonl")) == sorted(FILES)


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_line_decodes_with_no_unknown_field_and_validates(name: str) -> None:
    model, schema = FILES[name]
    decoder = msgspec.json.Decoder(model)
    validator = validator_for(schema)
    found = lines(name)
    assert found
    for number, raw in enumerate(found, 1):
        decoder.decode(raw)  # raises on an unknown field: the structs forbid them
        data: Any = json.loads(raw)
        assert unknown_fields(data, model) == [], (name, number)
        errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]
        assert not errors, (name, number, errors[:3])


def test_posts_before_the_edit_feature_have_no_edit_history() -> None:
    # Why edit_history_tweet_ids is optional although v2 returns it by default since 2022-09.
    pages = [msgspec.json.decode(raw, type=v2.V2Page) for raw in lines("twarc2_search_pages.jsonl")]
    posts = [post for page in pages if isinstance(page.data, list) for post in page.data]
    assert posts and all(post.edit_history_tweet_ids is msgspec.UNSET for post in posts)


# --- conversion -----------------------------------------------------------------------------------

PAGE_FILES = ("tweepy_pages.jsonl", "twarc2_search_pages.jsonl", "twarc2_timeline_pages_edits.jsonl")


def bundles() -> list[tuple[str, Bundle]]:
    """Every post of every real page and flattened line, with where it came from."""
    found = []
    for name in PAGE_FILES:
        for number, raw in enumerate(lines(name), 1):
            found += [(f"{name}:{number}", b) for b in posts_of(msgspec.json.decode(raw, type=v2.V2Page))]
    for number, raw in enumerate(lines("twarc2_flattened.jsonl"), 1):
        found.append((f"twarc2_flattened.jsonl:{number}", bundle_of(msgspec.json.decode(raw, type=v2.V2FlatPost))))
    return found


def test_every_real_post_converts_to_a_valid_native_post_and_back() -> None:
    native_schema, line_schema = validator_for("native-post"), validator_for("v2-stream-line")
    found = bundles()
    assert len(found) == 1263  # 664 + 300 + 199 posts in pages, 100 flattened lines
    for where, bundle in found:
        losses: list[str] = []
        raw = ENCODER.encode(post_from_v2(bundle, losses))
        post = msgspec.json.decode(raw, type=Post)
        assert not list(native_schema.iter_errors(json.loads(raw))), where
        assert post.id_str == bundle.post.id and post.text == bundle.post.text, where
        if bundle.author is not None:
            assert post.user.id_str == bundle.author.id and post.user.screen_name == bundle.author.username, where
        assert set(losses) <= {loss.code for loss in losses_for(FROM_V2)}, where
        line = ENCODER.encode(post_to_v2(post, []))
        msgspec.json.decode(line, type=v2.V2StreamLine)
        assert not list(line_schema.iter_errors(json.loads(line))), where


def test_default_field_posts_get_their_time_from_the_id() -> None:
    # tweepy's captures asked for nothing: no author, no created_at; the id still dates the post.
    (bundle,) = [b for where, b in bundles() if where == "tweepy_pages.jsonl:1"]
    losses: list[str] = []
    post = post_from_v2(bundle, losses)
    assert {"created_at_from_id", "author_not_included"} <= set(losses)
    assert post.created_at.endswith("2022") and post.user.screen_name == ""


@pytest.mark.parametrize("name", ["twarc2_search_pages.jsonl", "twarc2_timeline_pages_edits.jsonl"])
def test_real_pages_flattened_give_the_same_bundles(name: str) -> None:
    for raw in lines(name):
        page = msgspec.json.decode(raw, type=v2.V2Page)
        flat = [bundle_of(msgspec.convert(line, v2.V2FlatPost)) for line in flatten(json.loads(raw))]
        assert [comparable(b) for b in posts_of(page)] == [comparable(b) for b in flat]


# --- through the commands ---------------------------------------------------------------------

# The kinds detection must find in each file, from content alone.
KINDS = {
    "tweepy_pages.jsonl": {"page", "stream-line", "errors"},
    "twarc2_search_pages.jsonl": {"page"},
    "twarc2_timeline_pages_edits.jsonl": {"page"},
    "twarc2_flattened.jsonl": {"post"},
    "tweepy_compliance_jobs.jsonl": {"compliance-job"},
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_line_is_detected_as_v2_of_its_kind(name: str) -> None:
    found = {(d.format, d.kind) for d in map(decode, lines(name))}
    assert {fmt for fmt, _ in found} == {"v2"} and {kind for _, kind in found} <= KINDS[name], found


@pytest.mark.parametrize("target", ["native", "activity"])
def test_every_post_of_every_file_converts_through_the_pipeline_with_no_reject(target: str, tmp_path: Path) -> None:
    out, summary = tmp_path / "out.ndjson", tmp_path / "summary.json"
    args = ["convert", "--to", target, str(FOLDER), "-o", str(out), "--summary-json", str(summary)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    counts = json.loads(summary.read_text())
    assert counts["rejected"] == 0 and counts["read"] == sum(len(lines(name)) for name in FILES)
    written = out.read_bytes().splitlines()
    posts = sum(_posts(name) for name in FILES)
    assert len(written) == counts["converted"] + counts["page_posts"] == posts
    validated = CliRunner().invoke(main, ["validate", str(out)])
    assert validated.exit_code == 0, validated.stdout[:2000]
    source = CliRunner().invoke(main, ["validate", str(FOLDER)])
    assert source.exit_code == 0, source.stdout[:2000]


def _posts(name: str) -> int:
    """Posts a file holds, counted from its lines as parsed JSON (data lists, data objects, flat posts)."""
    count = 0
    for raw in lines(name):
        data = json.loads(raw)
        if FILES[name][0] is v2.V2FlatPost:
            count += 1
        elif FILES[name][0] is v2.V2Page and "data" in data:
            count += len(data["data"]) if isinstance(data["data"], list) else 1
    return count


@pytest.mark.parametrize("target", ["native", "activity"])
def test_lossless_there_and_back_gives_every_real_post_as_it_was(target: str, tmp_path: Path) -> None:
    there, back = tmp_path / "there.ndjson", tmp_path / "back.ndjson"
    lossless = ["convert", "--to", target, "--lossless", str(FOLDER), "-o", str(there)]
    assert CliRunner().invoke(main, lossless).exit_code == 0
    assert CliRunner().invoke(main, ["convert", "--to", "v2", str(there), "-o", str(back)]).exit_code == 0
    came = [json.loads(raw) for raw in back.read_bytes().splitlines()]
    expected: list[tuple[Any, Any]] = []  # (the post, the includes it may draw from) of each source post
    for name in sorted(FILES):
        for raw in lines(name):
            data = json.loads(raw)
            if FILES[name][0] is v2.V2FlatPost:
                expected.append((data, None))
            elif FILES[name][0] is not v2.V2Page:
                continue  # compliance jobs: no post
            elif isinstance(data.get("data"), list) and len(data["data"]) > 1:
                expected += [(post, data.get("includes", {})) for post in data["data"]]
            elif data.get("data"):  # a record of one post
                expected.append((data, None))
    assert len(came) == len(expected)
    for got, (post, includes) in zip(came, expected, strict=True):
        if includes is None:  # a record of one post comes back whole
            assert got == post
            continue
        # A post of a page comes back as a line of its own: the post, and objects of its page's includes.
        assert got["data"] == post
        for group, items in got.get("includes", {}).items():
            assert all(item in includes[group] for item in items), group
