"""Lossless mode: a patch that turns "what converting back gives" into the exact source.

The patch is computed, not predicted: the converter converts the record, converts the result
back, and diffs that against the source. Applying it after converting back is therefore exact
by construction, whatever the record held (unknown fields and declared losses included).

Patch layout (the value of the ``xformat_lossless`` member)::

    {"format": "native", "domain": "twitter.com",
     "set": [[path, value], ...], "unset": [path, ...]}

A path is a list of object keys and array indexes from the record's root.
"""

from __future__ import annotations

from typing import Any

MEMBER = "xformat_lossless"
Path = list[str | int]


def diff(source: Any, produced: Any) -> tuple[list[list[Any]], list[Path]]:
    """(set, unset) operations that turn ``produced`` into ``source``."""
    sets: list[list[Any]] = []
    unsets: list[Path] = []
    _diff(source, produced, [], sets, unsets)
    return sets, unsets


def _diff(source: Any, produced: Any, path: Path, sets: list[list[Any]], unsets: list[Path]) -> None:
    if isinstance(source, dict) and isinstance(produced, dict):
        for key, value in source.items():
            if key not in produced:
                sets.append([[*path, key], value])
            else:
                _diff(value, produced[key], [*path, key], sets, unsets)
        unsets.extend([*path, key] for key in produced if key not in source)
    elif isinstance(source, list) and isinstance(produced, list) and len(source) == len(produced):
        for i, (a, b) in enumerate(zip(source, produced, strict=True)):
            _diff(a, b, [*path, i], sets, unsets)
    elif not _same(source, produced):
        sets.append([path, source])


def _same(a: Any, b: Any) -> bool:
    # 1 == 1.0 == True in Python; in JSON they are three different documents.
    return type(a) is type(b) and a == b


def apply(produced: Any, sets: list[list[Any]], unsets: list[Path]) -> Any:
    """``produced`` with the patch applied (in place where possible; returns the new root)."""
    for path in unsets:
        parent = _walk(produced, path[:-1])
        del parent[path[-1]]
    for path, value in sets:
        if not path:
            produced = value
            continue
        _walk(produced, path[:-1])[path[-1]] = value
    return produced


def _walk(root: Any, path: Path) -> Any:
    node = root
    for step in path:
        node = node[step]
    return node
