"""How the commands behave at the edges of their output: a reader that stops early (``| head``),
``--quiet`` and ``--progress`` for validate as for convert, summaries that point only at files
that exist, and numbers written one way."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import msgspec
from click.testing import CliRunner, Result

from tests.samples import native_post
from xformat.cli import main
from xformat.reporting import SHOWN_CODES, reporter
from xformat.summary import Summary as ConversionSummary
from xformat.validate import Summary as ValidationSummary


def xformat(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


def posts(n: int, **fields: object) -> bytes:
    """``n`` posts, one a line: far more than a pipe holds when ``n`` is in the thousands."""
    return b"".join(msgspec.json.encode(native_post(id_str=str(i), id=i, **fields)) + b"\n" for i in range(1, n + 1))


def first_line_then_gone(args: list[str], feed: Path) -> subprocess.CompletedProcess[bytes]:
    """The command run with its stdout read by something that stops after a line (``| head -1``)."""
    command = [sys.executable, "-m", "xformat", *args, str(feed)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()
        stderr = process.stderr.read()
        code = process.wait(timeout=120)
    assert first, stderr
    return subprocess.CompletedProcess(command, code, first, stderr)


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.ndjson", tmp_path / "bad.ndjson"
    good.write_bytes(posts(3000))
    bad.write_bytes(posts(3000, created_at="yesterday"))
    for args, feed, code in (
        (["convert", "--to", "activity", "-q"], good, 0),  # the reader has what it wanted
        (["ids"], good, 0),
        (["validate", "-q"], bad, 1),  # the verdict so far: it was writing an invalid record's error
        (["validate"], bad, 1),
    ):
        run = first_line_then_gone(args, feed)
        assert run.returncode == code, (args, run.returncode, run.stderr)
        assert b"Traceback" not in run.stderr and b"Broken pipe" not in run.stderr and b"Errno" not in run.stderr


def test_validate_quiet_writes_the_errors_alone() -> None:
    feed = posts(2) + posts(1, created_at="yesterday")
    quiet = xformat("validate", "-q", "-", input=feed)
    assert quiet.exit_code == 1 and quiet.stderr == ""
    assert quiet.stdout == "-:3: $.created_at: expected a time like 'Wed Oct 10 20:19:24 +0000 2018', got 'yesterday'\n"
    loud = xformat("validate", "--progress", "-", input=feed)
    assert loud.exit_code == 1 and loud.stdout == quiet.stdout
    assert loud.stderr.endswith("xformat validate: 3 records: 2 valid (2 posts, 0 deletions, 0 info lines), 1 invalid, "
                                "0 keep-alives\n")  # fmt: skip
    assert xformat("validate", "--quiet", "-", input=posts(2)).output == ""


def _with_codes(n: int) -> ConversionSummary:
    summary = ConversionSummary(read=1, converted=1)
    summary.losses = Counter({f"loss_{i:02d}": 1 for i in range(n)})
    return summary


def test_one_more_code_is_named_not_counted() -> None:
    text = reporter("text").conversion(_with_codes(SHOWN_CODES + 1))
    assert f"loss_{SHOWN_CODES:02d} 1" in text and "more" not in text


def test_the_rest_of_the_codes_is_said_where_it_can_be_found() -> None:
    text = reporter("text").conversion(_with_codes(SHOWN_CODES + 3))
    assert text.splitlines()[1].endswith(" and 3 more (all of them with --summary-json PATH)")
    written = reporter("text").conversion(_with_codes(SHOWN_CODES + 3), summary_json="run.json")
    assert written.splitlines()[1].endswith(" and 3 more (in run.json)")


def test_the_convert_summary_points_at_no_summary_file_it_did_not_write(tmp_path: Path) -> None:
    records = [native_post(id_str=str(i), id=i, **{f"extra_{i}": 1}) for i in range(1, SHOWN_CODES + 4)]
    feed = b"".join(msgspec.json.encode(record) + b"\n" for record in records)
    plain = xformat("convert", "--to", "activity", "-", input=feed)
    assert "unknown fields dropped (records):" in plain.stderr
    assert "(all of them with --summary-json PATH)" in plain.stderr and "(see --summary-json)" not in plain.stderr
    summary = str(tmp_path / "s.json")
    asked = xformat("convert", "--to", "activity", "--summary-json", summary, "-", input=feed)
    assert f"and 3 more (in {summary})" in asked.stderr


def test_numbers_have_thousands_separators_everywhere() -> None:
    validation = ValidationSummary(records=12_345, invalid=1_234, keep_alives=1_000, kinds=Counter(post=10_111))
    assert reporter("text").validation(validation) == (
        "xformat validate: 12,345 records: 10,111 valid (10,111 posts, 0 deletions, 0 info lines), 1,234 invalid, "
        "1,000 keep-alives"
    )
    assert "stopped at invalid record 1,234: " in reporter("text").validation(validation, stopped=True)
    conversion = ConversionSummary(read=2_000, converted=1_500, keepalives=1_000, rejected=1_200, info=1_001)
    text = reporter("text").conversion(conversion)
    assert "read 2,000 records" in text and "1,500 posts" in text and "1,001 info lines" in text
    assert "1,000 keep-alives" in text and "1,200 rejected" in text
