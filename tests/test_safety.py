"""What a hostile file or a killed run must never do: write outside the output asked for,
overwrite an input, leave workers or temporary files behind, or hold memory that grows with
the input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.feeds import native_lines, ndjson
from tests.samples import native_post
from xformat import output as output_module
from xformat.cli import main
from xformat.errors import UsageError
from xformat.output import UNDATED, SplitOutput, split_key

ROOT = Path(__file__).resolve().parent.parent


def xformat(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


# --- split keys: only ever a parsed time or a count ---------------------------------------


@pytest.mark.parametrize(
    ("when", "day", "hour"),
    [
        ("2018-10-10T20:19:24.000Z", "2018-10-10", "2018-10-10T20"),
        ("2018-10-10T23:30:00-02:00", "2018-10-11", "2018-10-11T01"),  # UTC, whatever the offset
        ("2018-10-10T20:19:24", "2018-10-10", "2018-10-10T20"),  # no offset: UTC, as the formats are
        (datetime(2018, 10, 10, 20, 5, tzinfo=UTC), "2018-10-10", "2018-10-10T20"),
        ("../../../x", UNDATED, UNDATED),
        ("/etc/passwd", UNDATED, UNDATED),
        ("2018-10-10/../../x", UNDATED, UNDATED),
        ("2018-10-10T20\x00:00:00Z", UNDATED, UNDATED),
        ("2018-10-10T20:00:00\nZ", UNDATED, UNDATED),
        ("0001-01-01T00:00:00+01:00", UNDATED, UNDATED),  # before the calendar, in UTC
        ("", UNDATED, UNDATED),
        (None, UNDATED, UNDATED),
    ],
)
def test_split_keys_come_only_from_a_parsed_time(when: Any, day: str, hour: str) -> None:
    assert (split_key("day", when), split_key("hour", when)) == (day, hour)


@pytest.mark.parametrize("posted", ["../../../escaped", "/tmp/absolute-escape", "2018\x00-10-10", "..", "a/b"])
@pytest.mark.parametrize("pattern", [False, True])
def test_a_record_copied_unchanged_cannot_name_a_file(tmp_path: Path, posted: str, pattern: bool) -> None:
    """A native record copied as it is, with a `postedTime` of its own (an unknown field to the
    native format), once chose the part's name: `out/../../../x.ndjson`, or anywhere with a
    pattern, and a NUL byte in it was a traceback. The part's name now comes from the decoded
    record's own time (its ``created_at``): an unknown member is never read for it."""
    source = tmp_path / "in.ndjson"
    source.write_bytes(json.dumps(native_post(postedTime=posted)).encode() + b"\n")
    out = tmp_path / "deep" / "er" / "out"
    target = str(out / "{}.ndjson") if pattern else str(out)
    result = xformat("convert", "--to", "native", str(source), "-o", target, "--split-by", "day", "-q")
    assert result.exit_code == 0, result.output
    assert files_under(tmp_path) == {"in.ndjson", "deep/er/out/2018-10-10.ndjson"}
    assert not Path("/tmp/absolute-escape.ndjson").exists()


