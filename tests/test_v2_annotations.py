"""The Enriched Native home of v2's annotations (``entities.annotations``), and what Activity
Streams, which has none, makes of it: a declared loss, never an unknown field."""

from __future__ import annotations

import copy
import json
from typing import Any

from tests.conftest import GOLDEN, load_json
from xformat.convert import to_activity, to_native
from xformat.registry import validator_for

ANNOTATIONS: dict[str, Any] = {
    "context": [
        {
            "context_domain_id_str": "47",
            "context_domain_name": "Brand",
            "context_domain_description": "Brands and companies",
            "context_entity_id_str": "1001503516555337728",
            "context_entity_name": "Harbor Lights Co.",
        }
    ],
    "entity": [
        {"start": 0, "end": 10, "probability": 0.72, "type": "Organization", "normalized_text": "Harbor Lights"}
    ],
}


def _annotated() -> dict[str, Any]:
    post = load_json(GOLDEN / "plain_post" / "native.json")
    post["entities"]["annotations"] = copy.deepcopy(ANNOTATIONS)
    return post


def test_native_posts_carry_annotations() -> None:
    assert validator_for("native-post").is_valid(_annotated())
    assert not validator_for("native-post", "2012").is_valid(_annotated())  # an enrichment of 2020 on


def test_activity_streams_drops_them_as_a_declared_loss() -> None:
    result = to_activity(_annotated())
    assert result.losses == ("annotations",) and result.unknown == ()
    out = json.loads(result.json())
    assert "annotations" not in out["twitter_entities"]
    assert out == load_json(GOLDEN / "plain_post" / "activity.json")
    back = to_native(out)
    assert json.loads(back.json()) == load_json(GOLDEN / "plain_post" / "native.json")
