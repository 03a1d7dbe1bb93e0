"""Every hand-written golden case converts, each way, to exactly its other side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import golden_cases, load_json
from xformat.convert import to_activity, to_native

CASES = golden_cases()


def _expected(case: Path, target: str) -> Any:
    """The hand-written expected output: ``<target>.expected.json`` if any, else the other side."""
    special = case / f"{target}.expected.json"
    return load_json(special if special.exists() else case / f"{target}.json")


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value))


def test_the_corpus_covers_the_required_cases() -> None:
    names = {case.name for case in CASES}
    required = {
        "plain_post", "reply", "mention", "hashtag_cashtag", "url_unwound", "four_photos", "video",
        "animated_gif", "long_post", "quote", "retweet", "retweet_of_quote", "reply_that_quotes",
        "exact_geo_with_place", "place_without_coordinates", "poll", "edited_post", "matching_rules",
        "profile_geo", "klout", "withheld", "deletion_notice", "non_ascii",
    }  # fmt: skip
    assert required <= names, f"missing golden cases: {sorted(required - names)}"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_native_to_activity(case: Path) -> None:
    result = to_activity(load_json(case / "native.json"))
    assert _plain(result.to_dict()) == _expected(case, "activity")
    assert sorted(result.losses) == sorted(load_json(case / "losses.json")["to_activity"])


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_activity_to_native(case: Path) -> None:
    result = to_native(load_json(case / "activity.json"))
    assert _plain(result.to_dict()) == _expected(case, "native")
    assert sorted(result.losses) == sorted(load_json(case / "losses.json")["to_native"])


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_lossless_round_trips_are_exact(case: Path) -> None:
    native = load_json(case / "native.json")
    activity = load_json(case / "activity.json")
    there = to_activity(native, lossless=True)
    assert there.losses == ()
    assert _plain(to_native(there.to_dict()).to_dict()) == native
    back = to_native(activity, lossless=True)
    assert _plain(to_activity(back.to_dict()).to_dict()) == activity
