"""Hypothesis strategies read off the structs: any JSON value a model accepts, and ways to break it.

Unlike ``tests/strategies.py`` (realistic records, consistent across fields), these know nothing
of the domain: every field the model declares, with every type it allows (patterns satisfied
through ``st.from_regex``), appears with any value of that type. That is what the schemas must
accept exactly as the models do. ``sites`` walks a value along its model, so that mutations know
what each member is (required? which types? a pattern? a tag?).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from hypothesis import strategies as st
from msgspec import inspect as mi

json_scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=6)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=4), inner, max_size=2),
    max_leaves=4,
)


@cache
def model_values(model: type) -> st.SearchStrategy[Any]:
    """JSON values (dicts) that ``model`` decodes; a tagged model carries its tag, as at the top
    level of a record, where the decode requires it. Built once per model: the tree of strategies
    is large, and hypothesis prepares each strategy object on its first draw."""
    info = _type_info(model)
    assert isinstance(info, mi.StructType)
    return _struct(info, (), tagged=True)


@cache
def _type_info(model: type) -> mi.Type:
    return mi.type_info(model)  # tens of milliseconds for a post: once per model, not per example


def _struct(info: mi.StructType, ancestors: tuple[type, ...], *, tagged: bool) -> st.SearchStrategy[Any]:
    """A struct's members. Recursion (a quoted post in a quoted post) stops at the second level:
    there, optional members that lead back to an enclosing struct are left out, and unions
    avoid such members when they can."""
    deep = info.cls in ancestors
    inside = (*ancestors, info.cls)
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for field in info.fields:
        if field.required:
            required[field.encode_name] = _value(field.type, inside, deep)
        elif not (deep and _reaches(field.type, inside)):
            optional[field.encode_name] = _value(field.type, inside, deep)
    if info.tag_field is not None:
        (required if tagged else optional)[info.tag_field] = st.just(info.tag)
    return st.fixed_dictionaries(required, optional=optional)


def _value(info: mi.Type, ancestors: tuple[type, ...], deep: bool) -> st.SearchStrategy[Any]:
    if isinstance(info, mi.Metadata):
        return _value(info.type, ancestors, deep)
    if isinstance(info, mi.StrType):
        return st.from_regex(info.pattern, fullmatch=True) if info.pattern else st.text(max_size=8)
    if isinstance(info, mi.IntType):
        return st.integers()
    if isinstance(info, mi.FloatType):
        return st.floats(allow_nan=False, allow_infinity=False)
    if isinstance(info, mi.BoolType):
        return st.booleans()
    if isinstance(info, mi.NoneType):
        return st.none()
    if isinstance(info, mi.LiteralType):
        return st.sampled_from(info.values)
    if isinstance(info, mi.UnionType):
        members = [t for t in info.types if not (deep and _reaches(t, ancestors))] or list(info.types)
        return st.one_of(*(_member(t, ancestors, deep) for t in members))
    if isinstance(info, mi.ListType):
        return st.lists(_value(info.item_type, ancestors, deep), max_size=2)
    if isinstance(info, mi.TupleType):
        return st.tuples(*(_value(t, ancestors, deep) for t in info.item_types)).map(list)
    if isinstance(info, mi.DictType):
        return st.dictionaries(st.text(max_size=4), _value(info.value_type, ancestors, deep), max_size=2)
    if isinstance(info, mi.AnyType):
        return json_values
    assert isinstance(info, mi.StructType), info
    return _struct(info, ancestors, tagged=False)


def _member(info: mi.Type, ancestors: tuple[type, ...], deep: bool) -> st.SearchStrategy[Any]:
    """A member of a union: a struct there carries its tag, which picks it."""
    bare = info.type if isinstance(info, mi.Metadata) else info
    return _struct(bare, ancestors, tagged=True) if isinstance(bare, mi.StructType) else _value(bare, ancestors, deep)


def _reaches(info: mi.Type, classes: tuple[type, ...]) -> bool:
    """Whether a value of ``info`` directly holds a struct of one of ``classes``."""
    if isinstance(info, mi.Metadata):
        return _reaches(info.type, classes)
    if isinstance(info, mi.StructType):
        return info.cls in classes
    if isinstance(info, mi.UnionType):
        return any(_reaches(t, classes) for t in info.types)
    if isinstance(info, mi.ListType):
        return _reaches(info.item_type, classes)
    return False


# --- walking a value along its model -----------------------------------------------------------

JSON_TYPES = ("string", "integer", "float", "boolean", "null", "object", "array")


@dataclass(frozen=True)
class Site:
    """A member of a value: where it is, what the model says it is."""

    path: tuple[str | int, ...]
    info: mi.Type
    required: bool


@dataclass(frozen=True)
class ObjectSite:
    """A struct inside a value, with the names its model defines (tag included)."""

    path: tuple[str | int, ...]
    info: mi.StructType

    @property
    def names(self) -> set[str]:
        names = {f.encode_name for f in self.info.fields}
        return names | {self.info.tag_field} if self.info.tag_field else names


def sites(value: Any, model: type) -> tuple[list[Site], list[ObjectSite]]:
    members: list[Site] = []
    objects: list[ObjectSite] = []
    _walk(value, _type_info(model), (), members, objects)
    return members, objects


def _walk(
    value: Any, info: mi.Type, path: tuple[str | int, ...], members: list[Site], objects: list[ObjectSite]
) -> None:
    if isinstance(info, mi.Metadata):
        _walk(value, info.type, path, members, objects)
    elif isinstance(info, mi.StructType) and isinstance(value, dict):
        objects.append(ObjectSite(path, info))
        for field in info.fields:
            if field.encode_name in value:
                members.append(Site((*path, field.encode_name), field.type, field.required))
                _walk(value[field.encode_name], field.type, (*path, field.encode_name), members, objects)
    elif isinstance(info, mi.UnionType):
        _walk(value, _member_for(info, value), path, members, objects)
    elif isinstance(info, mi.ListType) and isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, info.item_type, (*path, i), members, objects)
    elif isinstance(info, mi.TupleType) and isinstance(value, list):
        for i, (item, item_info) in enumerate(zip(value, info.item_types, strict=True)):
            members.append(Site((*path, i), item_info, True))
            _walk(item, item_info, (*path, i), members, objects)


def _member_for(info: mi.UnionType, value: Any) -> mi.Type:
    for t in info.types:
        bare = t.type if isinstance(t, mi.Metadata) else t
        if isinstance(bare, mi.StructType) and isinstance(value, dict):
            if bare.tag_field is None or value.get(bare.tag_field) == bare.tag:
                return t
        elif json_type(value) in allowed_types(t):
            return t
    raise AssertionError(f"{value!r} fits no member of {info}")


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    for python, name in ((bool, "boolean"), (int, "integer"), (float, "float"), (str, "string"), (dict, "object")):
        if isinstance(value, python):
            return name
    return "array"


def allowed_types(info: mi.Type) -> set[str]:
    """The JSON types a value of ``info`` may have (``float`` is a number with a fraction or
    exponent, which the models never take for an integer)."""
    if isinstance(info, mi.Metadata):
        return allowed_types(info.type)
    if isinstance(info, mi.UnionType):
        return set().union(*(allowed_types(t) for t in info.types))
    simple = {
        mi.StrType: {"string"},
        mi.LiteralType: {"string"},
        mi.IntType: {"integer"},
        mi.FloatType: {"integer", "float"},
        mi.BoolType: {"boolean"},
        mi.NoneType: {"null"},
        mi.StructType: {"object"},
        mi.DictType: {"object"},
        mi.ListType: {"array"},
        mi.TupleType: {"array"},
    }
    return simple.get(type(info), set(JSON_TYPES))


def pattern_of(info: mi.Type) -> str | None:
    """The pattern a string value of ``info`` must match, if any."""
    if isinstance(info, mi.Metadata):
        return pattern_of(info.type)
    if isinstance(info, mi.UnionType):
        return next((p for t in info.types if (p := pattern_of(t))), None)
    return info.pattern if isinstance(info, mi.StrType) else None


def literal_values(info: mi.Type) -> tuple[Any, ...]:
    if isinstance(info, mi.Metadata):
        return literal_values(info.type)
    if isinstance(info, mi.UnionType):
        return tuple(v for t in info.types for v in literal_values(t))
    return info.values if isinstance(info, mi.LiteralType) else ()


def breaks(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is None
