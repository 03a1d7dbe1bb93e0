"""Round-trip properties of the Enriched Native <-> X API v2 converters.

1. EN -> v2 -> EN changes only what a reported loss declares, and a second cycle changes
   nothing and reports nothing: the first gave the canonical form.
2. v2 -> EN -> v2 (lines made by ``tests/v2_strategies.py``: converted native posts, then
   varied the ways real v2 captures vary) changes only what a reported loss declares.
3. Every output decodes with its models and validates against its published JSON Schema, the
   placeholders of posts whose author or time the request did not ask for included.

"Declared" is checked as in ``test_roundtrip.py``: a differing JSON path must fall under a
``fields`` entry of a loss the conversion reported (``losses_v2.py``).
"""

from __future__ import annotations

import json
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings

from tests.strategies import Sample, activities, native_posts
from tests.test_roundtrip import covered, differences
from tests.v2_strategies import V2Sample, v2_lines
from xformat.convert import Converter, to_native
from xformat.convert.from_v2 import post_from_v2
from xformat.convert.losses import BY_CODE, TO_ACTIVITY, Direction
from xformat.convert.losses_v2 import FROM_V2, TO_V2
from xformat.convert.to_v2 import post_to_v2
from xformat.models.native import Post
from xformat.models.v2 import V2StreamLine
from xformat.registry import validator_for
from xformat.v2pages import posts_of

ENCODER = msgspec.json.Encoder()
NATIVE_EMBEDDING = ("retweeted_status", "quoted_status")
# v2 has no embedding: a line's posts are data and includes.tweets; from_v2 fields name a
# post's members data.* for both (see _as_post_paths).
V2_EMBEDDING: tuple[str, ...] = ()


def _settings(n: int) -> settings:
    return settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def to_v2(native: Any) -> tuple[Any, list[str]]:
    """A native post (JSON) as a v2 stream line (JSON), validated, and the losses."""
    losses: list[str] = []
    line = post_to_v2(msgspec.convert(native, Post), losses)
    raw = ENCODER.encode(line)
    msgspec.json.decode(raw, type=V2StreamLine)
    data = json.loads(raw)
    errors = [f"{e.json_path}: {e.message}" for e in validator_for("v2-stream-line").iter_errors(data)]
    assert not errors, errors
    return data, losses


def from_v2(line: Any) -> tuple[Any, list[str]]:
    """The post of a v2 stream line (JSON) as a native post (JSON), validated, and the losses."""
    losses: list[str] = []
    (bundle,) = posts_of(msgspec.convert(line, V2StreamLine))
    raw = ENCODER.encode(post_from_v2(bundle, losses))
    msgspec.json.decode(raw, type=Post)
    data = json.loads(raw)
    errors = [f"{e.json_path}: {e.message}" for e in validator_for("native-post").iter_errors(data)]
    assert not errors, errors
    return data, losses


def undeclared(
    before: Any, after: Any, losses: list[str], direction: Direction, embedding: tuple[str, ...]
) -> list[str]:
    fields = [f for code in set(losses) for f in BY_CODE[(direction, code)].fields]
    return sorted(
        ".".join(map(str, path))
        for path in differences(before, after)
        if not any(covered(p, fields, embedding) for p in _as_post_paths(path))
    )


def _as_post_paths(path: tuple[str | int, ...]) -> list[tuple[str | int, ...]]:
    """A path, and for a member of an included post also the ``data.*`` path the fields use."""
    if path[:2] == ("includes", "tweets") and len(path) > 3:
        return [path, ("data", *path[3:])]
    return [path]