def test_a_part_outside_the_output_directory_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last line of defence, whatever a key turned out to be."""
    monkeypatch.setattr(output_module, "split_key", lambda split, when: "../escaped")
    parts = SplitOutput(str(tmp_path / "out"), "day")
    with pytest.raises(UsageError, match="outside"):
        parts.write(b"{}\n", [3], ["2018-10-10T00:00:00Z"])
    assert files_under(tmp_path) == set()


# --- an output never overwrites an input ------------------------------------------------


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "feed.ndjson"
    path.write_bytes(ndjson(native_lines()))
    (tmp_path / "link.ndjson").symlink_to(path)
    os.link(path, tmp_path / "hard.ndjson")
    return path


def _refusals(feed: Path) -> list[list[str]]:
    d = feed.parent
    return [
        ["convert", "--to", "activity", str(feed), "-o", str(feed)],
        ["convert", "--to", "activity", str(feed), "-o", str(d / "link.ndjson")],
        ["convert", "--to", "activity", str(feed), "-o", str(d / "hard.ndjson")],
        ["convert", "--to", "activity", str(d / "link.ndjson"), "-o", str(feed)],
        ["convert", "--to", "activity", str(feed), "-o", str(d / "o.ndjson"), "--rejects", str(feed)],
        ["convert", "--to", "activity", str(feed), "-o", str(d / "o.ndjson"), "--summary-json", str(d / "link.ndjson")],
        ["convert", "--to", "activity", str(feed), "-o", str(d / "parts"), "--split-by", "day"],
        ["convert", "--to", "activity", str(feed), "-o", str(d / "parts/{}.ndjson"), "--split-by", "day"],
        ["convert", "--to", "activity", str(feed), "-o", str(d / "parts"), "--split-by", "2"],
        ["ids", str(feed), "-o", str(feed)],
        ["ids", str(feed), "-o", str(d / "hard.ndjson")],
        ["ids", str(d / "ids.0002.txt"), "-o", str(d / "ids.txt"), "--chunk", "1"],
        ["comply", str(feed), "--results", str(d / "r.jsonl"), "-o", str(d / "link.ndjson")],
        ["comply", str(feed), "--results", str(d / "r.jsonl"), "-o", str(d / "o.ndjson"), "--report", str(feed)],
    ]  # fmt: skip


@pytest.mark.parametrize("case", range(len(_refusals(Path("x")))))
def test_an_output_that_is_an_input_is_refused(data: Path, case: int) -> None:
    d = data.parent
    (d / "parts").mkdir()
    (d / "parts" / "2018-10-10.ndjson").hardlink_to(data)  # files a split may write
    (d / "parts" / "00002.ndjson").hardlink_to(data)
    (d / "ids.0002.txt").hardlink_to(data)
    (d / "r.jsonl").write_text('{"id": "1", "reason": "deleted"}\n')
    before = data.read_bytes()
    result = xformat(*_refusals(data)[case])
    assert result.exit_code == 2 and "inputs are never modified in place" in result.stderr, result.stderr
    assert data.read_bytes() == before and files_under(d) == {
        "feed.ndjson", "link.ndjson", "hard.ndjson", "r.jsonl", "ids.0002.txt",
        "parts/2018-10-10.ndjson", "parts/00002.ndjson",
    }  # fmt: skip


def test_a_split_that_cannot_write_over_an_input_runs(data: Path) -> None:
    (data.parent / "parts").mkdir()
    (data.parent / "parts" / "2018-10-10.ndjson").hardlink_to(data)  # an hour split never writes this name
    result = xformat("convert", "--to", "activity", str(data), "-o", str(data.parent / "parts"), "--split-by", "hour")
    assert result.exit_code == 0, result.stderr
    assert (data.parent / "parts" / "2018-10-10T20.ndjson").exists()


def test_outputs_may_share_a_device_but_not_a_file(data: Path) -> None:
    d = data.parent
    ok = xformat("convert", "--to", "activity", str(data), "-o", "/dev/null", "--rejects", "/dev/null", "-q")
    assert ok.exit_code == 0, ok.stderr
    out = str(d / "o.ndjson")
    same = xformat("convert", "--to", "activity", str(data), "-o", out, "--rejects", out)
    assert same.exit_code == 2 and "--rejects" in same.stderr and "is also -o" in same.stderr


# --- file names that are not UTF-8 ------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_written_with_escapes(tmp_path: Path) -> None:
    name = os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.ndjson")
    Path(name).write_bytes(ndjson(native_lines()[:1]) + b'{"id_str": 1}\n')
    shown = str(tmp_path) + "/caf\\xe9.ndjson"
    rejects, summary = tmp_path / "rejects.ndjson", tmp_path / "summary.json"
    result = xformat("convert", "--to", "activity", name, "-o", os.fsdecode(os.fsencode(tmp_path) + b"/o\xe9.ndjson"),
                     "--rejects", str(rejects), "--summary-json", str(summary))  # fmt: skip
    assert result.exit_code == 1, result.stderr
    assert json.loads(rejects.read_bytes())["source"] == shown
    written = json.loads(summary.read_bytes())
    assert written["inputs"] == [shown] and written["outputs"] == [str(tmp_path) + "/o\\xe9.ndjson"]
    checked = xformat("validate", "--output", "json", name)
    assert checked.exit_code == 1 and json.loads(checked.stdout.splitlines()[0])["file"] == shown
    (tmp_path / "r.jsonl").write_text('{"id": "1", "reason": "deleted"}\n')
    Path(name).write_bytes(ndjson(native_lines()[:1]))
    report = tmp_path / "report.json"
    complied = xformat("comply", name, "--results", str(tmp_path / "r.jsonl"), "-o", str(tmp_path / "c.ndjson"),
                       "--report", str(report))  # fmt: skip
    assert complied.exit_code == 0, complied.stderr
    assert json.loads(report.read_bytes())["inputs"] == [shown]


# --- workers and temporary files of a killed run ----------------------------------------

pytestmark_linux = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; whoever adopted it may not reap it


_HANG = 120
"""Seconds after which a wait counts as a hang. Only a hang: a loaded machine may take long, and
no test here says how fast anything must be."""


def _wait_for(condition: Callable[[], bool], seconds: float = _HANG) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


_WITHOUT_PDEATHSIG = (
    "import sys, xformat.parallel as p; p._die_with_parent = lambda: None; "
    "from xformat.cli import main; sys.argv[0] = 'xformat'; main()"
)


@pytestmark_linux
@pytest.mark.parametrize(
    ("sig", "told"),
    [(signal.SIGKILL, True), (signal.SIGTERM, True), (signal.SIGKILL, False)],
    ids=["SIGKILL", "SIGTERM", "SIGKILL-pipe-only"],
)
@pytest.mark.parametrize("split", [False, True])
def test_a_killed_run_leaves_no_worker_and_no_temporary_file(
    tmp_path: Path, sig: signal.Signals, told: bool, split: bool
) -> None:
    """`convert --jobs 3` reading a feed that keeps coming (a pipe the test holds open), killed
    once its workers run: they exit and no temporary output remains. Without the kernel's word
    (PR_SET_PDEATHSIG), the end of their pipes tells them. A worker cleans up before it exits, so
    once the workers are gone there is nothing left to wait for."""
    command = [sys.executable, "-m", "xformat"] if told else [sys.executable, "-c", _WITHOUT_PDEATHSIG]
    parts = ["-o", str(tmp_path / "out" / "{}.ndjson.gz"), "--split-by", "50"]
    out = parts if split else ["-o", str(tmp_path / "out.ndjson.gz")]
    process = subprocess.Popen(
        [*command, "convert", "--to", "activity", "--jobs", "3", *out, "-q"],
        stdin=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )  # fmt: skip
    assert process.stdin is not None and process.stderr is not None
    try:
        process.stdin.write(ndjson(native_lines()) * 3000)  # 3 MiB: blocks go to the workers
        process.stdin.flush()
        temporaries = lambda: [p for p in tmp_path.rglob(".*.part")]  # noqa: E731
        assert _wait_for(lambda: len(_children(process.pid)) == 2 and bool(temporaries()))
        workers = _children(process.pid)
        os.kill(process.pid, sig)
        process.wait(_HANG)
        assert _wait_for(lambda: not any(_running(pid) for pid in workers)), "a worker outlived its parent"
        assert not temporaries()
        if sig == signal.SIGTERM:
            assert process.returncode == 143
            assert process.stderr.read() == b"xformat convert: terminated: no output written\n"
        assert not (tmp_path / "out.ndjson.gz").exists() and not list(tmp_path.rglob("*.ndjson.gz"))
    finally:
        process.kill()
        process.wait()
        process.stdin.close()
        process.stderr.close()


_PIPES_END_FIRST = """
import multiprocessing, os, sys
from xformat.cli import main
from xformat.output import SplitOutput

