"""Shared test helpers: where the golden corpus lives and how to read it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden"
GOLDEN_V2 = GOLDEN / "v2"
REALDATA = ROOT.parent / "shared" / "realdata"


def golden_cases() -> list[Path]:
    """The EN <-> AS cases (``golden/v2/`` holds the v2 cases, see ``golden_v2_cases``)."""
    return sorted(p for p in GOLDEN.iterdir() if p.is_dir() and p != GOLDEN_V2) if GOLDEN.is_dir() else []


def golden_v2_cases() -> list[Path]:
    return sorted(p for p in GOLDEN_V2.iterdir() if p.is_dir()) if GOLDEN_V2.is_dir() else []


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
