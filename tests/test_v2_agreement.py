"""The agreement property for the v2 models: the msgspec decode and the published JSON Schemas
say the same (see ``test_agreement.py``, whose generators and mutations these reuse).

Values are generated from the structs (every field, every type it allows) and, realistic ones,
by ``tests/v2_strategies.py``; both must be valid for both. Then one thing is broken: a required
member deleted, a member given a JSON type its model does not allow, a pattern broken, a
Literal given another value, an unknown member added (valid for both: the decoding layer strips
and reports what the structs forbid, the schemas tolerate it).
"""

from __future__ import annotations

import copy
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.model_strategies import JSON_TYPES, allowed_types, breaks, literal_values, model_values, pattern_of, sites
from tests.strategies import path_steps
from tests.test_agreement import _at, _other_type, _replace
from tests.v2_strategies import flatten, v2_lines
from xformat.decoding import unknown_fields
from xformat.models import v2
from xformat.registry import validator_for

EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
MODELS: dict[str, type[msgspec.Struct]] = {
    "v2-page": v2.V2Page,
    "v2-stream-line": v2.V2StreamLine,
    "v2-flat-post": v2.V2FlatPost,
    "v2-compliance-jobs": v2.V2ComplianceJobs,
    "v2-compliance-result": v2.V2ComplianceResult,
}
REALISTIC = {
    "v2-stream-line": v2_lines().map(lambda s: s.line),
    "v2-page": v2_lines().map(lambda s: s.line),
    "v2-flat-post": v2_lines().map(lambda s: flatten(s.line)[0]),
}


def by_msgspec(value: Any, model: type[msgspec.Struct]) -> bool:
    """The verdict of the decode, with unknown members stripped as the decoding layer does."""
    data = msgspec.json.decode(msgspec.json.encode(value))
    for path in sorted(unknown_fields(data, model), key=len, reverse=True):
        *parent, name = path_steps(path)
        del _at(data, tuple(parent))[name]
    try:
        msgspec.convert(data, model, strict=True)
    except msgspec.ValidationError:
        return False
    return True


def by_schema(value: Any, name: str) -> bool:
    return bool(validator_for(name).is_valid(msgspec.json.decode(msgspec.json.encode(value))))


def values(name: str) -> st.SearchStrategy[Any]:
    generated = model_values(MODELS[name])
    return st.one_of(generated, REALISTIC[name]) if name in REALISTIC else generated


@pytest.mark.parametrize("name", sorted(MODELS))
@EXAMPLES
@given(data=st.data())
def test_generated_values_are_valid_for_both(name: str, data: st.DataObject) -> None:
    value = data.draw(values(name))
    assert by_msgspec(value, MODELS[name]), value
    assert by_schema(value, name), list(validator_for(name).iter_errors(value))[:3]


@pytest.mark.parametrize("name", sorted(MODELS))
@EXAMPLES
@given(data=st.data())
def test_mutated_values_get_the_same_verdict_from_both(name: str, data: st.DataObject) -> None:
    model = MODELS[name]
    value = data.draw(values(name))
    members, objects = sites(value, model)
    required = [s for s in members if s.required and isinstance(s.path[-1], str)]
    typed = [s for s in members if allowed_types(s.info) != set(JSON_TYPES)]
    patterned = [s for s in members if pattern_of(s.info) and isinstance(_at(value, s.path), str)]
    literal = [s for s in members if literal_values(s.info) and isinstance(_at(value, s.path), str)]
    choices = [kind for kind, found in (("required", required), ("type", typed), ("pattern", patterned),
                                        ("literal", literal)) if found] + ["unknown"]  # fmt: skip
    what = data.draw(st.sampled_from(choices))
    event(what)
    valid = False
    if what == "required":
        site = data.draw(st.sampled_from(required))
        mutated = copy.deepcopy(value)
        del _at(mutated, site.path[:-1])[site.path[-1]]
    elif what == "type":
        site = data.draw(st.sampled_from(typed))
        mutated = _replace(value, site.path, _other_type(data.draw, site))
    elif what == "pattern":
        site = data.draw(st.sampled_from(patterned))
        pattern = pattern_of(site.info)
        assert pattern is not None
        mutated = _replace(value, site.path, data.draw(st.text(max_size=25).filter(lambda t: breaks(pattern, t))))
    elif what == "literal":
        site = data.draw(st.sampled_from(literal))
        other = data.draw(st.text(max_size=10).filter(lambda t: t not in literal_values(site.info)))
        mutated = _replace(value, site.path, other)
    else:
        target = data.draw(st.sampled_from(objects))
        member = data.draw(st.from_regex(r"[a-z_]{1,8}", fullmatch=True).filter(lambda n: n not in target.names))
        mutated = copy.deepcopy(value)
        _at(mutated, target.path)[member] = data.draw(st.integers() | st.text(max_size=5))
        valid = True
    verdict = by_msgspec(mutated, model)
    assert by_schema(mutated, name) == verdict, what
    assert verdict == valid, what
