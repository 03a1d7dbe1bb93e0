"""Every command meets the faults a new user meets first (a bad option, a file that is missing
or cannot be read, an empty input) with an exit status that means it and one line on stderr,
never a traceback. An empty input is no fault: zero records, exit 0 (README, Exit status)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from xformat.cli import main
from xformat.cli.common import guarded
from xformat.errors import UsageError

Args = Callable[[str, Path], list[str]]
"""A command line reading the file named (first argument) and writing in the directory."""

READING: dict[str, Args] = {
    "convert": lambda name, out: ["convert", "--to", "activity", name, "-o", str(out / "out.ndjson")],
    "validate": lambda name, out: ["validate", name],
    "ids": lambda name, out: ["ids", name],
    "comply": lambda name, out: ["comply", name, "--results", str(out / "none.jsonl"), "-o", str(out / "c.ndjson")],
    "comply --results": lambda name, out: ["comply", str(out / "none.jsonl"), "--results", name, "-o", str(out / "c.ndjson")],  # noqa: E501
    "export": lambda name, out: ["export", name, "-o", str(out / "rows.csv")],
    "stats": lambda name, out: ["stats", name],
}
"""Each command that reads records, and each of comply's two kinds of input."""

COMMANDS = {
    "convert": ["convert", "--to", "activity"],
    "validate": ["validate"],
    "ids": ["ids"],
    "comply": ["comply", "x.ndjson", "--results", "r.jsonl", "-o", "out.ndjson"],
    "export": ["export"],
    "stats": ["stats"],
    "losses": ["losses"],
    "schema list": ["schema", "list"],
    "schema show": ["schema", "show", "native-post"],
    "schema check": ["schema", "check"],
    "schema write": ["schema", "write"],
    "compliance-job run": ["compliance-job", "run", "--type", "tweets", "ids.txt", "-o", "r.jsonl"],
    "compliance-job download": ["compliance-job", "download", "1", "-o", "r.jsonl"],
    "compliance-job status": ["compliance-job", "status", "1"],
    "compliance-job list": ["compliance-job", "list"],
}
"""Every subcommand, with the arguments it requires."""


def run(args: list[str], cwd: Path) -> Result:
    previous = Path.cwd()
    os.chdir(cwd)  # what a command writes with relative names lands in the test's directory
    try:
        return CliRunner().invoke(main, args, input=b"")
    finally:
        os.chdir(previous)


def one_line(result: Result, code: int, prefix: str) -> str:
    assert result.exit_code == code, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(prefix), result.stderr
    assert "Traceback" not in result.output
    return result.stderr


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "none.jsonl").write_bytes(b"")
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS, ids=COMMANDS)
def test_a_bad_option_is_one_line_and_exit_2(workdir: Path, command: str) -> None:
    one_line(run([*COMMANDS[command], "--no-such-option"], workdir), 2, f"xformat {command}: No such option")


@pytest.mark.parametrize(("args", "prefix"), [(["no-such-command"], "xformat: "), (["--bogus"], "xformat: "),
                                              (["schema", "bogus"], "xformat schema: "),
                                              (["compliance-job", "bogus"], "xformat compliance-job: ")])  # fmt: skip
def test_a_bad_command_or_group_option_is_one_line_and_exit_2(workdir: Path, args: list[str], prefix: str) -> None:
    one_line(run(args, workdir), 2, prefix)


@pytest.mark.parametrize("command", READING, ids=READING)
def test_a_missing_file_is_one_line_and_exit_2(workdir: Path, command: str) -> None:
    result = run(READING[command]("missing.ndjson", workdir), workdir)
    assert one_line(result, 2, "xformat comply: " if "comply" in command else f"xformat {command}: ").endswith(
        ": no such file or directory: missing.ndjson\n"
    )
    assert sorted(p.name for p in workdir.iterdir()) == ["none.jsonl"]  # nothing written


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads files whatever their mode")
@pytest.mark.parametrize("command", READING, ids=READING)
def test_an_unreadable_file_is_one_line_and_exit_2(workdir: Path, command: str) -> None:
    locked = workdir / "locked.ndjson"
    locked.write_bytes(b"{}\n")
    locked.chmod(0)
    result = run(READING[command]("locked.ndjson", workdir), workdir)
    assert one_line(result, 2, "xformat ").endswith(": cannot read locked.ndjson: Permission denied\n")


