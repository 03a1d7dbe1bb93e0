"""Every hand-written golden case converts, each way, to exactly its other side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import golden_cases, load_json
from xformat.convert import to_activity, to_native

CASES = golden_cases()


def convert(record: dict[str, Any], target: str) -> tuple[Any, tuple[str, ...]]:
    """(output as parsed JSON, or None when the record has no form in ``target``; loss codes)."""
    result = to_activity(record) if target == "activity" else to_native(record)
    return (None if result.value is None else _plain(result.to_dict())), tuple(sorted(result.losses))


def _expected(case: Path, target: str) -> Any:
    """The hand-written expected output: ``<target>.expected.json`` if any, else the other side
    (None when the case has no such side: an event without an Activity Streams form)."""
    special = case / f"{target}.expected.json"
    other = special if special.exists() else case / f"{target}.json"
    return load_json(other) if other.exists() else None


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value))


def test_the_corpus_covers_the_required_cases() -> None:
    names = {case.name for case in CASES}
    required = {
        "plain_post", "reply", "mention", "hashtag_cashtag", "url_unwound", "four_photos", "video",
        "animated_gif", "long_post", "quote", "retweet", "retweet_of_quote", "reply_that_quotes",
        "exact_geo_with_place", "place_without_coordinates", "poll", "edited_post", "matching_rules",
        "profile_geo", "klout", "withheld", "deletion_notice", "non_ascii",
        # real shapes of 2011-2016 archives and standard v1.1
        "klout_topics_2014", "klout_score_only", "matching_rules_value", "gnip_language", "entities_trends",
        "listed_count_null", "early_2011", "gnip_urls_empty_item", "actor_location_null", "extended_mode",
        "place_contained_within", "protected_author", "retweet_counts_stream", "retweet_of_quote_root",
        "deletion_stream_2015", "deletion_stream_2012", "compliance_status_withheld", "compliance_scrub_geo",
        "compliance_user_delete", "compliance_user_withheld", "compliance_drop",
    }  # fmt: skip
    assert required <= names, f"missing golden cases: {sorted(required - names)}"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_native_to_activity(case: Path) -> None:
    output, losses = convert(load_json(case / "native.json"), "activity")
    assert output == _expected(case, "activity")
    assert losses == tuple(sorted(load_json(case / "losses.json")["to_activity"]))


@pytest.mark.parametrize("case", [c for c in CASES if (c / "activity.json").exists()], ids=lambda p: p.name)
def test_activity_to_native(case: Path) -> None:
    output, losses = convert(load_json(case / "activity.json"), "native")
    assert output == _expected(case, "native")
    assert losses == tuple(sorted(load_json(case / "losses.json")["to_native"]))


@pytest.mark.parametrize("case", [c for c in CASES if (c / "activity.json").exists()], ids=lambda p: p.name)
def test_lossless_round_trips_are_exact(case: Path) -> None:
    native = load_json(case / "native.json")
    activity = load_json(case / "activity.json")
    there = to_activity(native, lossless=True)
    assert there.losses == ()
    assert _plain(to_native(there.to_dict()).to_dict()) == native
    back = to_native(activity, lossless=True)
    assert _plain(to_activity(back.to_dict()).to_dict()) == activity
