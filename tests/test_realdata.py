"""The converters over real archives: ``../shared/realdata`` beside the repository (its README.md).

Real payloads stay outside the project; these tests read them when they are there (CI has them)
and skip, saying why, when they are not (a fresh clone). Every record of the EN, AS, non-post,
raw-file and pair folders must be converted or recognised as a known non-post, never rejected:

- each conversion's output decodes with the models and validates against its JSON Schema;
- converting it back gives the source again except where a declared loss covers the difference
  (the round-trip check of ``test_roundtrip``), and exactly in lossless mode;
- each pair (the same post in both formats, from X's documentation) converts to its other side,
  leaf by leaf, except declared losses and the documented residue of the documentation itself.

The v2 folder is out of scope here.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import msgspec
import pytest

from tests.conftest import ROOT
from tests.test_roundtrip import convert_event, differences, undeclared
from xformat.convert import Converted, to_activity, to_native
from xformat.convert.events import event_links
from xformat.convert.losses import TO_ACTIVITY, TO_NATIVE
from xformat.decoding import decode
from xformat.models import ComplianceActivity, ErrorNotice, InfoNotice, WarnNotice
from xformat.records import Record, iter_records
from xformat.registry import validator_for
from xformat.validate import SCHEMA_NAMES

REALDATA = ROOT.parent / "shared" / "realdata"
pytestmark = pytest.mark.skipif(
    not REALDATA.is_dir(), reason=f"no real payloads at {REALDATA} (they live beside the repository, not in it)"
)

# The format of the posts each folder holds. Detection still looks for "verb" near the start of a
# record, and real records put it anywhere, so the tests pass the format; once detection decides
# from content (work in progress), these should call decode(raw) without it.
POST_FOLDERS: dict[str, str] = {"activity-streams": "activity", "native": "native", "raw-files": "activity"}
OTHER: dict[str, str] = {"native": "activity", "activity": "native"}
CONVERT: dict[str, Callable[..., Converted]] = {"native": to_activity, "activity": to_native}
DIRECTION = {"native": TO_ACTIVITY, "activity": TO_NATIVE}  # the direction that reads a format


def records(folder: str) -> Iterator[Record]:
    for path in sorted((REALDATA / folder).iterdir()):
        if path.suffix in (".json", ".jsonl"):
            yield from iter_records([str(path)])


def valid(raw: bytes, schema: str) -> list[str]:
    """The JSON Schema's errors for ``raw`` (empty when valid)."""
    return [f"{e.json_path}: {e.message}" for e in validator_for(schema).iter_errors(json.loads(raw))]


def check_post_or_deletion(raw: bytes, fmt: str) -> list[str]:
    """Problems converting one post or deletion of ``fmt``, there and back (empty when none)."""
    decoded = decode(raw, fmt)
    source = json.loads(raw)
    target = OTHER[fmt]
    there = CONVERT[fmt](raw)
    problems = valid(there.json(), SCHEMA_NAMES[target, decoded.kind])
    # the round trip gives back the source, except where a reported loss covers the difference
    back = CONVERT[target](there.json())
    problems += valid(back.json(), SCHEMA_NAMES[fmt, decoded.kind])
    legs = ((DIRECTION[fmt], there), (DIRECTION[target], back))
    gaps = undeclared(source, json.loads(back.json()), fmt, *legs)
    problems += [f"changed without a declared loss: {gaps} ({there.losses} / {back.losses})"] if gaps else []
    # lossless mode: exact, unknown fields included
    patched = CONVERT[fmt](raw, lossless=True)
    problems += valid(patched.json(), SCHEMA_NAMES[target, decoded.kind])
    changed = differences(source, json.loads(CONVERT[target](patched.json()).json()))
    return problems + ([f"lossless round trip differs at {changed}"] if changed else [])


@pytest.mark.parametrize("folder", sorted(POST_FOLDERS))
def test_every_post_and_deletion_converts_both_ways(folder: str) -> None:
    counts: Counter[str] = Counter()
    problems = []
    for record in records(folder):
        if not record.raw:
            counts["keep-alive"] += 1
            continue
        fmt = POST_FOLDERS[folder]
        if decode(record.raw, fmt).kind == "info":  # a Historical PowerTrack file's last line
            counts["non-post"] += 1
            continue
        problems += [f"{record.where}: {p}" for p in check_post_or_deletion(record.raw, fmt)]
        counts["converted"] += 1
    assert not problems, "\n".join(problems)
    assert counts["converted"] > 0, f"no record in {folder}"


# --- non-posts: compliance events and system messages ---------------------------------------

SYSTEM_MESSAGES = {
    "info": (InfoNotice, "feed-info"),
    "warn": (WarnNotice, "feed-warn"),
    "error": (ErrorNotice, "feed-error"),
}


