"""JSON Schemas (draft 2020-12) generated from the models, one set per era.

The structs are the single definition of both formats; this module only translates them. Per
era, ``schemas/<era>/`` holds one file per record kind plus ``common.json``, which defines the
objects both formats share (``xformat.models.common``) once; the other files ``$ref`` them by
their ``$id``, ``urn:xformat:schema:<era>:<name>``. What the translation changes, and why:

- The structs forbid unknown fields so that the fast decode notices them; the dictionary
  requires readers to tolerate them, so the published schemas drop ``additionalProperties:
  false``. Strict validation reports unknown fields from the decode instead.
- A field annotated ``since(era, ...)`` carries ``x-since``; the schema of an earlier era
  forbids it (``"edit_history": {"not": {}}``): a 2016 post with an edit history is
  inconsistent. Definitions that only such fields reach are left out of that era.
- msgspec requires the tag field (``objectType``) of a tagged struct only where it picks a
  member of a union, and the decode reads a top-level activity through such a union. The
  schemas say the same: the tag is required at the root and in unions, not in the definition.
  A union picks its member by the tag (``if``/``then``), as msgspec does, rather than trying
  each (``anyOf``), so that an error is explained by the member the record meant.

Tools that cannot fetch a URN (most of them: check-jsonschema, jsonschema-rs, editors) get a
bundled schema per record kind, ``schemas/<era>/bundled/<name>.json``: the same schema with
every definition it reaches copied under its own ``$defs`` and every ``$ref`` made local
(``bundle``). Definition names are struct names, unique within an era, so none collide.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import msgspec

from xformat.formats import FORMATS
from xformat.models import activity, common, feed, native, v2
from xformat.models.base import CURRENT_ERA, ERAS

DIALECT = "https://json-schema.org/draft/2020-12/schema"
COMMON = "common"


def _schemas() -> dict[str, tuple[type[msgspec.Struct] | None, str]]:
    """Schema name -> (model at its root, title), from the formats' kinds. The order decides
    which file defines a struct that several use (the first that reaches it; structs of
    xformat.models.common go to common): each format's own kinds, then those formats share."""
    kinds = [kind for fmt in FORMATS for kind in fmt.kinds.values()]
    shared = {id(kind) for kind in kinds if kinds.count(kind) > 1}
    ordered = [k for k in kinds if id(k) not in shared] + [k for k in kinds if id(k) in shared]
    table: dict[str, tuple[type[msgspec.Struct] | None, str]] = {COMMON: (None, "Objects both formats share")}
    for kind in ordered:
        table.setdefault(kind.schema, (kind.struct, kind.title))
    return table


SCHEMAS = _schemas()

_STRUCTS: dict[str, type[msgspec.Struct]] = {
    cls.__name__: cls
    for module in (common, native, activity, feed, v2)
    for cls in vars(module).values()
    if isinstance(cls, type) and issubclass(cls, msgspec.Struct) and cls.__module__ == module.__name__
}
_LOCAL = "#/$defs/"
BUNDLED = "bundled"
"""The subdirectory of an era that holds the bundled schemas."""
_BUNDLED_NOTE = "Bundled: self-contained, every $ref local, for tools that cannot resolve URNs."

Schema = dict[str, Any]


def schema_id(name: str, era: str) -> str:
    return f"urn:xformat:schema:{era}:{name}"


def era_of(year: str) -> str:
    """The era whose schemas a record of ``year`` follows (an era's own key names itself).

    Years before the first era belong to it: it describes the oldest records there are.
    """
    if not (isinstance(year, str) and year.isdigit() and len(year) == 4):
        raise ValueError(f"not a year: {year!r}")
    return max((era for era in ERAS if era <= year), default=min(ERAS))


def generate(era: str = CURRENT_ERA) -> dict[str, Schema]:
    """Every schema of ``era``, by name (the keys of ``SCHEMAS``)."""
    if era not in ERAS:
        raise ValueError(f"unknown era {era!r}: expected one of {', '.join(ERAS)}")
    roots = [model for model, _ in SCHEMAS.values() if model is not None]
    _, components = msgspec.json.schema_components(roots, ref_template=_LOCAL + "{name}")
    defs = {name: _definition(schema, _STRUCTS[name], era) for name, schema in components.items()}

    home: dict[str, str] = {}
    files: dict[str, list[str]] = {name: [] for name in SCHEMAS}
    for name, (model, _) in SCHEMAS.items():
        if model is None:
            continue
        for def_name in _reachable(model.__name__, defs):
            if def_name not in home:
                home[def_name] = COMMON if _STRUCTS[def_name].__module__ == common.__name__ else name
                files[home[def_name]].append(def_name)

    out = {}
    for name, (model, title) in SCHEMAS.items():
        doc = (model.__doc__ if model else common.__doc__) or ""
        schema: Schema = {
            "$schema": DIALECT,
            "$id": schema_id(name, era),
            "title": f"{title} ({era} era)",
            "description": f"{_first_paragraph(doc)}\n\nEra {era}: {ERAS[era]}.",
        }
        if model is not None:
            schema["$ref"] = _LOCAL + model.__name__
            tag = model.__struct_config__.tag_field
            if tag is not None:
                schema["required"] = [tag]
        in_file = [d for d in components if d in files[name]]  # msgspec's order: stable
        schema["$defs"] = {
            d: _refs_rewritten(defs[d], partial(_ref, in_file=name, home=home, era=era)) for d in in_file
        }
        out[name] = schema
    return out


