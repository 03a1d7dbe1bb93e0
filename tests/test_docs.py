"""The README states facts the code owns; these tests keep the two from drifting apart."""

from __future__ import annotations

from tests.conftest import ROOT
from xformat.cli.losses_cmd import markdown_table
from xformat.convert.losses import LOSSES


def test_readme_carries_the_loss_catalog_verbatim() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, "README's loss tables are stale: paste `xformat losses` output"


def test_loss_codes_are_unique_per_direction() -> None:
    keys = [(loss.direction, loss.code) for loss in LOSSES]
    assert len(keys) == len(set(keys))
