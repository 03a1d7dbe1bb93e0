"""The shipped examples: data, compliance results and bad records apart; the example run is the
happy path (every step succeeds), the rejects demo shows bad records reported and kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from xformat.cli import main

EXAMPLES = ROOT / "examples"
VENV = Path(sys.prefix)
needs_venv = pytest.mark.skipif(
    not (VENV / "bin" / "xformat").is_file() or os.name != "posix",
    reason="runs the scripts with the xformat of this environment's bin/ (a POSIX virtual environment)",
)


def script(name: str, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XFORMAT_VENV": str(VENV), "XFORMAT_EXAMPLE_OUTPUT": str(out)}
    return subprocess.run(["bash", str(ROOT / "scripts" / name), *args], capture_output=True, text=True, env=env)


def test_the_example_data_holds_only_good_records() -> None:
    for args in (["validate"], ["ids"], ["convert", "--to", "activity"], ["convert", "--to", "native"]):
        result = CliRunner().invoke(main, [*args, str(EXAMPLES / "data")])
        assert result.exit_code == 0, (args, result.output)


def test_compliance_results_are_not_in_the_data_directory() -> None:
    results = EXAMPLES / "compliance" / "results.jsonl"
    ids = {json.loads(line)["id"] for line in results.read_text().splitlines()}
    assert ids and not any(p.suffix == ".jsonl" for p in (EXAMPLES / "data").iterdir())


@needs_venv
def test_the_example_run_succeeds_at_every_step(tmp_path: Path) -> None:
    run = script("run-example", tmp_path, "--no-install")
    assert run.returncode == 0, run.stderr
    assert "0 rejected" in run.stderr and "rejected" not in run.stderr.replace("0 rejected", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "activity.ndjson.gz", "compliance-report.json", "compliant.ndjson.gz", "native.ndjson", "post-ids.txt",
        "summary.json",
    ]  # fmt: skip
    assert json.loads((tmp_path / "summary.json").read_text())["rejected"] == 0
    assert "removed: deleted 1" in run.stderr


@needs_venv
def test_the_rejects_demo_reports_and_keeps_the_bad_records(tmp_path: Path) -> None:
    run = script("run-rejects-demo", tmp_path)
    assert run.returncode == 0, run.stderr
    assert "with-bad-lines.ndjson:2: $: malformed JSON" in run.stdout
    assert "with-bad-lines.ndjson:3: $.postedTime: expected a string, got an integer" in run.stdout
    rejects = [json.loads(line) for line in (tmp_path / "rejects.ndjson").read_text().splitlines()]
    assert [r["line"] for r in rejects] == [2, 3]
    assert len((tmp_path / "rejects-demo.ndjson").read_text().splitlines()) == 1
