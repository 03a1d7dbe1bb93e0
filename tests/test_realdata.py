"""The converters over real archives: ``../shared/realdata`` beside the repository (its README.md).

Real payloads stay outside the project; these tests read them when they are there (CI has them)
and skip, saying why, when they are not (a fresh clone). Every record of the EN, AS, non-post,
raw-file and pair folders must be detected (its format and kind found from its content) and
converted or recognised as a known non-post, never rejected:

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

import pytest

from tests.conftest import ROOT
from tests.test_roundtrip import differences, undeclared
from xformat import formats
from xformat.convert import Converted, to_activity, to_native
from xformat.convert.losses import TO_ACTIVITY, TO_NATIVE
from xformat.decoding import decode
from xformat.records import Record, iter_records
from xformat.registry import validator_for
from xformat.validate import SCHEMA_NAMES

REALDATA = ROOT.parent / "shared" / "realdata"
pytestmark = pytest.mark.skipif(
    not REALDATA.is_dir(), reason=f"no real payloads at {REALDATA} (they live beside the repository, not in it)"
)

# The format of the posts each folder holds: what detection must find, from each record's content.
POST_FOLDERS: dict[str, str] = {"activity-streams": "activity", "native": "native", "raw-files": "activity"}
OTHER: dict[str, str] = {"native": "activity", "activity": "native"}
CONVERT: dict[str, Callable[..., Converted]] = {"native": to_activity, "activity": to_native}
DIRECTION = {"native": TO_ACTIVITY, "activity": TO_NATIVE}  # the direction that reads a format
SYSTEM_MESSAGES = ("info", "warn", "error")


def records(folder: str) -> Iterator[Record]:
    for path in sorted((REALDATA / folder).iterdir()):
        if path.suffix in (".json", ".jsonl"):
            yield from iter_records([str(path)])


def valid(raw: bytes, schema: str) -> list[str]:
    """The JSON Schema's errors for ``raw`` (empty when valid)."""
    return [f"{e.json_path}: {e.message}" for e in validator_for(schema).iter_errors(json.loads(raw))]


def back_to(fmt: str, raw: bytes, domain: str | None, **options: Any) -> Converted:
    """``raw`` converted to ``fmt``, IRIs in ``domain`` (the source's) when ``fmt`` writes any."""
    if fmt == "activity":
        return to_activity(raw, domain=domain or "twitter.com", **options)
    return to_native(raw, **options)


def check_record(raw: bytes) -> list[str]:
    """Problems converting one post, deletion or compliance event there and back (empty when
    none); its format and kind are detected."""
    decoded = decode(raw)
    fmt, kind = decoded.format, decoded.kind
    source = json.loads(raw)
    target = OTHER[fmt]
    domain = formats.get(fmt).domain_of(decoded.value)
    there = CONVERT[fmt](raw)
    if there.value is None:  # a native drop or undrop: no Activity Streams form, and declared so
        return [] if there.losses == ("no_activity_form",) else [f"no {target} form but losses {there.losses}"]
    problems = valid(there.json(), SCHEMA_NAMES[target, kind])
    # the round trip gives back the source, except where a reported loss covers the difference
    back = back_to(fmt, there.json(), domain)
    problems += valid(back.json(), SCHEMA_NAMES[fmt, kind])
    legs = ((DIRECTION[fmt], there), (DIRECTION[target], back))
    gaps = undeclared(source, json.loads(back.json()), fmt, *legs)
    problems += [f"changed without a declared loss: {gaps} ({there.losses} / {back.losses})"] if gaps else []
    # lossless mode: exact, unknown fields included
    patched = CONVERT[fmt](raw, lossless=True)
    problems += valid(patched.json(), SCHEMA_NAMES[target, kind])
    changed = differences(source, json.loads(back_to(fmt, patched.json(), domain).json()))
    return problems + ([f"lossless round trip differs at {changed}"] if changed else [])


@pytest.mark.parametrize("folder", sorted(POST_FOLDERS))
def test_every_post_and_deletion_converts_both_ways(folder: str) -> None:
    counts: Counter[str] = Counter()
    problems = []
    for record in records(folder):
        if not record.raw:
            counts["keep-alive"] += 1
            continue
        decoded = decode(record.raw)
        if decoded.kind in SYSTEM_MESSAGES:  # a Historical PowerTrack file's last line
            counts["non-post"] += 1
            continue
        if decoded.format != POST_FOLDERS[folder]:
            problems.append(f"{record.where}: detected as {decoded.format}, not {POST_FOLDERS[folder]}")
        problems += [f"{record.where}: {p}" for p in check_record(record.raw)]
        counts["converted"] += 1
    assert not problems, "\n".join(problems)
    assert counts["converted"] > 0, f"no record in {folder}"


# --- non-posts: compliance events and system messages ---------------------------------------


def test_every_non_post_is_converted_or_known() -> None:
    counts: Counter[str] = Counter()
    problems = []
    for record in records("non-posts"):
        decoded = decode(record.raw)
        counts[decoded.kind] += 1
        if decoded.kind in SYSTEM_MESSAGES:  # the same in every format: nothing to convert
            problems += [f"{record.where}: {p}" for p in valid(record.raw, SCHEMA_NAMES[decoded.format, decoded.kind])]
        else:
            problems += [f"{record.where}: {p}" for p in check_record(record.raw)]
    assert not problems, "\n".join(problems)
    assert counts["compliance"] and counts["delete"] and all(counts[kind] for kind in SYSTEM_MESSAGES), counts


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
