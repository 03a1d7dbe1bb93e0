"""Every output validates against the schemas of its format, whatever extreme numbers the input
holds (the models accept any integer and any finite float where the formats have a number): each
record converts to a valid record, with a declared loss for what the target cannot hold."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import msgspec
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import examples
from tests.samples import native_post
from tests.strategies import Sample, activities, native_posts
from tests.test_roundtrip import assert_valid, check_round_trip
from xformat.cli import main
from xformat.convert import to_activity, to_native
from xformat.errors import RecordError

EXTREME_INTS = st.sampled_from(
    [0, -1, 999_999, -999_999, 10**6, -(10**6), 2**31, 2**53 + 1, 2**63 - 1, -(2**63), 2**64 - 1]
)
EXTREME_FLOATS = st.sampled_from([0.0, -0.0, 5e-324, 1e16, -1e16, 1e308, -1e308, 90.000001, -180.5])


def _numbers(value: Any) -> list[tuple[dict[str, Any] | list[Any], str | int]]:
    """Every place in ``value`` that holds a number (not a bool): its container and key."""
    found: list[tuple[dict[str, Any] | list[Any], str | int]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in items:
            if isinstance(child, (int, float)) and not isinstance(child, bool):
                found.append((node, key))
            else:
                stack.append(child)
    return found


@st.composite
def with_extremes(draw: Any, samples: st.SearchStrategy[Sample]) -> Sample:
    """A realistic record in which up to four numbers (and, for a native post, its author's
    utc_offset) are replaced by extreme ones."""
    sample = draw(samples)
    places = _numbers(sample.data)
    for _ in range(draw(st.integers(0, 4)) if places else 0):
        node, key = draw(st.sampled_from(places))
        node[key] = draw(EXTREME_INTS if isinstance(node[key], int) else EXTREME_FLOATS)  # type: ignore[index]
    user = sample.data.get("user")
    if isinstance(user, dict) and draw(st.booleans()):
        user["utc_offset"] = draw(EXTREME_INTS)
    return replace(sample, clean=False)


_SETTINGS = settings(
    max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@_SETTINGS
@given(with_extremes(native_posts()))
def test_native_posts_with_extreme_numbers_convert_to_valid_records_both_ways(sample: Sample) -> None:
    check_round_trip(sample)  # each leg's output validated; every change covered by a declared loss


@_SETTINGS
@given(with_extremes(activities()))
def test_activities_with_extreme_numbers_convert_to_valid_records_both_ways(sample: Sample) -> None:
    check_round_trip(sample)


@pytest.mark.parametrize("offset", [10**6, -(10**6), 2**63 - 1, -(2**63), 2**64 - 1])
def test_a_utc_offset_activity_streams_cannot_hold_is_a_declared_loss(offset: int) -> None:
    result = to_activity(native_post(user={**native_post()["user"], "utc_offset": offset}))
    assert "utc_offset_range" in result.losses
    assert result.to_dict()["actor"]["utcOffset"] is None
    assert_valid(result, "activity", "post")
    lossless = to_activity(native_post(user={**native_post()["user"], "utc_offset": offset}), lossless=True)
    assert to_native(lossless.to_dict(), lossless=True).to_dict()["user"]["utc_offset"] == offset


@pytest.mark.parametrize("offset", [999_999, -999_999, 0, -18_000])
def test_a_utc_offset_of_six_digits_is_carried(offset: int) -> None:
    result = to_activity(native_post(user={**native_post()["user"], "utc_offset": offset}))
    assert "utc_offset_range" not in result.losses
    assert result.to_dict()["actor"]["utcOffset"] == str(offset)


@pytest.mark.parametrize(
    "created_at",
    ["Wed Feb 30 20:19:24 +0100 2018", "Wed Oct 10 20:19:24 +9900 2018", "Wed Oct 10 20:19:24 +0100 0000"],
)
def test_a_time_no_calendar_has_is_a_record_error_that_quotes_it(created_at: str) -> None:
    with pytest.raises(RecordError, match=re.escape(f"not a possible time: {created_at!r}")):
        to_activity(native_post(created_at=created_at))


def test_convert_writes_nothing_its_own_validate_rejects(tmp_path: Path) -> None:
    feed = tmp_path / "offsets.ndjson"
    feed.write_bytes(
        b"".join(
            msgspec.json.encode(native_post(id_str=str(n), id=n, user={**native_post()["user"], "utc_offset": offset}))
            + b"\n"
            for n, offset in enumerate([10**6, -(10**7), 2**63 - 1, 3600], 1)
        )
    )
    out = tmp_path / "activity.ndjson"
    converted = CliRunner().invoke(main, ["convert", "--to", "activity", str(feed), "-o", str(out)])
    assert converted.exit_code == 0, converted.output
    assert "utc_offset_range 3" in converted.stderr
    validated = CliRunner().invoke(main, ["validate", str(out)])
    assert validated.exit_code == 0, validated.output


def test_a_retweet_whose_copy_unwinds_a_link_otherwise_declares_the_loss() -> None:
    golden = Path(__file__).resolve().parent.parent / "golden" / "retweet" / "native.json"
    post = msgspec.json.decode(golden.read_bytes())
    assert "unwound_conflict" not in to_activity(post).losses  # the copy and the original agree
    post["entities"]["urls"][0]["unwound"]["status"] = 0  # a copy that says otherwise
    result = to_activity(post)
    assert "unwound_conflict" in result.losses
    assert result.to_dict()["gnip"]["urls"][0]["expanded_status"] == 200  # the original's