write = SplitOutput.write

def write_then_lose_the_pipes(self, *args):
    write(self, *args)
    workers = [child.pid for child in multiprocessing.active_children()]
    print(len(workers), len(self._parts), flush=True)
    os.closerange(3, os.sysconf('SC_OPEN_MAX'))  # the pipes end, as a killed run's do before its children move
    for pid in workers:
        os.waitpid(pid, 0)  # still their parent, as a killed run is until the kernel is done with it
    os._exit(0)

SplitOutput.write = write_then_lose_the_pipes
sys.argv[0] = 'xformat'
main()
"""


@pytestmark_linux
def test_workers_whose_pipes_end_clean_up_though_their_parent_seems_alive(tmp_path: Path) -> None:
    """A killed process's files close before the kernel hands its children to another parent, and
    a worker can run in between, its pipe ended but its parent still the dying run. The workers
    then left the run's temporary parts behind: they took the end of the pipe for the news of
    their parent's death only if their parent had changed (under load, hundreds of parts stayed).
    Here the run closes every file of its own once its first parts are written and waits for
    its workers, staying their parent: the workers must clean up anyway."""
    feed = tmp_path / "feed.ndjson"
    feed.write_bytes(ndjson(native_lines()) * 3000)
    target = str(tmp_path / "out" / "{}.ndjson.gz")
    run = subprocess.run(
        [sys.executable, "-c", _PIPES_END_FIRST, "convert", "--to", "activity", "--jobs", "3", str(feed),
         "-o", target, "--split-by", "50", "-q"],
        capture_output=True, cwd=ROOT, timeout=_HANG,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    workers, parts = map(int, run.stdout.split())
    assert workers == 2 and parts > 0, run.stdout
    assert files_under(tmp_path) == {"feed.ndjson"}


# --- memory does not grow with rejects --------------------------------------------------


def _peak_rss_kib(args: list[str], cwd: Path) -> int:
    """Peak resident memory of a run of xformat (and of its worker processes, which it reaps)."""
    process = subprocess.Popen([sys.executable, "-m", "xformat", *args], cwd=cwd, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 1, args  # every record rejected
    return usage.ru_maxrss


@pytest.mark.parametrize(
    "command",
    [
        ["convert", "--to", "activity", "--jobs", "2", "-o", "/dev/null"],
        ["convert", "--to", "activity", "-o", "/dev/null", "--rejects", "/dev/null"],
        ["ids", "-o", "/dev/null"],
    ],
    ids=["convert-jobs-2", "convert-rejects-file", "ids"],
)
def test_memory_stays_flat_however_many_records_are_rejected(tmp_path: Path, command: list[str]) -> None:
    """A reject leaves a count behind, not an object: peak memory over 200,000 rejected records
    (`{}` lines) is that over 20,000. (Before: a megabyte block of tiny lines held every result
    of its 350,000 lines, and `ids`/`comply` kept every message.)"""
    small, large = tmp_path / "small.ndjson", tmp_path / "large.ndjson"
    small.write_bytes(b"{}\n" * 20_000)
    large.write_bytes(b"{}\n" * 200_000)
    base = _peak_rss_kib([*command, str(small)], ROOT)
    grown = _peak_rss_kib([*command, str(large)], ROOT)
    assert grown - base < 4 * 1024, f"peak RSS {base} KiB for 20,000 rejects, {grown} KiB for 200,000"
