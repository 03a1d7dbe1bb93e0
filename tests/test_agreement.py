"""The agreement property: the msgspec decode and the published JSON Schemas say the same.

Records are generated from the structs themselves (``tests/model_strategies.py``: every field,
every type it allows) and, realistic ones, by ``tests/strategies.py``; both must be valid for
both. Then one thing is broken: a required member deleted, a member given a JSON type its
model does not allow, a pattern broken, a tag or Literal given another value, a tag deleted, an
unknown member added. Both must give the same verdict, and the verdict the mutation implies.
An unknown member must stay valid, and only strict validation may flag it, at its path.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any, NamedTuple

import msgspec
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests import strategies as realistic
from tests.conftest import examples, golden_cases, load_json
from tests.model_strategies import (
    JSON_TYPES,
    ObjectSite,
    Site,
    allowed_types,
    breaks,
    literal_values,
    model_values,
    pattern_of,
    sites,
)
from xformat.decoding import decode
from xformat.errors import RecordError
from xformat.formats import FORMATS
from xformat.formats.native import EVENTS
from xformat.models import (
    Activity,
    ComplianceActivity,
    ComplianceNotice,
    DeleteActivity,
    DeleteNotice,
    ErrorNotice,
    InfoNotice,
    Post,
    WarnNotice,
)
from xformat.records import Record
from xformat.registry import validator_for
from xformat.validate import SCHEMA_NAMES, validate_records

EXAMPLES = settings(
    max_examples=examples(300),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


class Kind_(NamedTuple):
    model: type
    format: str
    kind: str

    @property
    def schema(self) -> str:
        return SCHEMA_NAMES[self.format, self.kind]


KINDS = [
    Kind_(Post, "native", "post"),
    Kind_(Activity, "activity", "post"),
    Kind_(DeleteNotice, "native", "delete"),
    Kind_(DeleteActivity, "activity", "delete"),
    Kind_(InfoNotice, "native", "info"),
    Kind_(ComplianceNotice, "native", "compliance"),
    Kind_(ComplianceActivity, "activity", "compliance"),
    Kind_(WarnNotice, "native", "warn"),
    Kind_(ErrorNotice, "native", "error"),
]
TELLING = frozenset().union(*(fmt.telling | fmt.signature for fmt in FORMATS))
"""Top-level members that tell formats and kinds apart: an unknown member is never one of them."""
REALISTIC = {
    Post: realistic.native_posts().map(lambda s: s.data),
    Activity: realistic.activities().map(lambda s: s.data),
    DeleteNotice: realistic.native_deletes().map(lambda s: s.data),
    DeleteActivity: realistic.activity_deletes().map(lambda s: s.data),
    ComplianceNotice: realistic.native_compliance_events().map(lambda s: s.data),
    ComplianceActivity: realistic.activity_compliance_events().map(lambda s: s.data),
}


def by_msgspec(data: Any, kind: Kind_) -> bool:
    try:
        return decode(msgspec.json.encode(data), kind.format).kind == kind.kind
    except RecordError:
        return False


def by_schema(data: Any, kind: Kind_) -> bool:
    # Parsed back from its bytes, as validation does: the JSON, not the Python value, is judged.
    return bool(validator_for(kind.schema).is_valid(msgspec.json.decode(msgspec.json.encode(data))))


def generated(kind: Kind_) -> st.SearchStrategy[Any]:
    """Values of the kind's model. A native compliance event is an object with exactly one member
    named for its event, which its model (every event optional) and its schema cannot say: the
    decode checks it after the model's (``Kind.rule``), so other values are left out here."""
    values = model_values(kind.model)
    if kind.model is ComplianceNotice:
        return values.filter(lambda value: len(EVENTS.intersection(value)) == 1)
    return values


@cache
def records(kind: Kind_) -> st.SearchStrategy[Any]:
    values = generated(kind)
    return st.one_of(values, REALISTIC[kind.model]) if kind.model in REALISTIC else values


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.schema)
@EXAMPLES
@given(data=st.data())
def test_generated_records_are_valid_for_both(kind: Kind_, data: st.DataObject) -> None:
    value = data.draw(records(kind))
    assert by_msgspec(value, kind), value
    assert by_schema(value, kind), list(validator_for(kind.schema).iter_errors(value))


# --- mutations ------------------------------------------------------------------------------------


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


def _replace(value: Any, path: tuple[str | int, ...], new: Any) -> Any:
    out = copy.deepcopy(value)
    _at(out, path[:-1])[path[-1]] = new
    return out


def _other_type(draw: Any, site: Site) -> Any:
    kind = draw(st.sampled_from([t for t in JSON_TYPES if t not in allowed_types(site.info)]))
    examples = {
        "string": st.just("x"),
        "integer": st.integers(),
        "float": st.sampled_from([2.0, 0.5, -1e20]),  # 2.0 too: the models never take it for an int
        "boolean": st.booleans(),
        "null": st.none(),
        "object": st.just({}),
        "array": st.just([]),
    }
    return draw(examples[kind])


class Mutant(NamedTuple):
    value: Any
    what: str
    valid: bool | None  # the verdict the mutation implies; None: only agreement is required


