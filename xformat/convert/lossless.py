"""Lossless mode: a patch that turns "what converting back gives" into the exact source.

The patch is computed, not predicted: the converter converts the record, converts the result
back, and diffs that against the source. Applying it after converting back is therefore exact
by construction, whatever the record held (unknown fields and declared losses included), down to
the order of the members of every object, so that a source written compactly (as feeds deliver
it) comes back byte for byte.

Patch layout (the value of the ``xformat_lossless`` member)::

    {"format": "native", "domain": "twitter.com",
     "set": [[path, value], ...], "unset": [path, ...], "order": [[path, [key, ...]], ...]}

A path is a list of object keys and array indexes from the record's root. ``order`` is there only
when some object's members would otherwise come back in another order: it lists, for each such
object, its keys in the source's order.
"""

from __future__ import annotations

from typing import Any

import msgspec

MEMBER = "xformat_lossless"
Path = list[str | int]


def diff(source: Any, produced: Any) -> dict[str, Any]:
    """The operations that turn ``produced`` into ``source`` (parsed JSON, or the raw record, whose
    own members and order count, not those of its decoded struct): ``{}`` when there are none,
    else ``set`` and ``unset`` (and ``order`` when needed) as laid out above."""
    if isinstance(source, (bytes, str)):
        source = msgspec.json.decode(source)
    sets: list[list[Any]] = []
    unsets: list[Path] = []
    orders: list[list[Any]] = []
    _diff(source, produced, [], sets, unsets, orders)
    if not (sets or unsets or orders):
        return {}
    ops: dict[str, Any] = {"set": sets, "unset": unsets}
    if orders:
        ops["order"] = orders
    return ops


def _diff(
    source: Any, produced: Any, path: Path, sets: list[list[Any]], unsets: list[Path], orders: list[list[Any]]
) -> None:
    if isinstance(source, dict) and isinstance(produced, dict):
        for key, value in source.items():
            if key not in produced:
                sets.append([[*path, key], value])
            else:
                _diff(value, produced[key], [*path, key], sets, unsets, orders)
        unsets.extend([*path, key] for key in produced if key not in source)
        # What apply leaves: produced's members in produced's order, then the ones set, in source order.
        order = list(source)
        if order != list(produced) and (
            [key for key in produced if key in source] + [key for key in order if key not in produced] != order
        ):
            orders.append([path, order])
    elif isinstance(source, list) and isinstance(produced, list) and len(source) == len(produced):
        for i, (a, b) in enumerate(zip(source, produced, strict=True)):
            _diff(a, b, [*path, i], sets, unsets, orders)
    elif not _same(source, produced):
        sets.append([path, source])


def _same(a: Any, b: Any) -> bool:
    # 1 == 1.0 == True in Python; in JSON they are three different documents.
    return type(a) is type(b) and a == b


def apply(produced: Any, ops: dict[str, Any]) -> Any:
    """``produced`` with the operations of a patch applied (in place where possible; returns the
    new root). A patch without ``order`` (written before it existed) restores values only."""
    for path in ops.get("unset", ()):
        parent = _walk(produced, path[:-1])
        del parent[path[-1]]
    for path, value in ops.get("set", ()):
        if not path:
            produced = value
            continue
        _walk(produced, path[:-1])[path[-1]] = value
    for path, keys in ops.get("order", ()):
        node = _find(produced, path)
        if isinstance(node, dict):
            _reorder(node, keys)
    return produced


def _reorder(node: dict[str, Any], keys: list[str]) -> None:
    """``node``'s members in the order of ``keys``. Order is only how the record reads, so a record
    edited since its conversion (compliance removes embedded posts and their members) is put in
    order as far as it goes: members no longer there are passed over, new ones come last."""
    members = {key: node[key] for key in keys if key in node}
    if len(members) < len(node):
        members.update(node)
    node.clear()
    node.update(members)


def _walk(root: Any, path: Path) -> Any:
    node = root
    for step in path:
        node = node[step]
    return node


def _find(root: Any, path: Path) -> Any:
    """The node at ``path``, or None where the path no longer leads (see ``_reorder``)."""
    try:
        return _walk(root, path)
    except (KeyError, IndexError, TypeError):
        return None
