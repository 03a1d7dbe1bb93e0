"""Typed decoding of records that carry fields the models do not define.

The models forbid unknown fields, so that the fast decode notices them. A record that has some
is decoded by a *twin* of its model: the same structs, except that each struct on the way to a
known unknown member is a subclass that declares that member too, as a raw JSON slice. The
twin decode is as fast as the model's own, still forbids every other unknown member (so a new
one is noticed and added), tells exactly which unknown members a record holds and where (the
declared ones it set), and gives values that are rebuilt as the models' own classes.

Twins are built per model for the set of unknown members seen so far, keyed by their paths with
array indices left out (``("user", "withheld_scope")``, ``("entities", "hashtags", "[*]", "x")``):
an archive with an unmodelled field builds one twin, on its first record, and decodes every
later record at the speed of a clean one.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec
from msgspec import UNSET, Raw, UnsetType

Path = tuple[str, ...]
"""Members from the record's root to an unknown member, ``[*]`` for any array element."""
EACH = "[*]"
UNKNOWN = "Object contains unknown field `"
"""How msgspec's error for an unknown member starts (tests/test_decoding.py pins its wording)."""
_AT = " - at `"


class Unsupported(Exception):
    """The unknown member stands where no twin can declare it (a container the walk does not know)."""


def unknown_path(message: str) -> Path | None:
    """The path of the unknown member msgspec's error ``message`` names, or None if it names none."""
    if not message.startswith(UNKNOWN):
        return None
    body = message[len(UNKNOWN) :]
    name, at = body, "$"
    if body.endswith("`") and _AT in body:
        name, _, at = body[:-1].rpartition(_AT)
    if not name.endswith("`") or not at.startswith("$"):
        return None
    steps: list[str] = []
    for part in at[1:].replace("[", ".[").split("."):
        if part:
            steps.append(EACH if part.startswith("[") else part)
    return (*steps, name[:-1])


class Twin:
    """A decoder of ``model`` that declares the unknown members at ``paths``: as raw JSON for
    ``decode``, as any Python value for ``convert`` (``parsed``)."""

    def __init__(self, model: Any, paths: frozenset[Path], *, parsed: bool = False) -> None:
        self.paths = paths
        self.parsed = parsed
        self.decoder = msgspec.json.Decoder(_twin(model, paths, Any if parsed else Raw))

    def decode(self, raw: bytes) -> tuple[Any, list[str]]:
        """The record as the model's own classes, and the JSON paths of its unknown members.

        Raises ``msgspec.ValidationError`` as the model's decode would (a new unknown member
        included) and msgspec's other errors for malformed input.
        """
        value = self.decoder.decode(raw)
        unknown: list[str] = []
        return _rebuilt(value, "$", unknown), unknown

    def convert(self, data: Any) -> tuple[Any, list[str]]:
        """The same for a record already parsed into Python objects."""
        value = msgspec.convert(data, self.decoder.type)
        unknown: list[str] = []
        return _rebuilt(value, "$", unknown), unknown


class _Info(typing.NamedTuple):
    real: type[msgspec.Struct]
    extras: tuple[tuple[str, str], ...]
    """(attribute, member) of each unknown member the twin declares."""
    children: tuple[str, ...]
    """Attributes whose values may hold twins."""


_TWINS: dict[type, _Info] = {}


def _twin(annotation: Any, paths: Iterable[Path], extra: Any) -> Any:
    """``annotation`` with every struct on the way to ``paths`` replaced by its twin, which
    declares the unknown members as ``extra`` (``Raw``, or ``Any``)."""
    paths = frozenset(paths)
    if not paths:
        return annotation
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *meta = get_args(annotation)
        return Annotated[(_twin(inner, paths, extra), *meta)]
    if origin in (Union, types.UnionType):
        return _union(tuple(_member_twin(member, paths, extra) for member in get_args(annotation)))
    if origin is list:
        (item,) = get_args(annotation)
        if any(path[0] != EACH for path in paths):
            raise Unsupported(annotation)
        return types.GenericAlias(list, (_twin(item, {path[1:] for path in paths}, extra),))
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return _struct_twin(annotation, paths, extra)
    return annotation  # a member of a union that the paths do not lead into (None, UNSET, a str)