@st.composite
def mutants(draw: Any, kind: Kind_) -> Mutant:
    value = draw(records(kind))
    members, objects = sites(value, kind.model)
    required = [s for s in members if s.required and isinstance(s.path[-1], str)]
    typed = [s for s in members if set(allowed_types(s.info)) != set(JSON_TYPES)]
    patterned = [s for s in members if pattern_of(s.info) and isinstance(_at(value, s.path), str)]
    literal = [s for s in members if literal_values(s.info) and isinstance(_at(value, s.path), str)]
    tagged = [o for o in objects if o.info.tag_field and o.info.tag_field in _at(value, o.path)]
    choices = [name for name, found in [
        ("required", required), ("type", typed), ("pattern", patterned), ("literal", literal), ("tag", tagged)
    ] if found] + ["unknown"]  # fmt: skip
    what = draw(st.sampled_from(choices))
    if what == "required":
        site = draw(st.sampled_from(required))
        out = copy.deepcopy(value)
        del _at(out, site.path[:-1])[site.path[-1]]
        return Mutant(out, f"deleted {site.path}", False)
    if what == "type":
        site = draw(st.sampled_from(typed))
        return Mutant(_replace(value, site.path, _other_type(draw, site)), f"retyped {site.path}", False)
    if what == "pattern":
        site = draw(st.sampled_from(patterned))
        pattern = pattern_of(site.info)
        assert pattern is not None
        text = draw(st.text(max_size=25).filter(lambda t: breaks(pattern, t)))
        return Mutant(_replace(value, site.path, text), f"pattern broken at {site.path}", False)
    if what == "literal":
        site = draw(st.sampled_from(literal))
        other = draw(st.text(max_size=10).filter(lambda t: t not in literal_values(site.info)))
        return Mutant(_replace(value, site.path, other), f"literal {site.path}", False)
    if what == "tag":
        target: ObjectSite = draw(st.sampled_from(tagged))
        tag_path = (*target.path, target.info.tag_field or "")
        if draw(st.booleans()):
            other = draw(st.text(max_size=10).filter(lambda t: t != target.info.tag))
            return Mutant(_replace(value, tag_path, other), f"tag {tag_path}", False)
        out = copy.deepcopy(value)
        del _at(out, target.path)[target.info.tag_field]
        return Mutant(out, f"tag deleted at {tag_path}", None)  # required only where it discriminates
    target = draw(st.sampled_from(objects))
    name = draw(st.text(min_size=1, max_size=8).filter(lambda n: n not in target.names))
    out = copy.deepcopy(value)
    _at(out, target.path)[name] = draw(st.integers() | st.text(max_size=5))
    return Mutant(out, f"unknown {name!r} at {target.path}", True)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.schema)
@EXAMPLES
@given(data=st.data())
def test_mutated_records_get_the_same_verdict_from_both(kind: Kind_, data: st.DataObject) -> None:
    mutant = data.draw(mutants(kind))
    event(mutant.what.split()[0])
    verdict = by_msgspec(mutant.value, kind)
    assert by_schema(mutant.value, kind) == verdict, mutant.what
    if mutant.valid is not None:
        assert verdict == mutant.valid, mutant.what


def _json_path(path: tuple[str | int, ...]) -> str:
    return "$" + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.schema)
@EXAMPLES
@given(data=st.data())
def test_an_unknown_member_is_valid_and_only_strict_validation_flags_it(kind: Kind_, data: st.DataObject) -> None:
    value = data.draw(generated(kind))  # the mutation test adds unknown members to realistic ones
    _, objects = sites(value, kind.model)
    target = data.draw(st.sampled_from(objects))
    names = st.from_regex(r"[a-z_]{1,8}", fullmatch=True)
    name = data.draw(names.filter(lambda n: n not in target.names and (target.path or n not in TELLING)))
    mutated = copy.deepcopy(value)
    _at(mutated, target.path)[name] = data.draw(st.integers() | st.text(max_size=5) | st.none())
    raw = msgspec.json.encode(mutated)
    expected = _json_path((*target.path, name))

    assert decode(raw, kind.format).unknown == (expected,)
    assert by_schema(mutated, kind)
    lenient, strict = (
        next(validate_records([Record("t.ndjson", 1, raw)], kind.format, strict=flag)) for flag in (False, True)
    )
    assert lenient.valid and (lenient.format, lenient.kind) == (kind.format, kind.kind)
    assert [(issue.path, issue.reason) for issue in strict.errors] == [(expected, "unknown field")]


def _golden_records() -> list[tuple[str, Any]]:
    return [
        (f"{case.name}/{path.name}", load_json(path))
        for case in golden_cases()
        for path in sorted(case.glob("*.json"))
        if path.name.startswith(("native", "activity"))
    ]


@pytest.mark.skipif(not golden_cases(), reason="no golden corpus")
@pytest.mark.parametrize(("name", "value"), _golden_records(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_golden_record_is_valid_for_both(name: str, value: Any) -> None:
    fmt = "native" if name.split("/")[1].startswith("native") else "activity"
    decoded = decode(msgspec.json.encode(value))  # detected: the format and kind must be found
    assert (decoded.format, decoded.unknown) == (fmt, ())
    assert list(validator_for(SCHEMA_NAMES[fmt, decoded.kind]).iter_errors(value)) == []
    if name.startswith("compliance_"):
        expected_kind = "compliance"
    else:
        expected_kind = "delete" if "delete" in value or value.get("verb") == "delete" else "post"
    assert decoded.kind == expected_kind
