"""The published JSON Schemas, served by name and version (era), with validators ready to use.

>>> from xformat import registry
>>> [info.name for info in registry.list_schemas() if info.version == "2022"]
['activity', 'activity-compliance', 'activity-delete', 'common', 'feed-error', 'feed-info', 'feed-warn',
 'native-compliance', 'native-delete', 'native-post']
>>> registry.validator_for("native-post", "2012").is_valid({"id_str": "1"})
False

Every era's schemas are loaded side by side into one ``referencing.Registry`` (their ``$id``s
differ by era), so a ``$ref`` from one file to another resolves offline. The files come from
the installed package (``xformat/schemas``, which the wheel carries) or, in a source checkout,
from ``schemas/`` beside the package.

The validators are Draft 2020-12 validators with one difference: a JSON number written with a
fraction or exponent (``2.0``, ``1e3``) is not an ``integer``. The models decode such a number
as a float and reject it where an integer is required; plain JSON Schema cannot tell ``2.0``
from ``2``, so other validators given the published files accept it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, NamedTuple

import referencing
from jsonschema import Draft202012Validator, validators
from jsonschema.protocols import Validator
from referencing.jsonschema import DRAFT202012

from xformat.errors import UsageError
from xformat.models.base import CURRENT_ERA
from xformat.schema import Schema, bundle


class SchemaInfo(NamedTuple):
    name: str
    version: str
    id: str
    title: str


def _is_integer(checker: Any, instance: object) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


# The stubs leave ``extend`` untyped; it returns a validator class like the one it extends.
XFormatValidator: type[Validator] = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)
"""Draft 2020-12, where an integer is a JSON number without fraction or exponent (see above)."""


class SchemaRegistry:
    """Schemas by (name, version). Immutable: it only builds (and keeps) validators on demand."""

    def __init__(self, schemas: Mapping[tuple[str, str], Schema]) -> None:
        self._schemas = dict(schemas)
        resources = [(s["$id"], DRAFT202012.create_resource(s)) for s in self._schemas.values()]
        self.registry: referencing.Registry[Any] = referencing.Registry().with_resources(resources).crawl()
        """Every schema of every version, so that ``$ref``s resolve across files."""
        self._validators: dict[tuple[str, str], Validator] = {}

    @classmethod
    def from_directory(cls, root: Traversable) -> SchemaRegistry:
        """The schemas in ``root/<version>/<name>.json``."""
        schemas = {}
        for version in sorted(root.iterdir(), key=lambda p: p.name):
            if not version.is_dir():
                continue
            for file in sorted(version.iterdir(), key=lambda p: p.name):
                if file.name.endswith(".json"):
                    schemas[file.name.removesuffix(".json"), version.name] = json.loads(file.read_text("utf-8"))
        if not schemas:
            raise UsageError(f"no schemas in {root}")
        return cls(schemas)

    def list(self) -> list[SchemaInfo]:
        """Every schema, by version then name."""
        return [
            SchemaInfo(name, version, s["$id"], s.get("title", ""))
            for (name, version), s in sorted(self._schemas.items(), key=lambda item: (item[0][1], item[0][0]))
        ]

    def get(self, name: str, version: str = CURRENT_ERA) -> Schema:
        try:
            return self._schemas[name, version]
        except (KeyError, TypeError):  # TypeError: not a name at all (a list)
            names = sorted({n for n, _ in self._schemas})
            versions = sorted({v for _, v in self._schemas})
            if name not in names:
                raise UsageError(f"no schema named {name!r}: expected one of {', '.join(names)}") from None
            raise UsageError(f"no version {version!r} of {name}: expected one of {', '.join(versions)}") from None

    def bundled(self, name: str, version: str = CURRENT_ERA) -> Schema:
        """``name`` at ``version`` made self-contained, every ``$ref`` local (``schema.bundle``):
        the form for tools that cannot resolve the URNs the files ``$ref`` each other by."""
        self.get(name, version)  # an unknown name or version is the user's error
        era = {n: s for (n, v), s in self._schemas.items() if v == version}
        try:
            return bundle(era, name)
        except ValueError as exc:
            raise UsageError(str(exc)) from None

    def validator(self, name: str, version: str = CURRENT_ERA) -> Validator:
        """A validator for ``name`` at ``version``, built once."""
        key = (name, version)
        if key not in self._validators:
            self._validators[key] = XFormatValidator(self.get(name, version), registry=self.registry)
        return self._validators[key]


SOURCE_SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
"""``schemas/`` of a source checkout (or an editable install of one): where they are written."""


def schema_dir() -> Traversable:
    """Where the schemas are: in the installed package, else ``schemas/`` of a source checkout."""
    packaged = files("xformat") / "schemas"
    return packaged if packaged.is_dir() else SOURCE_SCHEMAS


@cache
def default_registry() -> SchemaRegistry:
    return SchemaRegistry.from_directory(schema_dir())


def list_schemas() -> list[SchemaInfo]:
    return default_registry().list()


def get_schema(name: str, version: str = CURRENT_ERA) -> Schema:
    return default_registry().get(name, version)


def get_bundled(name: str, version: str = CURRENT_ERA) -> Schema:
    return default_registry().bundled(name, version)


def validator_for(name: str, version: str = CURRENT_ERA) -> Validator:
    return default_registry().validator(name, version)
