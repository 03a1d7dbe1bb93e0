"""Id lists: ``collect_ids``, the policy's limits, chunk names, and ``xformat ids`` end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import xformat.ids
from tests.feeds import INFO
from tests.test_compliance import FORMATS, INES, KOFI, SOL, as_records, deletion, lines, post, quote, retweet
from xformat.cli import main
from xformat.compliance import collect_ids
from xformat.errors import ComplianceError
from xformat.ids import chunk_path, limit_warnings


def data_set(fmt: str) -> list[bytes]:
    """Posts 1..5 by Ines, Kofi and Sol; a Retweet of post 1 and a quote of post 3; repeats; a
    deletion notice, a keep-alive and an info line."""
    return [
        *lines(
            [
                post("1", INES),
                post("2", KOFI),
                retweet("6", SOL, post("1", INES)),
                quote("7", KOFI, post("3", SOL)),
                post("2", KOFI),  # the same post twice, as overlapping downloads hold it
                deletion("9", SOL["id_str"]),
            ],
            fmt,
        ),
        b"",
        INFO,
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_ids_once_each_in_first_seen_order_without_deletion_notices(fmt: str) -> None:
    found = collect_ids(as_records(data_set(fmt)))
    assert found.ids == ["1", "2", "6", "7"]
    assert (found.posts, found.deletions) == (5, 1)


@pytest.mark.parametrize("fmt", FORMATS)
def test_embedded_adds_retweeted_and_quoted_posts(fmt: str) -> None:
    assert collect_ids(as_records(data_set(fmt)), embedded=True).ids == ["1", "2", "6", "7", "3"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_users_gives_authors_and_with_embedded_the_embedded_posts_authors(fmt: str) -> None:
    records = as_records(data_set(fmt))
    assert collect_ids(records, users=True).ids == [INES["id_str"], KOFI["id_str"], SOL["id_str"]]
    only_quoted = as_records(lines([quote("8", KOFI, post("3", SOL))], fmt))
    assert collect_ids(only_quoted, users=True).ids == [KOFI["id_str"]]
    assert collect_ids(only_quoted, users=True, embedded=True).ids == [KOFI["id_str"], SOL["id_str"]]


def test_records_that_cannot_be_decoded_are_listed_after_reading_the_rest() -> None:
    with pytest.raises(ComplianceError, match=r"1 input record could not be decoded:\n  data.ndjson:2: "):
        collect_ids(as_records([*lines([post("1", INES)], "native"), b'{"id_str": "2"}']))


def test_limit_warnings_follow_the_redistribution_policy() -> None:
    assert limit_warnings(50_000, users=False, academic=False) == []
    [hydrated] = limit_warnings(50_001, users=False, academic=False)
    assert "50,001 post ids" in hydrated and "50,000 a day" in hydrated and "--chunk 50000" in hydrated
    hydrated, per_entity = limit_warnings(1_500_001, users=False, academic=False)
    assert "exceed 1,500,000" in per_entity and "--academic" in per_entity
    _, exempt = limit_warnings(1_500_001, users=False, academic=True)
    assert "exempt" in exempt and "non-commercial" in exempt
    # The 30-day limit counts post ids; hydrated user objects count against the daily one.
    [users] = limit_warnings(2_000_000, users=True, academic=False)
    assert "2,000,000 user ids" in users and "hydrated user objects" in users


def test_chunk_names() -> None:
    assert chunk_path("ids.txt", 1) == "ids.0001.txt"
    assert chunk_path("out/post-ids", 12) == str(Path("out/post-ids.0012.txt"))
    assert chunk_path("ids.txt", 12345) == "ids.12345.txt"


# -- xformat ids -----------------------------------------------------------------------------------


def xformat_ids(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, ["ids", *args], input=input)


def write(path: Path, raw: list[bytes]) -> str:
    path.write_bytes(b"".join(line + b"\n" for line in raw))
    return str(path)


def test_cli_prints_ids_to_stdout_and_counts_on_stderr() -> None:
    result = xformat_ids(input=b"\n".join(data_set("activity")))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "1\n2\n6\n7\n"
    assert "4 post ids from 5 posts (1 deletion notice left out) to stdout" in result.stderr


def test_cli_reads_both_formats_and_writes_a_file(tmp_path: Path) -> None:
    native = write(tmp_path / "a.ndjson", data_set("native"))
    activity = write(tmp_path / "b.ndjson", lines([post("5", SOL)], "activity"))
    out = tmp_path / "ids.txt"
    result = xformat_ids(native, activity, "--embedded", "--users", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_text() == f"{INES['id_str']}\n{KOFI['id_str']}\n{SOL['id_str']}\n"


def test_cli_chunks_are_numbered_parts_of_at_most_n_ids(tmp_path: Path) -> None:
    source = write(tmp_path / "a.ndjson", data_set("native"))
    result = xformat_ids(source, "--embedded", "--chunk", "2", "-o", str(tmp_path / "ids.txt"))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "ids.0001.txt").read_text() == "1\n2\n"
    assert (tmp_path / "ids.0002.txt").read_text() == "6\n7\n"
    assert (tmp_path / "ids.0003.txt").read_text() == "3\n"
    assert not (tmp_path / "ids.txt").exists()
    again = xformat_ids(source, "--chunk", "2", "-o", str(tmp_path / "ids.txt"))
    assert "ids.0003.txt is left from an earlier run" in again.stderr


def test_cli_chunk_needs_an_output_name() -> None:
    result = xformat_ids("--chunk", "10", input=b"\n".join(data_set("native")))
    assert result.exit_code == 2 and "--chunk needs -o" in result.stderr


def test_cli_warns_past_the_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xformat.ids, "HYDRATED_PER_RECIPIENT_PER_DAY", 2)
    monkeypatch.setattr(xformat.ids, "POST_IDS_PER_ENTITY_PER_30_DAYS", 3)
    result = xformat_ids(input=b"\n".join(data_set("native")))
    assert result.exit_code == 0
    assert result.stderr.count("xformat ids: warning: ") == 2 and "per entity per 30 days" in result.stderr
    academic = xformat_ids("--academic", input=b"\n".join(data_set("native")))
    assert "--academic: redistribution on behalf of an academic institution" in academic.stderr


def test_cli_fails_without_touching_the_output_when_a_record_cannot_be_decoded(tmp_path: Path) -> None:
    source = write(tmp_path / "a.ndjson", [*data_set("native"), b'{"id_str": "8"'])
    out = tmp_path / "ids.txt"
    out.write_text("earlier\n")
    result = xformat_ids(source, "-o", str(out))
    assert result.exit_code == 1
    assert f"{source}:9: malformed JSON" in result.stderr
    assert out.read_text() == "earlier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ndjson", "ids.txt"]  # no temporary file left
