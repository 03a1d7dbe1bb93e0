"""The pre-commit hook: which files it validates, and that pre-commit hands them to `xformat validate`."""

from __future__ import annotations

import bz2
import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import GOLDEN, ROOT

BIN = Path(sys.executable).parent


def hook() -> dict[str, Any]:
    (only,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(only, dict)
    return only


DATA = [
    "feed.ndjson",
    "archive/2018/10/10/stream.ndjson.gz",
    "twarc-output.jsonl",
    "tweets.jsonl.zst",
    "export.ndjson.bz2",
    "search-pages.json.gz",
    "backfill.json.xz",
    "20150101-20150102_qx7sk2_2015_01_01_00_00_activities.json.gz",
    "hpt/job_2015_10_01_18_10_activities.json",
]
NOT_DATA = [
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    ".vscode/settings.json",
    "composer.json",
    "schemas/2022/native-post.json",
    "results.json",  # plain .json is opt-in: see the README
    "notes.ndjson.bak",
    "context.jsonld",
    "feed.ndjson.gz.part",
    "logs.gz",
]


def test_the_manifest_is_one_valid_hook_running_xformat_validate() -> None:
    run = subprocess.run(
        [str(BIN / "pre-commit"), "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert hook()["id"] == "xformat-validate" and hook()["entry"] == "xformat validate"


@pytest.mark.parametrize("name", DATA)
def test_the_pattern_takes_data_files_compressed_or_not(name: str) -> None:
    assert re.search(hook()["files"], name)


@pytest.mark.parametrize("name", NOT_DATA)
def test_the_pattern_leaves_settings_and_other_files_alone(name: str) -> None:
    assert not re.search(hook()["files"], name)


def _repo(tmp_path: Path, files: dict[str, bytes], override: str | None = None) -> Path:
    """A git repository holding ``files`` and a config running the hook as published, except that
    it runs this environment's xformat (a ``repo: local`` hook of language ``system``: pre-commit
    would otherwise build a fresh environment from the repository, which needs the network)."""
    repo = tmp_path / "repo"
    repo.mkdir(parents=True)
    for name, data in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_bytes(data)
    local = dict(hook(), entry=f"{BIN / 'xformat'} validate", language="system")
    if override is not None:
        local["files"] = override
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    return repo


def _pre_commit(repo: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    env["PRE_COMMIT_NO_CONCURRENCY"] = "1"  # one xformat run for all files: one summary line to read
    return subprocess.run(
        [str(BIN / "pre-commit"), "run", "--all-files", "--verbose"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _line(case: str, fmt: str = "native") -> bytes:
    return json.dumps(json.loads((GOLDEN / case / f"{fmt}.json").read_bytes())).encode() + b"\n"


BAD = b'{"id_str": 5}\n'


def test_pre_commit_passes_compressed_data_files_and_xformat_reads_them(tmp_path: Path) -> None:
    files = {
        "package.json": b'{"name": "not-a-post", "version": "1.0.0"}\n',
        ".vscode/settings.json": b'{"editor.tabSize": 2}\n',
        "data/feed.ndjson.gz": gzip.compress(_line("plain_post") + _line("retweet", "activity")),
        "data/pages.json.bz2": bz2.compress(_line("quote") + BAD),
        "data/clean.jsonl": _line("reply"),
    }
    run = _pre_commit(_repo(tmp_path, files), tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    # The invalid record is found inside the bzip2 file, named by file and line; the settings
    # files were never passed (they would be invalid records), the gzip file was read and valid.
    assert "data/pages.json.bz2:2: $.id_str: expected a string, got an integer" in run.stdout
    assert "package.json" not in run.stdout and "settings.json" not in run.stdout
    assert "5 records: 4 valid (4 posts" in run.stdout

    files["data/pages.json.bz2"] = bz2.compress(_line("quote"))
    run = _pre_commit(_repo(tmp_path / "fixed", files), tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 records: 4 valid" in run.stdout


def test_a_files_override_opts_plain_json_in(tmp_path: Path) -> None:
    files = {
        "package.json": b'{"name": "not-a-post"}\n',
        "records/one.json": _line("plain_post"),
        "records/two.json": BAD,
        "feed.ndjson": _line("reply"),
    }
    run = _pre_commit(_repo(tmp_path, files, override=r"^records/.*\.json$"), tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "records/two.json:1: $.id_str" in run.stdout
    assert "2 records: 1 valid" in run.stdout  # the override replaces the pattern: feed.ndjson not taken
    assert "package.json" not in run.stdout
