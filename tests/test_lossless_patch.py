"""The lossless patch: diff then apply gives the source back exactly."""

from __future__ import annotations

from typing import Any

import pytest

from xformat.convert.lossless import apply, diff

CASES: list[tuple[Any, Any]] = [
    ({"a": 1, "b": [1, 2]}, {"a": 1, "b": [1, 2]}),
    ({"a": 1}, {"a": 1.0}),
    ({"a": True}, {"a": 1}),
    ({"a": None}, {}),
    ({}, {"a": None}),
    ({"a": [1, {"b": 2}]}, {"a": [1, {"b": 3, "c": 4}]}),
    ({"a": [1, 2, 3]}, {"a": [1, 2]}),
    ({"a": {"b": {"c": "x"}}}, {"a": "flat"}),
    ([1, 2], {"not": "a list"}),
]


@pytest.mark.parametrize(("source", "produced"), CASES)
def test_apply_of_diff_restores_the_source(source: Any, produced: Any) -> None:
    identical = repr(source) == repr(produced)
    sets, unsets = diff(source, produced)
    restored = apply(produced, sets, unsets)
    assert repr(restored) == repr(source)  # repr: 1, 1.0 and True must not pass for each other
    assert ((sets, unsets) == ([], [])) == identical