@pytest.mark.parametrize("command", READING, ids=READING)
def test_a_path_that_cannot_be_opened_is_one_line_and_exit_2(workdir: Path, command: str) -> None:
    # What root meets where others meet 'Permission denied': a path through a file.
    (workdir / "plain.ndjson").write_bytes(b"{}\n")
    result = run(READING[command]("plain.ndjson/inner.ndjson", workdir), workdir)
    assert one_line(result, 2, "xformat ").endswith(": cannot read plain.ndjson/inner.ndjson: Not a directory\n")


@pytest.mark.parametrize("command", ["comply --results"])
def test_a_directory_given_for_a_file_is_one_line_and_exit_2(workdir: Path, command: str) -> None:
    (workdir / "results").mkdir()
    result = run(READING[command]("results", workdir), workdir)
    assert one_line(result, 2, "xformat comply: ").endswith(": cannot read results: Is a directory\n")


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc/self/mem, which no read gets past")
@pytest.mark.parametrize("command", READING, ids=READING)
def test_a_file_whose_reading_fails_is_reported_not_a_crash(workdir: Path, command: str) -> None:
    # Opened fine, then EIO at the first byte: a bad record of the data (exit 1, file and line),
    # or, for a results file, which must be read whole, nothing applied (exit 2).
    result = run(READING[command]("/proc/self/mem", workdir), workdir)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if command == "comply --results":
        one_line(result, 2, "xformat comply: /proc/self/mem: cannot read the results to their end")
    else:
        assert result.exit_code == 1
        assert re.search(r"/proc/self/mem:1: (\$: )?cannot read further: \[Errno 5\] Input/output error", result.output)


@pytest.mark.parametrize("command", READING, ids=READING)
def test_an_empty_input_is_zero_records_and_exit_0(workdir: Path, command: str) -> None:
    (workdir / "empty.ndjson").write_bytes(b"")
    for name in ("empty.ndjson", "-"):
        result = run(READING[command](name, workdir), workdir)
        if command == "comply" and name == "-":  # it reads its data twice: stdin is refused, in one line
            one_line(result, 2, "xformat comply: comply reads its inputs twice")
            continue
        assert result.exit_code == 0, (name, result.output)
        assert "Traceback" not in result.output


def test_an_exception_group_is_said_as_its_first_fault_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    def job() -> None:
        raise ExceptionGroup("workers", [ExceptionGroup("inner", [UsageError("no such file or directory: a")])])

    with pytest.raises(SystemExit) as stopped:
        guarded("convert", job)
    assert stopped.value.code == 2
    assert capsys.readouterr().err == "xformat convert: no such file or directory: a\n"


def test_schema_check_of_a_missing_directory_is_a_usage_error(workdir: Path) -> None:
    result = run(["schema", "check", "--dir", "no-such-dir"], workdir)
    assert one_line(result, 2, "xformat schema check: ").endswith("'no-such-dir' does not exist.\n")


def test_schema_show_and_validate_read_a_year_alike(workdir: Path) -> None:
    # One parser of eras: 2019 is a year of the 2017 era for both; a word is refused by both.
    shown = run(["schema", "show", "native-post", "--version", "2019"], workdir)
    assert shown.exit_code == 0
    assert shown.stdout == run(["schema", "show", "native-post", "--version", "2017"], workdir).stdout
    assert '"$id": "urn:xformat:schema:2017:native-post"' in shown.stdout
    for args in (["schema", "show", "native-post", "--version", "soon"], ["validate", "--era", "soon", "-"]):
        assert one_line(run(args, workdir), 2, "xformat ").endswith(": not a year: 'soon'\n")
