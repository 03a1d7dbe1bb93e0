"""``xformat convert --to v2 --v2-pages N``: X API v2 response pages instead of a stream line a post.

The golden cases (``golden/v2_pages/``) hold the expected pages, written from the hand-written
stream lines of ``golden/v2/``; the rest checks the properties around them: the same bytes with
any ``--jobs`` and any cut of the input into chunks, the accounting of the stream lines, reading
the pages back, and what is refused.
"""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from click.testing import CliRunner, Result

from tests.conftest import GOLDEN, GOLDEN_V2, GOLDEN_V2_PAGES, load_json
from xformat import pipeline, records
from xformat.cli import main
from xformat.convert import Converter
from xformat.errors import UsageError
from xformat.models.v2 import V2Page
from xformat.registry import validator_for
from xformat.v2pagewriter import PageOutput

CASES = sorted(p for p in GOLDEN_V2_PAGES.iterdir() if p.is_dir())
TEMPLATES = ("reply", "quote", "retweet")
"""Golden v2 posts without matching rules: a reply to, a quote of and a Retweet of one post."""


def cli(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


def native(case: str) -> dict[str, Any]:
    data = load_json(GOLDEN_V2 / case / "native.json")
    assert isinstance(data, dict)
    return data


def ndjson(path: Path, lines: list[Any]) -> str:
    encoded = [line if isinstance(line, bytes) else json.dumps(line).encode() for line in lines]
    path.write_bytes(b"".join(line + b"\n" for line in encoded))
    return str(path)


def lines_of(data: bytes) -> list[Any]:
    return [json.loads(line) for line in data.splitlines()]


def many_posts(count: int, *, vary: bool) -> list[dict[str, Any]]:
    """``count`` posts made of the templates, each with an id of its own (ids of 18 and 19
    digits, so that their text does not sort as their numbers); ``vary``: the authors' counts
    change from post to post, as in a real feed (the same account, different contents)."""
    out = []
    for i in range(count):
        post = copy.deepcopy(native(TEMPLATES[i % len(TEMPLATES)]))
        post_id = 999_000_000_000_000_000 + i if i % 2 else 1_700_000_000_000_000_000 + i
        post["id"], post["id_str"] = post_id, str(post_id)
        if vary:
            post["user"]["followers_count"] += i
        out.append(post)
    return out


# --- golden cases -----------------------------------------------------------------------------


def test_there_are_golden_cases() -> None:
    assert {case.name for case in CASES} >= {"shared_author", "rules_dropped"}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden_pages(case: Path, tmp_path: Path) -> None:
    spec = load_json(case / "case.json")
    source = ndjson(tmp_path / "in.ndjson", [native(name) for name in spec["posts"]])
    summary = tmp_path / "summary.json"
    result = cli(
        "convert", "--to", "v2", "--v2-pages", str(spec["v2_pages"]), source, "--summary-json", str(summary), "-q"
    )
    assert result.exit_code == 0, result.stderr
    pages = lines_of(result.stdout_bytes)
    assert pages == load_json(case / "pages.json")
    counts = load_json(summary)
    assert counts["converted"] == len(spec["posts"]) and counts["rejected"] == 0
    assert counts["losses"] == spec["losses"]
    for page in pages:
        assert validator_for("v2-page").is_valid(page)
    for line in result.stdout_bytes.splitlines():
        msgspec.json.decode(line, type=V2Page)


def test_golden_pages_are_valid_pages() -> None:
    for case in CASES:
        for page in load_json(case / "pages.json"):
            assert validator_for("v2-page").is_valid(page), case.name
            assert "matching_rules" not in page and "next_token" not in page["meta"]


# --- pages do not depend on processes or chunks ----------------------------------------------------


def test_the_same_bytes_whatever_the_jobs_and_the_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    posts: list[Any] = many_posts(60, vary=True)
    deletion = load_json(GOLDEN / "deletion_notice" / "native.json")
    posts[10:10] = [deletion, b"", b"{not json"]  # a deletion, a keep-alive, a reject mid-page
    source = ndjson(tmp_path / "in.ndjson", posts)
    one = cli("convert", "--to", "v2", "--v2-pages", "7", source, "-q")
    assert one.exit_code == 1  # the reject
    # Blocks and chunks of 5 records, cut across pages of 7, converted in two processes.
    monkeypatch.setattr(records, "BLOCK_LINES", 5)
    monkeypatch.setattr(pipeline, "CHUNK_RECORDS", 5)
    two = cli("convert", "--to", "v2", "--v2-pages", "7", source, "-q", "--jobs", "2")
    assert two.exit_code == 1
    assert two.stdout_bytes == one.stdout_bytes
    sizes = [page["meta"]["result_count"] for page in lines_of(one.stdout_bytes)]
    assert sum(sizes) == 60 and max(sizes) <= 7


def test_pages_are_full_when_no_object_differs(tmp_path: Path) -> None:
    source = ndjson(tmp_path / "in.ndjson", many_posts(60, vary=False))
    result = cli("convert", "--to", "v2", "--v2-pages", "7", source, "-q")
    assert [page["meta"]["result_count"] for page in lines_of(result.stdout_bytes)] == [7] * 8 + [4]


def test_an_object_that_differs_from_the_page_s_copy_starts_a_new_page(tmp_path: Path) -> None:
    """The same account with other counts (a later post of a stream): one page could hold only one
    of the two, and the other post would read back changed. Its post goes to the next page."""
    posts = many_posts(6, vary=True)  # every author's counts change from post to post
    source = ndjson(tmp_path / "in.ndjson", posts)
    result = cli("convert", "--to", "v2", "--v2-pages", "6", source, "-q")
    pages = lines_of(result.stdout_bytes)
    assert len(pages) > 1
    for page in pages:
        users = [user["id"] for user in page["includes"]["users"]]
        assert len(users) == len(set(users))
    lines = cli("convert", "--to", "v2", source, "-q").stdout_bytes
    back = cli("convert", "--from", "v2", "--to", "native", "-q", input=result.stdout_bytes)
    via_lines = cli("convert", "--from", "v2", "--to", "native", "-q", input=lines)
    assert lines_of(back.stdout_bytes) == lines_of(via_lines.stdout_bytes)


def test_the_same_account_unchanged_is_one_object_of_one_page(tmp_path: Path) -> None:
    posts = many_posts(6, vary=False)
    result = cli("convert", "--to", "v2", "--v2-pages", "6", ndjson(tmp_path / "in.ndjson", posts), "-q")
    (page,) = lines_of(result.stdout_bytes)
    harbor = [user for user in page["includes"]["users"] if user["username"] == "harbor_lights_co"]
    assert len(harbor) == 1 and harbor[0]["public_metrics"]["followers_count"] == posts[1]["user"]["followers_count"]


def test_newest_and_oldest_ids_compare_as_numbers(tmp_path: Path) -> None:
    posts = many_posts(3, vary=False)  # ids 1700000000000000000, 999000000000000001, 1700000000000000002
    result = cli("convert", "--to", "v2", "--v2-pages", "3", ndjson(tmp_path / "in.ndjson", posts), "-q")
    (page,) = lines_of(result.stdout_bytes)
    assert page["meta"] == {
        "result_count": 3,
        "newest_id": "1700000000000000002",
        "oldest_id": "999000000000000001",
    }


# --- accounting, output, reading back --------------------------------------------------------------


def test_the_accounting_is_the_stream_lines(tmp_path: Path) -> None:
    posts: list[Any] = many_posts(9, vary=False)
    posts[4:4] = [load_json(GOLDEN / "deletion_notice" / "native.json"), b"", b'{"id_str": "1", "text": 5}']
    source = ndjson(tmp_path / "in.ndjson", posts)
    found = {}
    for name, extra in (("lines", []), ("pages", ["--v2-pages", "4"])):
        summary, rejects = tmp_path / f"{name}.summary.json", tmp_path / f"{name}.rejects.ndjson"
        result = cli(
            "convert", "--to", "v2", *extra, source, "-q",
            "--summary-json", str(summary), "--rejects", str(rejects), "-o", str(tmp_path / f"{name}.out"),
        )  # fmt: skip
        assert result.exit_code == 1
        counts = load_json(summary)
        for key in ("seconds", "outputs", "rejects_file"):
            counts.pop(key)
        found[name] = counts, rejects.read_bytes()
    assert found["pages"] == found["lines"]
    counts, rejected = found["pages"]
    assert counts["converted"] == 9 and counts["deletions"] == 1 and counts["keepalives"] == 1
    assert counts["rejected"] == 1 and counts["losses"] == {"no_v2_form": 1}
    (reject,) = lines_of(rejected)
    assert reject["line"] == 7 and reject["reason"] and reject["source"].endswith("in.ndjson")
    assert len(lines_of((tmp_path / "pages.out").read_bytes())) == 3  # 9 posts: 4, 4, 1


def test_matching_rules_are_a_declared_loss_and_strict_rejects_them(tmp_path: Path) -> None:
    source = ndjson(tmp_path / "in.ndjson", [native("matching_rules"), native("reply")])
    strict = cli("convert", "--to", "v2", "--v2-pages", "2", "--strict", source)
    assert strict.exit_code == 1 and "paged_rules" in strict.stderr
    (page,) = lines_of(strict.stdout_bytes)
    assert [post["id"] for post in page["data"]] == [native("reply")["id_str"]]
    listed = cli("losses")
    assert "| `paged_rules` |" in listed.stdout


def test_compressed_output_holds_the_same_pages(tmp_path: Path) -> None:
    source = ndjson(tmp_path / "in.ndjson", many_posts(5, vary=False))
    plain = cli("convert", "--to", "v2", "--v2-pages", "2", source, "-q")
    out = tmp_path / "pages.ndjson.gz"
    assert cli("convert", "--to", "v2", "--v2-pages", "2", source, "-o", str(out), "-q").exit_code == 0
    assert gzip.decompress(out.read_bytes()) == plain.stdout_bytes


def test_split_by_count_counts_pages(tmp_path: Path) -> None:
    source = ndjson(tmp_path / "in.ndjson", many_posts(5, vary=False))
    result = cli("convert", "--to", "v2", "--v2-pages", "2", source, "--split-by", "2", "-o", str(tmp_path / "parts"))
    assert result.exit_code == 0, result.stderr
    parts = sorted((tmp_path / "parts").iterdir())
    assert [p.name for p in parts] == ["00001.ndjson", "00002.ndjson"]
    assert [len(lines_of(p.read_bytes())) for p in parts] == [2, 1]  # pages of 2, 2, 1 posts


def test_pages_read_back_as_the_stream_lines_do(tmp_path: Path) -> None:
    source = ndjson(tmp_path / "in.ndjson", many_posts(8, vary=False))
    lines, pages = tmp_path / "lines.ndjson", tmp_path / "pages.ndjson"
    assert cli("convert", "--to", "v2", source, "-o", str(lines), "-q").exit_code == 0
    assert cli("convert", "--to", "v2", "--v2-pages", "3", source, "-o", str(pages), "-q").exit_code == 0
    from_lines = cli("convert", "--from", "v2", "--to", "native", str(lines), "-q")
    from_pages = cli("convert", "--from", "v2", "--to", "native", str(pages), "-q")
    assert from_lines.exit_code == from_pages.exit_code == 0
    assert lines_of(from_pages.stdout_bytes) == lines_of(from_lines.stdout_bytes)
    assert len(lines_of(from_pages.stdout_bytes)) == 8

    validated = cli("validate", str(pages))
    assert validated.exit_code == 0 and "3 valid" in validated.stderr
    ids = cli("ids", str(pages))
    assert ids.stdout.split() == [post["id_str"] for post in many_posts(8, vary=False)]


def test_a_page_with_rules_reads_back_without_them(tmp_path: Path) -> None:
    source = ndjson(tmp_path / "in.ndjson", [native("matching_rules")])
    pages = tmp_path / "pages.ndjson"
    assert cli("convert", "--to", "v2", "--v2-pages", "1", source, "-o", str(pages), "-q").exit_code == 0
    back = lines_of(cli("convert", "--from", "v2", "--to", "native", str(pages), "-q").stdout_bytes)
    line = GOLDEN_V2 / "matching_rules" / "v2.json"
    via_line = lines_of(cli("convert", "--from", "v2", "--to", "native", str(line), "-q").stdout_bytes)
    assert "matching_rules" in via_line[0] and "matching_rules" not in back[0]
    del via_line[0]["matching_rules"]
    assert back == via_line


# --- refused ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--to", "v2", "--v2-pages", "0"],
        ["--to", "v2", "--v2-pages", "-3"],
        ["--to", "v2", "--v2-pages", "two"],
        ["--to", "v2", "--v2-pages", "1.5"],
        ["--to", "v2", "--v2-pages"],
        ["--to", "native", "--v2-pages", "2"],
        ["--to", "v2", "--v2-pages", "2", "--lossless"],
        ["--to", "v2", "--v2-pages", "2", "--dask"],
    ],
)
def test_usage_errors(args: list[str], tmp_path: Path) -> None:
    source = ndjson(tmp_path / "in.ndjson", [native("reply")])
    out = tmp_path / "out"
    result = cli("convert", *args, source, "-o", str(out))
    assert result.exit_code == 2, result.stderr
    assert "--v2-pages" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_the_library_refuses_pages_it_cannot_write() -> None:
    with pytest.raises(UsageError):
        Converter("activity", pages=True)
    with pytest.raises(UsageError):
        Converter("v2", pages=True, lossless=True)
    with pytest.raises(ValueError):
        PageOutput(_Discarded(), 0)


class _Discarded:
    def write(self, lines: bytes | memoryview, sizes: Any, times: Any) -> None:
        raise AssertionError("nothing to write")

    def commit(self) -> list[str]:
        return []

    def discard(self) -> None:
        pass


def test_a_page_started_by_a_differing_object_goes_to_its_first_post_s_day(tmp_path: Path) -> None:
    source = ndjson(tmp_path / "in.ndjson", many_posts(6, vary=True))  # one day's posts, pages cut early
    out = tmp_path / "out"
    result = cli("convert", "--to", "v2", "--v2-pages", "6", source, "--split-by", "day", "-o", str(out), "-q")
    assert result.exit_code == 0, result.stderr
    (day,) = out.iterdir()  # no page left undated
    assert len(lines_of(day.read_bytes())) > 1