def generate_all() -> dict[str, Schema]:
    """Every schema of every era, keyed by its path under ``schemas/`` (``2022/activity.json``),
    and the bundled form of each record kind's (``2022/bundled/activity.json``)."""
    out: dict[str, Schema] = {}
    for era in ERAS:
        schemas = generate(era)
        out |= {f"{era}/{name}.json": schema for name, schema in schemas.items()}
        out |= {f"{era}/{BUNDLED}/{name}.json": bundle(schemas, name) for name in record_kinds()}
    return out


def record_kinds() -> list[str]:
    """Names of the schemas a record is validated against (all but ``common``)."""
    return [name for name, (model, _) in SCHEMAS.items() if model is not None]


def bundle(schemas: Mapping[str, Schema], name: str) -> Schema:
    """The schema ``name`` of one era's ``schemas`` (by name) made self-contained: the
    definitions it reaches, in the other files too, copied under its ``$defs`` in the order they
    are first referenced, every ``$ref`` local. Its ``$id`` gets a ``:bundled`` suffix, so that a
    registry may hold both forms."""
    by_id = {s["$id"]: s for s in schemas.values()}
    root = schemas[name]
    if "$ref" not in root:
        raise ValueError(f"{name} holds shared definitions, not a record kind: nothing to bundle")
    defs: dict[str, Schema] = {}
    origin: dict[str, str] = {}

    def local(ref: str, base: Schema) -> str:
        doc_id, _, pointer = ref.partition("#")
        doc = by_id.get(doc_id) if doc_id else base
        def_name = pointer.removeprefix("/$defs/")
        if doc is None or def_name == pointer or def_name not in doc.get("$defs", {}):
            raise ValueError(f"cannot bundle {name}: {ref!r} is not a definition of its era")
        if def_name in origin:
            if origin[def_name] != doc["$id"]:
                raise ValueError(f"cannot bundle {name}: two definitions named {def_name}")
        else:
            origin[def_name] = doc["$id"]
            defs[def_name] = {}  # holds its place (first-reference order) while its own refs are followed
            defs[def_name] = _refs_rewritten(doc["$defs"][def_name], partial(local, base=doc))
        return _LOCAL + def_name

    out: Schema = _refs_rewritten({k: v for k, v in root.items() if k != "$defs"}, partial(local, base=root))
    out["$id"] = root["$id"] + ":bundled"
    out["description"] = f"{root.get('description', '')}\n\n{_BUNDLED_NOTE}".lstrip()
    out["$defs"] = defs
    return out


