"""Real X API v2 captures (``../shared/realdata/v2``): the models read every one of them.

Every line of every file decodes with its model, with no field the models do not define, and
validates against the published schema of that model. Skipped, saying why, when the folder is
absent (a fresh clone has no real data).
"""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest

from tests.conftest import REALDATA
from xformat.decoding import unknown_fields
from xformat.models import v2
from xformat.registry import validator_for

FOLDER = REALDATA / "v2"
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