def _member_twin(member: Any, paths: frozenset[Path], extra: Any) -> Any:
    """A member of a union, twinned if the paths can lead into it (a tagged union's other members
    need not have the member on the way)."""
    try:
        return _twin(member, paths, extra)
    except Unsupported:
        return member


def _union(members: tuple[Any, ...]) -> Any:
    return Union[members]  # noqa: UP007 - built from a tuple of members


@cache
def _struct_twin(cls: type[msgspec.Struct], paths: frozenset[Path], extra: Any) -> type[msgspec.Struct]:
    fields = {f.encode_name: f for f in msgspec.structs.fields(cls)}
    extras = sorted({path[0] for path in paths if len(path) == 1} - fields.keys())
    below: dict[str, set[Path]] = {}
    for path in paths:
        if len(path) > 1:
            if path[0] not in fields:
                raise Unsupported(path)
            below.setdefault(path[0], set()).add(path[1:])
    declared: list[tuple[str, Any, Any]] = []
    for member, inner in below.items():
        field = fields[member]
        default = (
            msgspec.field(default_factory=field.default_factory)
            if field.default_factory is not msgspec.NODEFAULT
            else field.default
        )
        declared.append((field.name, _twin(field.type, inner, extra), default))
    attrs = {f"_xformat_unknown_{i}": member for i, member in enumerate(extras)}
    declared += [(attr, extra | UnsetType, UNSET) for attr in attrs]
    try:
        twin: type[msgspec.Struct] = _defstruct(cls, declared, attrs)
    except ValueError:  # a name msgspec cannot give a field (quotes, control characters)
        raise Unsupported(extras) from None
    real = _TWINS[cls].real if cls in _TWINS else cls
    # Unknown members are reported in the order of the fields they stand under, then those of the
    # struct itself: the order of the members of records as feeds write them.
    order = list(fields)
    children = tuple(fields[m].name for m in sorted(below, key=order.index))
    _TWINS[twin] = _Info(real, tuple(attrs.items()), children)
    return twin


def _defstruct(cls: type[msgspec.Struct], declared: list[tuple[str, Any, Any]], attrs: dict[str, str]) -> Any:
    config = cls.__struct_config__
    return msgspec.defstruct(
        cls.__name__,
        [(name, tp) if default is msgspec.NODEFAULT else (name, tp, default) for name, tp, default in declared],
        bases=(cls,),
        module=__name__,
        rename=attrs or None,
        kw_only=True,
        omit_defaults=True,
        forbid_unknown_fields=True,
        tag=config.tag,
        tag_field=config.tag_field,
    )


def _rebuilt(value: Any, path: str, unknown: list[str]) -> Any:
    """``value`` with every twin replaced by its model's class; unknown members' paths noted."""
    info = _TWINS.get(type(value))
    if info is None:
        if type(value) is list:
            return [_rebuilt(item, f"{path}[{i}]", unknown) for i, item in enumerate(value)]
        return value
    for name in info.children:
        child = getattr(value, name)
        rebuilt = _rebuilt(child, f"{path}.{_encode_name(info.real, name)}", unknown)
        if rebuilt is not child:
            setattr(value, name, rebuilt)
    if not info.extras:
        # The same fields as the model's class, in the same slots: the value becomes one, as it is.
        value.__class__ = info.real
        return value
    for attr, member in info.extras:
        if getattr(value, attr) is not UNSET:
            unknown.append(f"{path}.{member}")
    fields = info.real.__struct_fields__
    return info.real(**dict(zip(fields, msgspec.structs.astuple(value)[: len(fields)], strict=True)))


@cache
def _encode_name(cls: type[msgspec.Struct], name: str) -> str:
    return dict(zip(cls.__struct_fields__, cls.__struct_encode_fields__, strict=True))[name]