def non_post_kind(data: dict[str, Any]) -> str:
    """What a line of the non-post folder is. Detection does not know compliance events and
    system messages yet (work in progress); once it does, this should be its answer."""
    if "verb" in data:
        return "activity-delete" if data["verb"] == "delete" else "activity-compliance"
    if len(data) == 1 and next(iter(data)) in SYSTEM_MESSAGES:
        return "system-message"
    return "native-delete" if "delete" in data else "native-compliance"


def check_compliance_event(raw: bytes, kind: str) -> list[str]:
    """Problems converting one compliance event there and back (empty when none)."""
    source = json.loads(raw)
    fmt: str = "native" if kind == "native-compliance" else "activity"
    domain = "twitter.com" if fmt == "native" else event_links(msgspec.json.decode(raw, type=ComplianceActivity)).domain
    there = convert_event(source, fmt)
    if there.value is None:  # drop, undrop: no Activity Streams form, and declared so
        return [] if there.losses == ("no_activity_form",) else [f"no Activity Streams form but losses {there.losses}"]
    produced = msgspec.to_builtins(there.value)
    problems = valid(msgspec.json.encode(produced), f"{OTHER[fmt]}-compliance")
    back = convert_event(produced, OTHER[fmt], domain)
    result = msgspec.to_builtins(back.value)
    problems += valid(msgspec.json.encode(result), kind)
    legs = ((DIRECTION[fmt], there), (DIRECTION[OTHER[fmt]], back))
    gaps = undeclared(source, result, fmt, *legs)
    return problems + ([f"changed without a declared loss: {gaps} ({there.losses} / {back.losses})"] if gaps else [])


def test_every_non_post_is_converted_or_known() -> None:
    counts: Counter[str] = Counter()
    problems = []
    for record in records("non-posts"):
        data = json.loads(record.raw)
        kind = non_post_kind(data)
        if kind == "system-message":
            model, schema = SYSTEM_MESSAGES[next(iter(data))]
            msgspec.json.decode(record.raw, type=model)
            problems += [f"{record.where}: {p}" for p in valid(record.raw, schema)]
            counts["non-post"] += 1
        elif kind.endswith("delete"):
            fmt: str = "native" if kind.startswith("native") else "activity"
            problems += [f"{record.where}: {p}" for p in check_post_or_deletion(record.raw, fmt)]
            counts["converted"] += 1
        else:
            problems += [f"{record.where}: {p}" for p in check_compliance_event(record.raw, kind)]
            counts["converted"] += 1
    assert not problems, "\n".join(problems)
    assert counts["converted"] and counts["non-post"], counts


# --- pairs: the same post in both formats -------------------------------------------------------


def rebranded(a: Any, b: Any) -> bool:
    """Whether two strings differ only by the documentation's re-branding ("Twitter" became "X" in
    texts and unwound titles after capture, on one side of a pair and not the other)."""
    return isinstance(a, str) and isinstance(b, str) and a.replace("Twitter", "X") == b.replace("Twitter", "X")


def _at(value: Any, path: str) -> Any:
    for step in path.split("."):
        value = value[int(step)] if isinstance(value, list) else value.get(step) if isinstance(value, dict) else None
    return value


def pairs() -> list[dict[str, Any]]:
    lines = (REALDATA / "pairs" / "docs_2020_pairs.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.mark.parametrize("index", range(7))
def test_each_pair_converts_to_its_other_side(index: int) -> None:
    pair = pairs()[index]
    there, back = to_activity(pair["en"]), to_native(pair["as"])
    legs = ((TO_ACTIVITY, there), (TO_NATIVE, back))
    for produced, expected, fmt in ((there, pair["as"], "activity"), (back, pair["en"], "native")):
        assert not valid(produced.json(), SCHEMA_NAMES[fmt, "post"])
        got = json.loads(produced.json())
        # The loss of either direction may explain a difference: what one side holds and the other
        # cannot is missing from the conversion of the other (AS actor milliseconds, EN counts...).
        gaps = [p for p in undeclared(expected, got, fmt, *legs) if not rebranded(_at(got, p), _at(expected, p))]
        assert not gaps, f"{pair['source']}: {fmt} differs at {gaps}"


def test_the_pairs_file_holds_the_seven_examples() -> None:
    assert len(pairs()) == 7


def test_rebranding_is_the_only_residue_and_it_is_real() -> None:
    """The residue allowed above exists (so the allowance is not dead) and is only that."""
    residue = []
    for pair in pairs():
        there, back = to_activity(pair["en"]), to_native(pair["as"])
        got = json.loads(there.json())
        residue += [(p, _at(got, p), _at(pair["as"], p)) for p in
                    undeclared(pair["as"], got, "activity", (TO_ACTIVITY, there), (TO_NATIVE, back))]  # fmt: skip
    assert residue, "the allowance for re-branded texts is not needed any more"
    assert all(rebranded(ours, theirs) for _, ours, theirs in residue), residue


def test_the_test_sees_the_folders() -> None:
    assert {p.name for p in REALDATA.iterdir() if p.is_dir()} >= {*POST_FOLDERS, "non-posts", "pairs"}
