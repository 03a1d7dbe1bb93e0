"""``xformat validate`` and ``xformat schema`` end to end: inputs, outputs, exit codes, one-line errors."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import GOLDEN, ROOT, load_json
from tests.feeds import INFO, native_lines, ndjson
from xformat.cli import main
from xformat.registry import SOURCE_SCHEMAS
from xformat.validate import POOL_MIN_BYTES, pool_jobs

BAD = b'{"id_str": 5}'
GOOD = json.dumps(load_json(GOLDEN / "plain_post" / "native.json")).encode()


def xformat(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


def write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_all_valid_exits_0_with_a_summary_on_stderr(tmp_path: Path) -> None:
    feed = write(tmp_path / "feed.ndjson", ndjson(native_lines()) + b"\n" + INFO + b"\n")
    result = xformat("validate", feed)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == (
        "xformat validate: 7 records: 6 valid (4 posts, 1 deletion, 1 info line), 0 invalid, 1 keep-alive\n"
    )


def test_invalid_records_exit_1_with_file_line_path_and_reason(tmp_path: Path) -> None:
    feed = write(tmp_path / "feed.ndjson", GOOD + b"\n" + BAD + b"\n{oops\n")
    result = xformat("validate", feed)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{feed}:2: $.id_str: expected a string, got an integer"
    assert f"{feed}:2: $: missing required field 'user'" in lines
    assert lines[-1].startswith(f"{feed}:3: $: malformed JSON")
    assert "3 records: 1 valid (1 post, 0 deletions, 0 info lines), 2 invalid, 0 keep-alives" in result.stderr


def test_json_output_is_one_object_per_error(tmp_path: Path) -> None:
    feed = write(tmp_path / "feed.ndjson", GOOD + b"\n" + BAD + b"\n")
    result = xformat("validate", "--output", "json", feed)
    assert result.exit_code == 1
    errors = [json.loads(line) for line in result.stdout.splitlines()]
    assert errors[0] == {
        "file": feed, "line": 2, "item": None, "format": "native", "kind": "post",
        "path": "$.id_str", "reason": "expected a string, got an integer",
    }  # fmt: skip
    assert {e["line"] for e in errors} == {2}


def test_github_output_is_workflow_annotations(tmp_path: Path) -> None:
    feed = write(tmp_path / "a,b:c%.ndjson", BAD + b"\n")
    result = xformat("validate", "--output", "github", feed)
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    escaped = feed.replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    assert first == f"::error file={escaped},line=1,title=xformat validate::$.id_str: expected a string, got an integer"
    from_stdin = xformat("validate", "--output", "github", "-", input=b"\n" + BAD + b"\n").stdout.splitlines()[0]
    assert from_stdin == "::error title=xformat validate::$.id_str: expected a string, got an integer"


def test_stdin_by_dash_or_by_default() -> None:
    for args in (["-"], []):
        result = xformat("validate", *args, input=GOOD + b"\n" + BAD + b"\n")
        assert result.exit_code == 1
        assert result.stdout.startswith("-:2: $.id_str: ")


def test_gzip_arrays_and_search_pages(tmp_path: Path) -> None:
    compressed = write(tmp_path / "feed.ndjson.gz", gzip.compress(GOOD + b"\n" + BAD + b"\n"))
    array = write(tmp_path / "array.json", b"[\n" + GOOD + b",\n" + BAD + b"\n]\n")
    page = write(tmp_path / "page.json", b'{"results": [' + GOOD + b", " + BAD + b'], "next": "x"}')
    result = xformat("validate", compressed, array, page)
    assert result.exit_code == 1
    where = {line.split(": ")[0] for line in result.stdout.splitlines()}
    assert where == {f"{compressed}:2", f"{array}:3#1", f"{page}:1#1"}
    assert "6 records: 3 valid" in result.stderr


def test_examples_and_golden_files_validate() -> None:
    golden = [str(p) for p in sorted(GOLDEN.glob("*/*.json")) if p.name.startswith(("native", "activity"))]
    examples = ROOT / "examples"
    result = xformat("validate", *golden, str(examples / "data"))
    assert result.exit_code == 0, result.stdout
    bad = xformat("validate", str(examples / "rejects" / "with-bad-lines.ndjson"))
    assert bad.exit_code == 1 and "2 invalid" in bad.stderr


def test_strict_reports_unknown_fields() -> None:
    salty = ndjson(native_lines()[3:4])  # carries "flavour", a field the formats do not define
    assert xformat("validate", input=salty).exit_code == 0
    strict = xformat("validate", "--strict", input=salty)
    assert strict.exit_code == 1 and strict.stdout == "-:1: $.flavour: unknown field\n"


def test_a_forced_format_and_an_era() -> None:
    assert xformat("validate", "--format", "native", input=GOOD).exit_code == 0
    as_activity = xformat("validate", "--format", "activity", input=GOOD)
    assert as_activity.exit_code == 1
    assert as_activity.stdout == "-:1: $: this is an Enriched Native record, not Activity Streams\n"
    edited = (GOLDEN / "edited_post" / "native.json").read_bytes()
    assert xformat("validate", "--era", "2023", input=edited).exit_code == 0
    old = xformat("validate", "--era", "2016", input=edited)
    assert old.exit_code == 1
    assert "-:1: $.edit_history: not defined in the 2012 era: a field of the 2022 era" in old.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_max_errors_stops_early(jobs: str) -> None:
    result = xformat("validate", "--jobs", jobs, "--max-errors", "2", input=BAD + b"\n" + BAD + b"\n" + BAD + b"\n")
    assert result.exit_code == 1
    assert {line.split(": ")[0] for line in result.stdout.splitlines()} == {"-:1", "-:2"}
    assert "stopped at invalid record 2: 2 records" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "missing.ndjson"], "xformat validate: no such file or directory: missing.ndjson\n"),
        (["validate", "--format", "gnip", "-"], "xformat validate: Invalid value for '--format': 'gnip' is not one of"),
        (["validate", "--era", "soon", "-"], "xformat validate: Invalid value for '--era': not a year: 'soon'\n"),
        (["validate", "--max-errors", "0", "-"], "xformat validate: Invalid value for '--max-errors': 0 is not in"),
        (["validate", "--colour", "-"], "xformat validate: No such option '--colour'.\n"),
        (["schema", "show", "tweet"], "xformat schema: no schema named 'tweet': expected one of activity,"),
    ],
)
def test_usage_and_io_errors_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = xformat(*args, input=b"")
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert result.stdout == "" and "Traceback" not in result.stderr


def test_a_truncated_archive_is_an_invalid_record_not_a_crash(tmp_path: Path) -> None:
    whole = gzip.compress(GOOD + b"\n" + GOOD + b"\n" * 2000)
    feed = write(tmp_path / "cut.ndjson.gz", whole[: len(whole) // 2 + 10])
    result = xformat("validate", feed)
    assert result.exit_code == 1
    assert re.fullmatch(rf"{re.escape(feed)}:\d+: \$: cannot read further: .*\n", result.stdout)


def test_schema_list_show_check_write(tmp_path: Path) -> None:
    listed = xformat("schema", "list")
    assert listed.exit_code == 0
    assert re.search(
        r"^native-post\s+2017\s+urn:xformat:schema:2017:native-post\s+Enriched Native post", listed.stdout, re.M
    )
    shown = xformat("schema", "show", "activity", "--version", "2012")
    assert shown.stdout == (SOURCE_SCHEMAS / "2012" / "activity.json").read_text(encoding="utf-8")
    assert xformat("schema", "check").exit_code == 0

    shutil.copytree(SOURCE_SCHEMAS, tmp_path / "schemas")
    (tmp_path / "schemas" / "2022" / "common.json").unlink()
    drifted = xformat("schema", "check", "--dir", str(tmp_path / "schemas"))
    assert drifted.exit_code == 1 and drifted.stdout == "missing: 2022/common.json\n"
    assert "1 schema files in" in drifted.stderr and "run `xformat schema write`" in drifted.stderr
    written = xformat("schema", "write", "--dir", str(tmp_path / "schemas"))
    assert written.exit_code == 0 and written.stdout == "2022/common.json\n"
    assert xformat("schema", "check", "--dir", str(tmp_path / "schemas")).exit_code == 0


def test_the_installed_console_script(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "xformat"
    if not script.exists():
        pytest.skip("xformat is not installed in this environment")
    feed = write(tmp_path / "feed.ndjson", GOOD + b"\n" + BAD + b"\n")
    run = subprocess.run([script, "validate", "--output", "json", feed], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert json.loads(run.stdout.splitlines()[0])["path"] == "$.id_str"
    assert run.stderr.startswith("xformat validate: 2 records: 1 valid")
    missing = subprocess.run([script, "validate", str(tmp_path / "nope")], capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr


def test_a_valid_file_is_validated_without_loading_what_validation_does_not_use(tmp_path: Path) -> None:
    # jsonschema and the schemas explain invalid records; the converters, the writers of output
    # and rejects files and the eras' schemas serve other commands; a pool serves --jobs.
    feed = write(tmp_path / "feed.ndjson", ndjson(native_lines()) + b"\n")
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from xformat.cli import main\n"
        f"assert CliRunner().invoke(main, ['validate', {feed!r}]).exit_code == 0\n"
        "loaded = ('jsonschema', 'referencing', 'xformat.convert', 'xformat.output', 'xformat.rejects',"
        " 'xformat.schema', 'xformat.parallel')\n"
        "print(sorted(m for m in loaded if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout == "[]\n"


def test_a_small_input_is_validated_without_a_pool_whatever_jobs_says(tmp_path: Path) -> None:
    assert (pool_jobs(4, POOL_MIN_BYTES - 1), pool_jobs(4, POOL_MIN_BYTES), pool_jobs(4, None)) == (1, 4, 4)
    feed = write(tmp_path / "feed.ndjson", ndjson(native_lines()) + b"\n" + BAD + b"\n")
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from xformat.cli import main\n"
        f"result = CliRunner().invoke(main, ['validate', '--jobs', '2', {feed!r}])\n"
        "print(result.exit_code, 'xformat.parallel' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout == "1 False\n"
