"""Every hand-written v2 golden case converts, each way, to exactly its other side.

``golden/v2/<case>/``: ``v2.json`` (a filtered-stream line, in the wire shape), ``native.json``
(the same post in Enriched Native), ``losses.json`` (``{"to_v2": [...], "from_v2": [...]}``),
and ``<side>.expected.json`` where converting the other side gives something else by a
declared loss (see ``golden/v2/README.md``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from tests.conftest import golden_v2_cases, load_json
from xformat.convert.from_v2 import post_from_v2
from xformat.convert.to_v2 import post_to_v2
from xformat.models.native import Post
from xformat.models.v2 import V2StreamLine
from xformat.registry import validator_for
from xformat.v2pages import posts_of

CASES = golden_v2_cases()
ENCODER = msgspec.json.Encoder()


def _expected(case: Path, side: str) -> Any:
    special = case / f"{side}.expected.json"
    return load_json(special if special.exists() else case / f"{side}.json")


def test_the_corpus_covers_the_required_cases() -> None:
    required = {
        "default_fields", "full_post", "reply", "quote", "retweet", "retweet_of_quote", "long_post",
        "long_post_compat", "edited_post", "photos", "video", "animated_gif", "poll", "place",
        "unwound_urls", "matching_rules", "withheld", "tombstone",
    }  # fmt: skip
    assert required <= {case.name for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_v2_to_native(case: Path) -> None:
    line = (case / "v2.json").read_bytes()
    (bundle,) = posts_of(msgspec.json.decode(line, type=V2StreamLine))
    losses: list[str] = []
    out = json.loads(ENCODER.encode(post_from_v2(bundle, losses)))
    assert out == _expected(case, "native")
    assert sorted(set(losses)) == load_json(case / "losses.json")["from_v2"]
    assert validator_for("native-post").is_valid(out)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_native_to_v2(case: Path) -> None:
    post = msgspec.json.decode((case / "native.json").read_bytes(), type=Post)
    losses: list[str] = []
    out = json.loads(ENCODER.encode(post_to_v2(post, losses)))
    assert out == _expected(case, "v2")
    assert sorted(set(losses)) == load_json(case / "losses.json")["to_v2"]
    assert validator_for("v2-stream-line").is_valid(out)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_the_files_are_valid_and_in_the_wire_shape(case: Path) -> None:
    for path in sorted(case.glob("v2*.json")):
        assert validator_for("v2-stream-line").is_valid(load_json(path)), path.name
        msgspec.json.decode(path.read_bytes(), type=V2StreamLine)
    for path in sorted(case.glob("native*.json")):
        assert validator_for("native-post").is_valid(load_json(path)), path.name
        msgspec.json.decode(path.read_bytes(), type=Post)
