"""How a record's faults are said to people: one wording, whoever finds the fault.

The decode (msgspec: ``convert``, ``ids``, ``comply``, the library) and the schemas (jsonschema:
``validate``) find the same faults and say them each in their own words, a regular expression
among them. Both are said here alike: ``expected a time like Wed Oct 10 20:19:24 +0000 2018``,
``expected a string, got an integer``, ``missing required field 'user'``. What a pattern
expects is said where the pattern is defined (``Meta(extra={"expected": ...})`` in
``xformat.models``); these run on the failure path only.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from msgspec import inspect as mi

__all__ = ["a", "count", "decode_reason", "schema_reason", "shown"]

_NOUNS = {
    "str": "a string",
    "string": "a string",
    "int": "an integer",
    "integer": "an integer",
    "float": "a number",
    "number": "a number",
    "bool": "true or false",
    "boolean": "true or false",
    "null": "null",
    "object": "an object",
    "array": "an array",
}

_EXPECTED_GOT = re.compile(r"Expected `(?P<expected>[^`]*)`, got `(?P<got>[^`]*)`")
_MATCHING = re.compile(r"Expected `str` matching regex (?P<pattern>'.*')", re.S)
_MISSING = re.compile(r"Object missing required field `(?P<name>[^`]*)`")


def a(noun: str) -> str:
    """``a post``, ``an Activity Streams record``."""
    return f"an {noun}" if noun[:1].lower() in "aeiou" else f"a {noun}"


def count(n: int, noun: str) -> str:
    """``1 post``, ``1,234 posts``: a number of things, as every message says one."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def decode_reason(message: str) -> str:
    """msgspec's reason (its path already cut off) in xformat's words; other reasons unchanged."""
    if m := _MATCHING.fullmatch(message):
        pattern = m["pattern"]
        return f"expected {_expected_by_repr().get(pattern, 'text matching ' + pattern)}"
    if m := _EXPECTED_GOT.fullmatch(message):
        return f"expected {_either(m['expected'].split(' | '))}, got {_got(m['got'])}"
    if m := _MISSING.fullmatch(message):
        return f"missing required field '{m['name']}'"
    return message


def schema_reason(validator: str, expected: Any, instance: Any, message: str) -> str:
    """jsonschema's reason for the keyword ``validator`` (its value ``expected``; ``instance`` the
    value it failed) in xformat's words; the reasons of other keywords are jsonschema's own."""
    if validator == "pattern":
        return f"expected {_pattern_phrase(expected)}, got {shown(instance)}"
    if validator == "type":
        return f"expected {_either(expected if isinstance(expected, list) else [expected])}, got {_noun_of(instance)}"
    if validator == "required" and (m := re.fullmatch(r"(?P<name>'.*') is a required property", message)):
        return f"missing required field {m['name']}"
    if validator in ("anyOf", "oneOf") and isinstance(expected, list):
        phrases = [_alternative(option) for option in expected]
        if all(phrases):
            return f"expected {_join(list(dict.fromkeys(p for p in phrases if p)))}, got {_noun_of(instance)}"
    return message


def _alternative(schema: Any) -> str | None:
    if not isinstance(schema, dict):
        return None
    if "pattern" in schema:
        return _pattern_phrase(schema["pattern"])
    if "type" in schema:
        types = schema["type"]
        return _either(types if isinstance(types, list) else [types])
    if "$ref" in schema:
        return "an object"
    return None


def _pattern_phrase(pattern: str) -> str:
    return _expected_by_pattern().get(pattern, f"text matching {pattern!r}")


def _either(names: list[str]) -> str:
    return _join(list(dict.fromkeys(_noun(name) for name in names)))


def _join(phrases: list[str]) -> str:
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " or " + phrases[-1]


def _noun(name: str) -> str:
    return _NOUNS.get(name, f"`{name}`")


def _noun_of(value: Any) -> str:
    """What a parsed JSON value is, in the words msgspec's ``got`` is said in."""
    if value is None:
        return "null"
    for kind, name in ((bool, "bool"), (str, "str"), (int, "int"), (float, "float"), (dict, "object"), (list, "array")):
        if isinstance(value, kind):
            return _got(name)
    return type(value).__name__


def _got(name: str) -> str:
    return "a boolean" if name == "bool" else _noun(name)


_SHOWN = 80
"""Characters of a value quoted in a reason: a post or user quoted whole would bury it."""


def shown(value: Any) -> str:
    """``value`` quoted in a reason, shortened to ``_SHOWN`` characters."""
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


@cache
def _expected_by_pattern() -> dict[str, str]:
    """What each pattern of the models expects, said in words, by pattern."""
    from xformat.formats import FORMATS  # the models, loaded by then: here only on the failure path

    found: dict[str, str] = {}
    seen: set[type] = set()
    stack: list[Any] = list(mi.multi_type_info([kind.model for fmt in FORMATS for kind in fmt.kinds.values()]))
    while stack:
        info = stack.pop()
        if isinstance(info, mi.Metadata):
            if isinstance(info.type, mi.StrType) and info.type.pattern and info.extra and "expected" in info.extra:
                found[info.type.pattern] = info.extra["expected"]
            stack.append(info.type)
        elif isinstance(info, (mi.StructType, mi.TypedDictType, mi.DataclassType)):
            if info.cls not in seen:
                seen.add(info.cls)
                stack.extend(field.type for field in info.fields)
        elif isinstance(info, mi.UnionType):
            stack.extend(info.types)
        elif isinstance(info, (mi.ListType, mi.SetType, mi.FrozenSetType, mi.VarTupleType)):
            stack.append(info.item_type)
        elif isinstance(info, mi.TupleType):
            stack.extend(info.item_types)
        elif isinstance(info, mi.DictType):
            stack.extend((info.key_type, info.value_type))
    return found


@cache
def _expected_by_repr() -> dict[str, str]:
    """The same, by the pattern as msgspec quotes it in its messages."""
    return {repr(pattern): phrase for pattern, phrase in _expected_by_pattern().items()}