def dumps(schema: Schema) -> str:
    """The text a schema file holds: stable, readable, non-ASCII kept as is."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write(directory: Path) -> list[str]:
    """Writes every schema under ``directory``, removing stale ones; returns the paths changed."""
    wanted = {path: dumps(schema) for path, schema in generate_all().items()}
    changed = []
    for path, text in wanted.items():
        target = directory / path
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            changed.append(path)
    for path in _files_in(directory):
        if path not in wanted:
            (directory / path).unlink()
            changed.append(path)
    return sorted(changed)


def drift(directory: Traversable, *, shown: int = 5) -> list[str]:
    """How the schema files under ``directory`` differ from the models: one line per file, with
    up to ``shown`` differing JSON paths each; empty when they match."""
    wanted = {path: dumps(schema) for path, schema in generate_all().items()}
    present = set(_files_in(directory))
    lines = [f"missing: {path}" for path in sorted(wanted.keys() - present)]
    lines += [f"not generated (stale): {path}" for path in sorted(present - wanted.keys())]
    for path in sorted(wanted.keys() & present):
        text = _at(directory, path).read_text(encoding="utf-8")
        if text == wanted[path]:
            continue
        try:
            paths = list(_differences(json.loads(text), json.loads(wanted[path]), "$"))
        except json.JSONDecodeError as exc:
            lines.append(f"changed: {path}: not JSON ({exc})")
            continue
        more = f" and {len(paths) - shown} more" if len(paths) > shown else ""
        detail = ", ".join(paths[:shown]) + more if paths else "formatting only"
        lines.append(f"changed: {path}: {detail}")
    return lines


def _files_in(directory: Traversable) -> list[str]:
    """``<era>/<name>.json`` and ``<era>/bundled/<name>.json`` of every schema file under
    ``directory``."""
    if not directory.is_dir():
        return []
    paths = []
    for era in directory.iterdir():
        if not era.is_dir():
            continue
        for node in era.iterdir():
            if node.name.endswith(".json"):
                paths.append(f"{era.name}/{node.name}")
            elif node.name == BUNDLED and node.is_dir():
                paths += [f"{era.name}/{BUNDLED}/{f.name}" for f in node.iterdir() if f.name.endswith(".json")]
    return sorted(paths)


def _at(directory: Traversable, path: str) -> Traversable:
    node = directory
    for part in path.split("/"):
        node = node / part
    return node


def _differences(have: Any, want: Any, path: str) -> Iterator[str]:
    if isinstance(have, dict) and isinstance(want, dict):
        for key in list(want) + [k for k in have if k not in want]:
            if key not in have or key not in want:
                yield f"{path}.{key}"
            else:
                yield from _differences(have[key], want[key], f"{path}.{key}")
    elif isinstance(have, list) and isinstance(want, list) and len(have) == len(want):
        for i, (h, w) in enumerate(zip(have, want, strict=True)):
            yield from _differences(h, w, f"{path}[{i}]")
    elif have != want or type(have) is not type(want):
        yield path


def _first_paragraph(doc: str) -> str:
    return " ".join(doc.strip().split("\n\n")[0].split())


def _definition(schema: Schema, cls: type[msgspec.Struct], era: str) -> Schema:
    """The definition of ``cls`` as published for ``era``. Its tag, if it has one, is required
    only where it discriminates: at the root and in unions (see ``_tagged_union``)."""
    out: Schema = _published(schema, era)
    tag = cls.__struct_config__.tag_field
    if tag is not None:
        out["required"] = [field for field in out["required"] if field != tag]
    return out


def _published(schema: Any, era: str) -> Any:
    """A schema as published for ``era``: unknown members tolerated, later fields forbidden,
    unions of tagged structs decided by the tag."""
    if isinstance(schema, list):
        return [_published(item, era) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _published(value, era) for key, value in schema.items()}
    if "properties" in out:
        out.pop("additionalProperties", None)
        out["properties"] = {
            name: _forbidden(prop, era) if _later(prop, era) else prop for name, prop in out["properties"].items()
        }
    if "discriminator" in out:
        return _tagged_union(out)
    return out


def _forbidden(prop: Schema, era: str) -> Schema:
    """A field of a later era, in an earlier era's schema. Not ``false``: jsonschema reports a
    false schema's error without the member's path."""
    return {
        "description": f"A field of the {prop['x-since']} era, which {era}-era records cannot carry.",
        "x-since": prop["x-since"],
        "not": {},
    }


def _tagged_union(union: Schema) -> Schema:
    """A union of tagged structs as msgspec decodes it: the tag picks the member, which alone
    then explains what is wrong (an ``anyOf`` would leave jsonschema guessing among members)."""
    tag = union["discriminator"]["propertyName"]
    members: dict[str, str] = union["discriminator"]["mapping"]
    rest = {key: value for key, value in union.items() if key not in ("anyOf", "discriminator")}
    return rest | {
        "type": "object",
        "required": [tag],
        "properties": {tag: {"enum": list(members)}},
        "allOf": [
            {"if": {"required": [tag], "properties": {tag: {"const": value}}}, "then": {"$ref": ref}}
            for value, ref in members.items()
        ],
    }


def _later(prop: Any, era: str) -> bool:
    return isinstance(prop, dict) and prop.get("x-since", era) > era


def _reachable(root: str, defs: dict[str, Schema]) -> list[str]:
    """The definitions ``root`` needs, itself first, in the order they are first referenced."""
    seen = [root]
    for name in seen:  # grows while iterated: a breadth-first walk
        for ref in _refs_in(defs[name]):
            if ref not in seen:
                seen.append(ref)
    return seen


def _refs_in(schema: Any) -> list[str]:
    """Names of the definitions ``schema`` references (``_refs_rewritten`` is the one walk)."""
    refs: list[str] = []

    def note(ref: str) -> str:
        refs.append(ref.removeprefix(_LOCAL))
        return ref

    _refs_rewritten(schema, note)
    return refs


def _refs_rewritten(schema: Any, rewrite: Callable[[str], Any]) -> Any:
    """``schema`` with every local reference (``$ref``) rewritten."""
    if isinstance(schema, list):
        return [_refs_rewritten(item, rewrite) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == "$ref":
            out[key] = rewrite(value)
        else:
            out[key] = _refs_rewritten(value, rewrite)
    return out


def _ref(ref: str, in_file: str, home: dict[str, str], era: str) -> str:
    """A reference as written in ``in_file``: local when the definition lives there."""
    target = home[ref.removeprefix(_LOCAL)]
    return ref if target == in_file else schema_id(target, era) + ref
