"""Shared test helpers: where the golden corpus lives, how to read it, how many examples to draw.

Hypothesis profiles: hypothesis's own (``default``, or ``ci`` when a CI environment variable is
set: derandomized, no example database) draw the full counts; ``HYPOTHESIS_PROFILE=dev`` draws a
tenth of them, at least one, for a quick run while developing. Property tests ask ``examples(n)``
for their count rather than fixing it, so that the profile decides.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from xformat import decoding

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden"
GOLDEN_V2 = GOLDEN / "v2"
GOLDEN_V2_PAGES = GOLDEN / "v2_pages"
REALDATA = ROOT.parent / "shared" / "realdata"

FULL = 100
"""``max_examples`` of the profiles that draw the full counts (hypothesis's default and ci)."""
settings.register_profile("dev", max_examples=FULL // 10)
if "HYPOTHESIS_PROFILE" in os.environ:
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])


def examples(n: int) -> int:
    """``n`` examples under a full profile; in proportion to its ``max_examples`` under another."""
    return max(1, n * settings().max_examples // FULL)


def golden_cases() -> list[Path]:
    """The EN <-> AS cases (``golden/v2/`` holds the v2 cases, see ``golden_v2_cases``, and
    ``golden/v2_pages/`` those of v2 response pages)."""
    others = (GOLDEN_V2, GOLDEN_V2_PAGES)
    return sorted(p for p in GOLDEN.iterdir() if p.is_dir() and p not in others) if GOLDEN.is_dir() else []


def golden_v2_cases() -> list[Path]:
    return sorted(p for p in GOLDEN_V2.iterdir() if p.is_dir()) if GOLDEN_V2.is_dir() else []


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def fresh_tolerances(monkeypatch: pytest.MonkeyPatch) -> None:
    """No unknown members declared yet, as in a new process. A kind's twin declares at most
    ``decoding._MAX_UNKNOWN`` of them a process; past that (after the property tests' invented
    members), records with others take the untyped walk: tests of the twin's way need it fresh."""
    monkeypatch.setattr(decoding, "_TOLERANCES", {})
    monkeypatch.setattr(decoding, "_PARSED_TOLERANCES", {})