@_settings(400)
@given(native_posts())
def test_native_v2_native_loses_only_what_is_declared_and_settles(sample: Sample) -> None:
    line, there = to_v2(sample.data)
    once, back = from_v2(line)
    gaps = undeclared(json.loads(json.dumps(sample.data)), once, there, TO_V2, NATIVE_EMBEDDING)
    assert not gaps, f"changed without a declared loss: {gaps}; losses {sorted(set(there))} / {sorted(set(back))}"
    source = sample.data
    if "extended_tweet" in source and "note_tweet" not in line["data"]:
        # A long post comes back as one text: exactly its full text, entities and media.
        ext = source["extended_tweet"]
        whole = {"text": ext["full_text"], "entities": ext["entities"]}
        for key in ("extended_entities", "display_text_range"):
            if key in ext:
                whole[key] = ext[key]
        came = {
            key: once[key] for key in ("text", "entities", "extended_entities", "display_text_range") if key in once
        }
        others = [code for code in there if code != "long_post_form"]
        gaps = undeclared(json.loads(json.dumps(whole)), came, others, TO_V2, NATIVE_EMBEDDING)
        assert not gaps, f"the long post's text changed: {gaps}; losses {sorted(set(others))}"
    line_again, there_again = to_v2(once)
    twice, back_again = from_v2(line_again)
    # The second cycle loses nothing; v2 may still lack what native never had (a replied-to
    # user whose screen name the first cycle could not carry, a quote of an unavailable post).
    assert there_again == [] and set(back_again) <= {"object_not_included", "post_not_included"}, back_again
    assert not differences(once, twice)
    assert line_again == to_v2(twice)[0]


@_settings(300)
@given(v2_lines())
def test_v2_native_v2_loses_only_what_is_declared(sample: V2Sample) -> None:
    native, there = from_v2(sample.line)
    back, _ = to_v2(native)
    gaps = undeclared(sample.line, back, there, FROM_V2, V2_EMBEDDING)
    assert not gaps, f"changed without a declared loss: {gaps}; losses {sorted(set(there))} ({sample.notes})"
    if sample.clean:  # only what the native post itself lacked (see the first property)
        assert set(there) <= {"object_not_included", "post_not_included"} and back == sample.line


# --- Activity Streams -> v2 -> Activity Streams, through the pipeline's converter -----------------


def _fields(losses: tuple[str, ...], direction: Direction) -> list[str]:
    """Fields of the reported codes that ``direction`` declares (a result of two legs reports
    the codes of both: those of the other leg are not this one's)."""
    return [f for code in losses if (direction, code) in BY_CODE for f in BY_CODE[(direction, code)].fields]


def _as_via_v2(activity: Any) -> tuple[Any, tuple[str, ...], tuple[str, ...]]:
    """An activity (JSON) converted to a v2 stream line and back, by the converter the commands
    use: (the activity, the losses of each way); both outputs validated."""
    line = json.loads(Converter("v2").convert_raw(ENCODER.encode(activity)).output or b"null")
    errors = [f"{e.json_path}: {e.message}" for e in validator_for("v2-stream-line").iter_errors(line)]
    assert not errors, errors
    there = Converter("v2").convert_raw(ENCODER.encode(activity)).losses
    outcome = Converter("activity").convert_raw(ENCODER.encode(line))
    assert outcome.parts is not None and len(outcome.parts) == 1
    back = json.loads(outcome.parts[0].output or b"null")
    errors = [f"{e.json_path}: {e.message}" for e in validator_for("activity").iter_errors(back)]
    assert not errors, errors
    return back, there, outcome.losses


@_settings(200)
@given(activities())
def test_activity_v2_activity_loses_only_what_is_declared_and_settles(sample: Sample) -> None:
    back, there, returned = _as_via_v2(sample.data)
    # Compared on the hub, where both legs' fields are paths: the native post of the activity,
    # and that of what came back. EN -> v2 and EN -> AS declare what differs (their fields are
    # native paths; v2 -> EN of what EN -> v2 wrote, and AS -> EN, add nothing of their own).
    before = json.loads(to_native(sample.data).json())
    after = json.loads(to_native(back).json())
    fields = _fields(there, TO_V2) + _fields(returned, TO_ACTIVITY)
    gaps = sorted(
        ".".join(map(str, path))
        for path in differences(before, after)
        if not covered(path, fields, NATIVE_EMBEDDING)
    )
    assert not gaps, f"changed without a declared loss: {gaps}; losses {there} / {returned}"
    # Settled: what came back makes the same cycle unchanged (its v2 line may differ from the
    # first one by what the first cycle lost, such as counts of posts embedded twice).
    again, _, _ = _as_via_v2(back)
    assert not differences(back, again), differences(back, again)
