"""Records nested deeper than a decoder, jsonschema or a walk of ours can follow: each is one
invalid (rejected) record that says "nested too deeply: N levels", in every command and output
mode, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import xformat
from tests.samples import native_post
from xformat.cli import main
from xformat.compliance import _urls
from xformat.errors import RecordError, nesting, too_deep
from xformat.validate import explain

DEEP = 100_000
"""Levels of the hostile line: far past what any decoder or Python's stack follows."""


def retweet_chain(depth: int, **inner: Any) -> dict[str, Any]:
    """A Retweet of a Retweet of ... ``depth`` times (no feed writes this; the models allow it)."""
    post = native_post(**inner)
    for n in range(depth):
        post = native_post(id_str=str(1000 + n), retweeted_status=post)
    return post


def nested_line(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def dumps(value: Any) -> bytes:
    # The standard library's encoder recurses: write the chain as msgspec does, without a limit of ours.
    import msgspec

    return msgspec.json.encode(value)


def xformat_(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def one_line_no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def test_nesting_is_measured_without_recursion() -> None:
    assert nesting(b'{"a": [1, {"b": "[[[{{{"}], "c": "\\"]"}') == 3
    assert nesting({"a": [1, {"b": "[[["}]}) == 3
    assert nesting(nested_line(DEEP)) == DEEP
    assert too_deep(nested_line(1234)) == "nested too deeply: 1,234 levels"


@pytest.mark.parametrize("output", ["text", "json", "github"])
def test_an_invalid_retweet_chain_240_deep_is_one_invalid_record_in_every_output(tmp_path: Path, output: str) -> None:
    # The decode finds the fault (an int id_str at the bottom); jsonschema, asked to explain it,
    # would follow the chain deeper than Python's stack goes.
    path = tmp_path / "chain.ndjson"
    path.write_bytes(dumps(retweet_chain(240, id_str=5)) + b"\n")
    result = xformat_("validate", "--output", output, str(path))
    one_line_no_traceback(result)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert "Expected `str`, got `int`" in lines[0] or "expected a string, got an integer" in lines[0]
    assert "1 invalid" in result.stderr


@pytest.mark.parametrize("era", ["2012", "2017"])
def test_an_earlier_era_says_nested_too_deeply_where_jsonschema_cannot_follow(tmp_path: Path, era: str) -> None:
    path = tmp_path / "chain.ndjson"
    chain = retweet_chain(400)
    path.write_bytes(dumps(chain) + b"\n")
    result = xformat_("validate", "--era", era, "--output", "json", str(path))
    one_line_no_traceback(result)
    assert result.exit_code == 1
    (issue,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert issue["reason"] == f"nested too deeply: {nesting(chain)} levels"
    assert nesting(chain) > 400


@pytest.mark.usefixtures("fresh_tolerances")
def test_an_unknown_member_deep_in_a_chain_is_one_invalid_record(tmp_path: Path) -> None:
    # Its twin (xformat._twins) would be as deep as the chain: too deep to build.
    path = tmp_path / "chain.ndjson"
    path.write_bytes(dumps(retweet_chain(300, not_a_field=1)) + b"\n")
    for args in (["validate", "--output", "json"], ["ids"], ["ids", "--users", "--embedded"]):
        result = xformat_(*args, str(path))
        one_line_no_traceback(result)
        assert result.exit_code == 1, args
        assert "nested too deeply: 3" in result.output, args


COMMANDS = [
    ["validate"],
    ["validate", "--output", "json"],
    ["validate", "--output", "github"],
    ["validate", "--strict"],
    ["validate", "--era", "2017"],
    ["convert", "--to", "activity"],
    ["convert", "--to", "activity", "--lossless"],
    ["convert", "--to", "native"],
    ["ids"],
    ["ids", "--users", "--embedded"],
    ["export", "-o", "{tmp}/rows.csv"],
    ["stats"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_line_nested_100000_deep_is_one_bad_record_in_every_command(tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "deep.ndjson"
    path.write_bytes(dumps(native_post()) + b"\n" + nested_line(DEEP) + b"\n")
    argv = [arg.format(tmp=tmp_path) for arg in args]
    result = xformat_(*argv, str(path))
    one_line_no_traceback(result)
    if args[0] == "stats":
        assert result.exit_code in (0, 1)
        assert "1 rejected" in result.output or "rejected: 1" in result.output or "1 reject" in result.output
    else:
        assert result.exit_code == 1, result.output
        assert "nested too deeply: 100,000 levels" in result.output


def test_comply_says_which_results_line_is_nested_too_deeply(tmp_path: Path) -> None:
    data = tmp_path / "data.ndjson"
    data.write_bytes(dumps(native_post()) + b"\n")
    for line in (
        b'{"id": "1", "action": "delete", "reason": "deleted", "x": ' + b"[" * DEEP + b"]" * DEEP + b"}",
        b'{"x": ' + nested_line(DEEP) + b', "id": "1", "reason": "deleted"}',
    ):
        results = tmp_path / "results.jsonl"
        results.write_bytes(line + b"\n")
        for option in ("--results", "--users-results"):
            result = xformat_("comply", str(data), option, str(results), "-o", str(tmp_path / "out.ndjson"))
            one_line_no_traceback(result)
            assert result.exit_code == 2
            assert f"results.jsonl:1: nested too deeply: {DEEP + 1:,} levels" in result.stderr
            assert not (tmp_path / "out.ndjson").exists()


def test_comply_with_a_deep_record_lists_it_and_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data.ndjson"
    data.write_bytes(dumps(native_post()) + b"\n" + nested_line(DEEP) + b"\n")
    results = tmp_path / "results.jsonl"
    results.write_bytes(b'{"id": "1050118621198921728", "reason": "deleted"}\n')
    result = xformat_("comply", str(data), "--results", str(results), "-o", str(tmp_path / "out.ndjson"))
    one_line_no_traceback(result)
    assert result.exit_code == 1
    assert "data.ndjson:2: nested too deeply: 100,000 levels" in result.stderr
    assert not (tmp_path / "out.ndjson").exists()


def test_the_urls_of_a_copy_are_found_however_deep_it_is() -> None:
    node: Any = {"urls": [{"url": "https://t.co/deepest"}]}
    for _ in range(5000):
        node = {"object": node}
    assert _urls(node) == {"https://t.co/deepest"}


def test_explain_says_nested_too_deeply_instead_of_raising() -> None:
    data = retweet_chain(400)
    assert [issue.reason for issue in explain(data, "native-post", "2017")] == [too_deep(data)]


def test_the_library_says_nested_too_deeply_for_deep_input_of_every_kind() -> None:
    deep: Any = 1
    for _ in range(3000):
        deep = {"a": deep}
    for value in (deep, native_post(extra=deep), nested_line(3000), nested_line(3000).decode()):
        for call in (xformat.read, xformat.decode, xformat.to_activity, xformat.to_native):
            with pytest.raises(RecordError, match=r"nested too deeply: 3,00[01] levels"):
                call(value)  # type: ignore[operator]
