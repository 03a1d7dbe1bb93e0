"""What every command shares: format names from the registry, one-line usage errors, reporters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.feeds import activity_lines, native_lines, ndjson
from xformat import formats
from xformat.cli import main
from xformat.convert import Converter
from xformat.errors import UsageError
from xformat.reporting import REPORTERS, reporter


def xformat(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [("native", "native"), ("en", "native"), ("enriched-native", "native"), ("activity", "activity"),
     ("activity-streams", "activity"), ("as", "activity")],
)  # fmt: skip
def test_every_format_name_is_accepted_everywhere(name: str, canonical: str, tmp_path: Path) -> None:
    assert formats.get(name).name == canonical
    assert Converter(name).target == canonical
    records = {"native": native_lines(), "activity": activity_lines()}
    feed = tmp_path / "feed.ndjson"
    feed.write_bytes(ndjson(records[canonical]))
    assert xformat("validate", "--format", name, str(feed)).exit_code == 0
    converted = xformat("convert", "--from", name, "--to", name, str(feed), "-q")
    assert converted.exit_code == 0 and converted.stdout_bytes == feed.read_bytes()


def test_an_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown format 'html'"):
        Converter("html")
    result = xformat("validate", "--format", "html", "-")
    assert result.exit_code == 2 and result.stderr.startswith("xformat validate: Invalid value for '--format'")


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["convert", "--to", "html"], "convert"),
        (["convert"], "convert"),
        (["validate", "--output", "xml"], "validate"),
        (["ids", "--chunk", "0"], "ids"),
        (["ids", "--chunk", "5", "-"], "ids"),
        (["comply", "x.ndjson"], "comply"),
        (["comply", "x.ndjson", "-o", "out.ndjson"], "comply"),
        (["losses", "--bogus"], "losses"),
        (["schema", "show", "native-post", "--version", "19x9"], "schema show"),
    ],
)
def test_usage_errors_are_one_line_for_every_command(args: list[str], command: str) -> None:
    result = xformat(*args, input=b"")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"xformat {command}: ") and result.stderr.count("\n") == 1, result.stderr
    assert result.stdout == ""


def test_reporters_are_found_by_name() -> None:
    assert sorted(REPORTERS) == ["github", "json", "text"]
    assert all(reporter(name).name == name for name in REPORTERS)
    with pytest.raises(UsageError, match="unknown output 'xml'"):
        reporter("xml")


def test_the_json_reporter_writes_the_summary_json(tmp_path: Path) -> None:
    summary = tmp_path / "summary.json"
    result = xformat("convert", "--to", "activity", "--summary-json", str(summary), "-q", input=ndjson(native_lines()))
    assert result.exit_code == 0
    written = json.loads(summary.read_text())
    assert written["read"] == len(native_lines()) and written["rejected"] == 0


def test_the_converters_stay_functions_once_the_formats_bound_theirs() -> None:
    """The formats import their converter modules on first use: that must not replace the
    library's functions of the same name."""
    import xformat.convert

    activity = formats.get("activity")
    assert activity.from_hub is not None and activity._from_hub and activity._to_hub
    assert callable(xformat.convert.to_activity) and callable(xformat.convert.to_native)
