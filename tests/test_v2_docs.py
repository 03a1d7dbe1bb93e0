"""docs/MAPPING-v2.md and the v2 loss catalog state the same losses as the converters apply."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT
from xformat.convert.losses import losses_for
from xformat.convert.losses_v2 import FROM_V2, LOSSES_V2, TO_V2

SOURCES = {"to_v2": "xformat/convert/to_v2.py", "from_v2": "xformat/convert/from_v2.py"}
DIRECTIONS = {"to_v2": TO_V2, "from_v2": FROM_V2}
# A loss is applied by appending its code: losses.append("code") or add("code") (add = losses.append).
_APPLIED = re.compile(r'(?:\badd|losses\.append)\("([a-z0-9_]+)"\)')


def test_the_mapping_carries_the_catalog_verbatim() -> None:
    mapping = (ROOT / "docs" / "MAPPING-v2.md").read_text(encoding="utf-8")
    for loss in LOSSES_V2:
        fields = ", ".join(f"`{f}`" for f in loss.fields)
        assert f"| `{loss.code}` | {loss.description} | {fields} |" in mapping, loss.code


def test_codes_are_unique_per_direction() -> None:
    keys = [(loss.direction, loss.code) for loss in LOSSES_V2]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("direction", sorted(SOURCES))
def test_every_code_a_converter_applies_is_in_the_catalog_and_every_entry_is_applied(direction: str) -> None:
    applied = set(_APPLIED.findall((ROOT / SOURCES[direction]).read_text(encoding="utf-8")))
    catalog = {loss.code for loss in losses_for(DIRECTIONS[direction])}
    assert applied <= catalog, sorted(applied - catalog)
    # unknown_fields is the decoding layer's to apply, not the converters'
    assert catalog - applied == {"unknown_fields"}, sorted(catalog - applied)
