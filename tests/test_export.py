"""``xformat export``: one row per post, whatever the format, as Parquet or CSV."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

from tests.conftest import GOLDEN, ROOT, golden_cases, load_json
from tests.feeds import INFO, activity_lines, native_lines, ndjson
from tests.samples import native_post
from xformat.cli import main
from xformat.convert import to_activity
from xformat.decoding import decode
from xformat.errors import UsageError
from xformat.export import COLUMNS, export, join_list, markdown_table, split_list
from xformat.export.columns import select

NAMES = [column.name for column in COLUMNS]
REALDATA = ROOT.parent / "shared" / "realdata"


def xformat(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, ["export", *args], input=input)


def encode(record: Any) -> bytes:
    return msgspec.json.encode(record)


def as_activity(record: dict[str, Any]) -> bytes:
    return to_activity(encode(record)).json()


def parquet_rows(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    return rows


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def exported(tmp_path: Path, lines: list[bytes], *args: str) -> list[dict[str, Any]]:
    source = tmp_path / "in.ndjson"
    source.write_bytes(ndjson(lines))
    out = tmp_path / "out.parquet"
    result = xformat(str(source), "-o", str(out), "-q", *args)
    assert result.exit_code == 0, result.stderr
    return parquet_rows(out)


# The columns each declared loss of EN -> AS empties or changes (see docs/MAPPING.md): written by
# hand from the loss catalog, not from the code.
LOSS_COLUMNS = {
    "withheld": {"withheld_in_countries"},
    "unavailable_quote": {"quoted_id", "post_type"},
    "reply_count": {"reply_count"},
    "quote_count": {"quote_count"},
}
PROVENANCE = {"input_format", "input_file"}


def test_readme_carries_the_column_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, "README's column table is stale: paste xformat.export.markdown_table()"


def test_columns_are_named_once() -> None:
    assert len(NAMES) == len(set(NAMES))


# Deletion notices and compliance events give no row.
POST_CASES = [c for c in golden_cases() if decode((c / "native.json").read_bytes()).kind == "post"]


@pytest.mark.parametrize("case", POST_CASES, ids=lambda c: c.name)
def test_both_formats_of_a_post_give_the_same_row(tmp_path: Path, case: Path) -> None:
    rows = []
    for name in ("native.json", "activity.json"):
        out = tmp_path / f"{name}.parquet"
        result = xformat(str(case / name), "-o", str(out), "-q")
        assert result.exit_code == 0, result.stderr
        [row] = parquet_rows(out)
        rows.append(row)
    native, activity = rows
    assert (native["input_format"], activity["input_format"]) == ("native", "activity")
    lost = set().union(*(LOSS_COLUMNS.get(code, set()) for code in load_json(case / "losses.json")["to_activity"]))
    differ = {name for name in NAMES if native[name] != activity[name]}
    assert differ <= lost | PROVENANCE, {name: (native[name], activity[name]) for name in differ - lost - PROVENANCE}


def golden_row(tmp_path: Path, case: str, name: str = "native.json") -> dict[str, Any]:
    out = tmp_path / "row.parquet"
    assert xformat(str(GOLDEN / case / name), "-o", str(out), "-q").exit_code == 0
    [row] = parquet_rows(out)
    return row


@pytest.mark.parametrize("name", ["native.json", "activity.json"])
def test_a_retweet_row_holds_the_original(tmp_path: Path, name: str) -> None:
    row = golden_row(tmp_path, "retweet", name)
    original = load_json(GOLDEN / "retweet" / "native.json")["retweeted_status"]
    assert row["post_type"] == "retweet"
    assert row["retweeted_id"] == original["id_str"]
    assert row["retweeted_author_id"] == original["user"]["id_str"]
    assert row["retweeted_text"] == original["text"]
    assert row["text"] == f"RT @harbor_lights_co: {original['text']}"
    assert row["hashtags"] == [h["text"] for h in original["entities"]["hashtags"]]


def test_a_long_post_gives_its_whole_text_and_its_long_entities(tmp_path: Path) -> None:
    row = golden_row(tmp_path, "long_post", "activity.json")
    source = load_json(GOLDEN / "long_post" / "activity.json")
    assert row["text"] == source["long_object"]["body"]
    assert len(row["text"]) == 264
    assert row["in_reply_to_id"] is not None and row["in_reply_to_user_id"] == row["author_id"]  # a thread


def test_geo_place_and_profile_geo(tmp_path: Path) -> None:
    row = golden_row(tmp_path, "exact_geo_with_place", "activity.json")
    assert (row["lon"], row["lat"]) == (-69.94561, 43.81234)
    assert row["place_country_code"] == "US"
    assert row["place_name"] == load_json(GOLDEN / "exact_geo_with_place" / "native.json")["place"]["full_name"]
    profile = golden_row(tmp_path, "profile_geo", "activity.json")
    location = load_json(GOLDEN / "profile_geo" / "native.json")["user"]["derived"]["locations"][0]
    assert profile["profile_geo_name"] == location["full_name"]
    assert profile["profile_geo_country_code"] == location["country_code"]
    assert (profile["profile_geo_lon"], profile["profile_geo_lat"]) == tuple(location["geo"]["coordinates"])


def test_quotes_media_links_rules_and_edits(tmp_path: Path) -> None:
    quote = golden_row(tmp_path, "quote", "activity.json")
    quoted = load_json(GOLDEN / "quote" / "native.json")["quoted_status"]
    assert (quote["post_type"], quote["quoted_id"], quote["quoted_author_id"]) == (
        "quote",
        quoted["id_str"],
        quoted["user"]["id_str"],
    )
    unavailable = golden_row(tmp_path, "unavailable_quote")
    assert unavailable["quoted_id"] is not None and unavailable["quoted_author_id"] is None
    photos = golden_row(tmp_path, "four_photos", "activity.json")
    assert photos["media_types"] == ["photo"] * 4 and len(set(photos["media_urls"])) == 4
    links = golden_row(tmp_path, "url_unwound", "activity.json")
    urls = load_json(GOLDEN / "url_unwound" / "native.json")["entities"]["urls"]
    assert links["urls"] == [u["unwound"]["url"] for u in urls]
    assert links["expanded_urls"] == [u["expanded_url"] for u in urls]
    rules = golden_row(tmp_path, "matching_rules", "activity.json")
    assert rules["rule_tags"] == ["ferncliff transit"]  # the second rule has no tag
    assert rules["rule_ids"] == ["1559122727531446272", "1565248089093046272"]
    edited = golden_row(tmp_path, "edited_post", "activity.json")
    history = load_json(GOLDEN / "edited_post" / "native.json")["edit_history"]["edit_tweet_ids"]
    assert edited["edit_history_ids"] == history and len(history) == 2


def test_withheld_is_null_where_the_format_does_not_say(tmp_path: Path) -> None:
    native = golden_row(tmp_path, "withheld")
    assert native["withheld_in_countries"] == load_json(GOLDEN / "withheld" / "native.json")["withheld_in_countries"]
    assert golden_row(tmp_path, "withheld", "activity.json")["withheld_in_countries"] is None
    assert golden_row(tmp_path, "plain_post")["withheld_in_countries"] is None


def test_counts_are_null_where_the_format_does_not_carry_them_not_zero(tmp_path: Path) -> None:
    post = native_post(reply_count=0, quote_count=4, retweet_count=0, favorite_count=7)
    native, activity = exported(tmp_path, [encode(post), as_activity(post)], "--keep-duplicates")
    counts = ("retweet_count", "like_count", "reply_count", "quote_count")
    assert [native[c] for c in counts] == [0, 7, 0, 4]
    assert [activity[c] for c in counts] == [0, 7, None, None]


def test_parquet_types_and_values(tmp_path: Path) -> None:
    out = tmp_path / "posts.parquet"
    source = tmp_path / "feed.ndjson"
    source.write_bytes(ndjson(native_lines()))
    assert xformat(str(source), "-o", str(out), "-q").exit_code == 0
    schema = pq.read_schema(out)
    assert schema.field("id").type == pa.string()
    assert schema.field("created_at").type == pa.timestamp("ms", tz="UTC")
    assert schema.field("retweet_count").type == pa.int64()
    assert schema.field("hashtags").type == pa.list_(pa.string())
    assert schema.field("lon").type == pa.float64()
    assert schema.field("text").metadata[b"description"].startswith(b"The whole text")
    rows = parquet_rows(out)
    assert [r["id"] for r in rows] == [
        "1050118621198921728",
        "1050118621198922000",
        "1050118621198921999",
    ]  # the fourth post repeats the first id; the deletion gives no row
    first = rows[0]
    assert first["created_at"].isoformat() == "2018-10-10T20:19:24+00:00"
    assert (first["hashtags"], first["cashtags"], first["source"]) == (["riverside"], ["BRD"], "Harbor App")
    assert (first["input_file"], first["input_line"], first["input_item"]) == (str(source), 1, None)
    assert rows[1]["post_type"] == "reply" and rows[1]["in_reply_to_id"] == "1050118621198921728"


def test_duckdb_reads_the_table(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "posts.parquet"
    source = tmp_path / "feed.ndjson"
    source.write_bytes(ndjson(native_lines() + activity_lines()))
    assert xformat(str(source), "-o", str(out), "-q", "--keep-duplicates").exit_code == 0
    by_type = duckdb.sql(
        f"SELECT post_type, count(*) AS n FROM '{out}' GROUP BY post_type ORDER BY post_type"
    ).fetchall()
    assert by_type == [("original", 4), ("reply", 2), ("retweet", 2)]
    day, tags = duckdb.sql(
        f"SELECT min(created_at)::DATE::VARCHAR, list_distinct(flatten(list(hashtags))) FROM '{out}'"
    ).fetchall()[0]
    assert (day, tags) == ("2018-10-10", ["riverside"])


def test_csv_is_rfc4180_utf8_with_joined_lists(tmp_path: Path) -> None:
    text = 'Bread, "fresh"\nand café ☕ #riverside'
    post = native_post(
        text=text,
        matching_rules=[{"tag": "a|b", "id_str": "7"}, {"tag": "back\\slash"}, {"tag": None}],
        entities={"hashtags": [{"text": "riverside", "indices": [33, 43]}], "symbols": [], "user_mentions": []},
    )
    source = tmp_path / "in.ndjson"
    source.write_bytes(ndjson([encode(post)]))
    out = tmp_path / "out.csv"
    assert xformat(str(source), "-o", str(out), "-q").exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"id,created_at,")
    assert data.count(b"\r\n") == 2  # CRLF ends the header and the row; the text's own newline stays
    assert '"Bread, ""fresh""\nand café ☕ #riverside"'.encode() in data
    [row] = csv_rows(out)
    assert list(row) == NAMES
    assert row["text"] == text
    assert row["created_at"] == "2018-10-10T20:19:24.000Z"
    assert row["rule_tags"] == "a\\|b|back\\\\slash"
    assert split_list(row["rule_tags"]) == ["a|b", "back\\slash"]
    assert split_list(row["hashtags"]) == ["riverside"] and row["urls"] == ""
    assert row["reply_count"] == "" and row["retweet_count"] == "2" and row["lon"] == ""


@pytest.mark.parametrize(
    "items", [[], ["a"], ["a", "b"], ["a|b", "c"], ["\\", "|"], ["x\\|y", ""], ["", "z"], ["end\\"]]
)
def test_list_fields_split_back_into_their_items(items: list[str]) -> None:
    assert split_list(join_list(items)) == items


def test_a_list_of_one_empty_item_reads_back_empty_as_documented() -> None:
    assert join_list([""]) == join_list([]) == ""


def test_bom_csv_to_stdout_and_compressed(tmp_path: Path) -> None:
    lines = ndjson(native_lines())
    result = xformat("-", "-o", "-", "--columns", "id,post_type", "--bom", "-q", input=lines)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == (
        b"\xef\xbb\xbfid,post_type\r\n1050118621198921728,original\r\n"
        b"1050118621198922000,reply\r\n1050118621198921999,retweet\r\n"
    )
    import gzip

    out = tmp_path / "out.csv.gz"
    assert xformat("-", "-o", str(out), "--columns", "id", "-q", input=lines).exit_code == 0
    assert gzip.decompress(out.read_bytes()).startswith(b"id\r\n1050118621198921728\r\n")


def test_columns_are_chosen_and_ordered(tmp_path: Path) -> None:
    rows = exported(tmp_path, native_lines()[:1], "--columns", "text, id")
    assert rows == [{"text": "Bread day at the #riverside market $BRD", "id": "1050118621198921728"}]
    bad = xformat("-", "-o", str(tmp_path / "x.csv"), "--columns", "id,likes", input=b"")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("xformat export: unknown column likes: the columns are id, created_at,")
    assert not (tmp_path / "x.csv").exists()


def test_duplicates_are_dropped_and_counted_unless_kept(tmp_path: Path) -> None:
    post = encode(native_post())
    page = encode({"results": [native_post(), native_post(id_str="5", id=5)], "next": "x"})
    source = tmp_path / "pages.ndjson"
    source.write_bytes(ndjson([post, page, as_activity(native_post())]))
    summary = tmp_path / "summary.json"
    out = tmp_path / "out.parquet"
    result = xformat(str(source), "-o", str(out), "--summary-json", str(summary))
    assert result.exit_code == 0
    assert [r["id"] for r in parquet_rows(out)] == ["1050118621198921728", "5"]
    assert [r["input_item"] for r in parquet_rows(out)] == [None, 1]
    counts = json.loads(summary.read_text())
    assert (counts["read"], counts["rows"], counts["duplicates"]) == (4, 2, 2)
    assert "2 posts, 2 duplicates left out" in result.stderr
    kept = xformat(str(source), "-o", str(out), "--keep-duplicates", "-q")
    assert kept.exit_code == 0
    assert [r["id"] for r in parquet_rows(out)] == [
        "1050118621198921728",
        "1050118621198921728",
        "5",
        "1050118621198921728",
    ]


def test_non_posts_are_counted_and_left_out(tmp_path: Path) -> None:
    source = tmp_path / "feed.ndjson"
    source.write_bytes(ndjson(native_lines()) + b"\n" + INFO + b"\n")
    summary = tmp_path / "summary.json"
    result = xformat(str(source), "-o", str(tmp_path / "out.csv"), "--summary-json", str(summary))
    assert result.exit_code == 0
    counts = json.loads(summary.read_text())
    assert counts["non_posts"] == {"delete": 1, "info": 1}
    assert (counts["read"], counts["rows"], counts["duplicates"], counts["keepalives"]) == (7, 3, 1, 1)
    assert "1 deletion, 1 info line, 1 keep-alive, 0 rejected" in result.stderr
    assert len(csv_rows(tmp_path / "out.csv")) == 3


def test_rejects_and_exit_codes(tmp_path: Path) -> None:
    source = tmp_path / "feed.ndjson"
    source.write_bytes(ndjson([native_lines()[0], b'{"created_at": 1}', b"{not json", native_lines()[1]]))
    rejects = tmp_path / "rejects.jsonl"
    out = tmp_path / "out.parquet"
    result = xformat(str(source), "-o", str(out), "--rejects", str(rejects))
    assert result.exit_code == 1
    assert len(parquet_rows(out)) == 2
    found = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert [(r["source"], r["line"], r["raw"]) for r in found] == [
        (str(source), 2, '{"created_at": 1}'),
        (str(source), 3, "{not json"),
    ]
    assert found[1]["reason"].startswith("malformed JSON")
    stopped = xformat(str(source), "-o", str(tmp_path / "stopped.parquet"), "--max-errors", "1")
    assert stopped.exit_code == 1
    assert "no output written" in stopped.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.ndjson", "out.parquet", "rejects.jsonl"]


def test_usage_errors_are_one_line_and_write_nothing(tmp_path: Path) -> None:
    source = tmp_path / "feed.ndjson"
    source.write_bytes(ndjson(native_lines()))
    for args, message in [
        (["-o", str(tmp_path / "out.xlsx")], "cannot tell the table format from the name"),
        (["-o", "-", "--columns", ""], "--columns names no column"),
        (["-o", str(tmp_path / "out.csv"), "--columns", "id,id"], "a column is named twice"),
    ]:
        result = xformat(str(source), *args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith(f"xformat export: {message}") and result.stderr.count("\n") == 1
    twice = tmp_path / "feed.csv"
    twice.write_bytes(ndjson(native_lines()))
    for args in (["-o", str(twice)], ["-o", "-", "--rejects", str(twice)], ["-o", "-", "--summary-json", str(twice)]):
        result = xformat(str(twice), *args)
        assert result.exit_code == 2 and "is one of the inputs" in result.stderr, args
        assert twice.read_bytes() == ndjson(native_lines())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.csv", "feed.ndjson"]


def test_several_processes_write_the_same_table(tmp_path: Path) -> None:
    lines = []
    for i in range(1500):  # several chunks, some with duplicates and rejects
        post = native_post(id=10**15 + i % 1400, id_str=str(10**15 + i % 1400))
        lines.append(encode(post) if i % 3 else as_activity(post))
        if i % 500 == 7:
            lines.append(b"{broken")
    source = tmp_path / "feed.ndjson"
    source.write_bytes(ndjson(lines))
    outputs = {}
    for jobs in ("1", "2", "3"):
        for suffix in (".parquet", ".csv"):
            out = tmp_path / f"out{jobs}{suffix}"
            rejects = tmp_path / f"rejects{jobs}{suffix}.jsonl"
            result = xformat(str(source), "-o", str(out), "--jobs", jobs, "-q", "--rejects", str(rejects))
            assert result.exit_code == 1
            outputs[jobs, suffix] = (out.read_bytes(), rejects.read_bytes())
    for suffix in (".parquet", ".csv"):
        assert outputs["1", suffix] == outputs["2", suffix] == outputs["3", suffix]
    assert len(parquet_rows(tmp_path / "out1.parquet")) == 1400


def _python(code: str, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code, *args], input=stdin, capture_output=True, env=env, check=False)


WITHOUT_PYARROW = "import sys; sys.modules['pyarrow'] = None; from xformat.cli import main; main()"


def test_parquet_without_pyarrow_says_which_extra_and_csv_still_works(tmp_path: Path) -> None:
    lines = ndjson(native_lines())
    done = _python(WITHOUT_PYARROW, "export", "-", "-o", str(tmp_path / "out.parquet"), stdin=lines)
    assert done.returncode == 2
    assert done.stderr.decode() == ("xformat export: Parquet output needs pyarrow: pip install 'xformat[parquet]'\n")
    assert not list(tmp_path.iterdir())
    done = _python(WITHOUT_PYARROW, "export", "-", "-o", str(tmp_path / "out.csv"), "-q", stdin=lines)
    assert done.returncode == 0, done.stderr
    assert len(csv_rows(tmp_path / "out.csv")) == 3


def test_column_selection() -> None:
    assert [c.name for c in select(["lat", "lon"])] == ["lat", "lon"]
    assert select(None) == COLUMNS
    with pytest.raises(UsageError, match="unknown column nope"):
        select(["id", "nope"])


def test_library_export(tmp_path: Path) -> None:
    source = tmp_path / "a.ndjson"
    source.write_bytes(ndjson(activity_lines()))
    summary = export([str(tmp_path)], str(tmp_path / "t.csv"))
    assert (summary.rows, summary.duplicates, summary.rejected, summary.balanced) == (3, 1, 0, True)
    assert summary.output == str(tmp_path / "t.csv")
    assert [r["input_format"] for r in csv_rows(tmp_path / "t.csv")] == ["activity"] * 3


# Runs the export in a child and prints its peak RSS (KiB): the child alone, not this process.
_PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _peak_rss(posts: int, *args: str) -> int:
    """Peak RSS (KiB) of ``xformat export`` over ``posts`` generated posts fed through stdin."""
    template = encode(native_post(id=1, id_str="ID")).replace(b'"id":1,', b"")
    head, tail = template.split(b"ID")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-c", _PEAK, sys.executable, "-m", "xformat", "export", "-", "-q", *args]
    with subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env) as child:
        assert child.stdin is not None and child.stdout is not None
        batch = 10_000
        for start in range(0, posts, batch):
            child.stdin.write(
                b"".join(head + str(10**17 + n).encode() + tail + b"\n" for n in range(start, start + batch))
            )
        child.stdin.close()
        peak = int(child.stdout.read().split()[-1])
        assert child.wait() == 0
    return peak


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_memory_stays_flat_whatever_the_input_size(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"out{suffix}"
    small = _peak_rss(50_000, "-o", str(out), "--keep-duplicates", "--columns", "id,created_at,text,hashtags")
    large = _peak_rss(500_000, "-o", str(out), "--keep-duplicates", "--columns", "id,created_at,text,hashtags")
    rows = pq.ParquetFile(out).metadata.num_rows if suffix == ".parquet" else out.read_bytes().count(b"\n") - 1
    assert rows == 500_000
    assert large < small * 1.15, (small, large)


def _realdata_posts() -> list[Path]:
    return sorted(p for d in ("native", "activity-streams") for p in (REALDATA / d).glob("*.jsonl"))


@pytest.mark.skipif(not REALDATA.is_dir(), reason="no ../shared/realdata beside the repository (a fresh clone)")
def test_every_real_post_xformat_reads_gives_a_row(tmp_path: Path) -> None:
    from xformat import read
    from xformat.errors import RecordError

    for path in _realdata_posts():
        expected = []
        for line in path.read_bytes().splitlines():
            try:
                post = read(line)
            except RecordError:
                continue  # not a post, or not (yet) readable: the summary counts it
            expected.append(post.id_str)
        out = tmp_path / f"{path.stem}.parquet"
        result = xformat(str(path), "-o", str(out), "--keep-duplicates", "--summary-json", str(tmp_path / "s.json"))
        assert result.exit_code in (0, 1), result.stderr
        assert [r["id"] for r in parquet_rows(out)] == expected, path.name
        assert json.loads((tmp_path / "s.json").read_text())["rows"] == len(expected)


@pytest.mark.skipif(not REALDATA.is_dir(), reason="no ../shared/realdata beside the repository (a fresh clone)")
def test_real_pairs_give_the_same_row_in_both_formats(tmp_path: Path) -> None:
    pairs = [json.loads(line) for line in (REALDATA / "pairs" / "docs_2020_pairs.jsonl").read_bytes().splitlines()]
    rows = exported(tmp_path, [encode(p[k]) for p in pairs for k in ("en", "as")], "--keep-duplicates")
    assert len(rows) == 2 * len(pairs)
    # The EN side carries what AS cannot: these columns may differ, every other one must not. The
    # documentation's pair of a Retweet shows the counts of two different moments (EN 0, AS 19).
    format_only = PROVENANCE | {"reply_count", "quote_count", "withheld_in_countries", "input_line", "retweet_count"}
    for pair, native, activity in zip(pairs, rows[::2], rows[1::2], strict=True):
        differ = {n for n in NAMES if native[n] != activity[n]} - format_only
        if pair["as"]["verb"] == "share" and "twitter_quoted_status" in pair["as"]:
            # A Retweet of a quote with the quoted post at the root of the share (X's 2020
            # example): the conversion to native reads it only inside `object` for now.
            differ -= {"quoted_id", "quoted_author_id"}
        assert not differ, {n: (native[n], activity[n]) for n in differ}


def test_stdin_csv_stream_reads_back_with_pandas_like_tools(tmp_path: Path) -> None:
    result = xformat("-", "-o", "-", "-q", input=ndjson(activity_lines()))
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode())))
    assert [r["input_format"] for r in rows] == ["activity"] * 3
    assert [r["input_line"] for r in rows] == ["1", "2", "3"]


def test_row_groups_are_written_as_they_fill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from xformat.export import parquet_table

    monkeypatch.setattr(parquet_table, "ROW_GROUP_ROWS", 700)
    lines = [encode(native_post(id=n, id_str=str(n))) for n in range(1, 2001)]
    source = tmp_path / "feed.ndjson"
    source.write_bytes(ndjson(lines))
    out = tmp_path / "out.parquet"
    result = xformat(str(source), "-o", str(out), "--progress")
    assert result.exit_code == 0, result.stderr
    assert "read 2,000 records" in result.stderr
    metadata = pq.ParquetFile(out).metadata
    groups = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    # A group goes out once 700 rows wait (the rows of whole chunks), the last one at the end.
    assert len(groups) > 1 and all(n >= 700 for n in groups[:-1]) and sum(groups) == 2000, groups
    assert [r["id"] for r in parquet_rows(out)] == [str(n) for n in range(1, 2001)]


@pytest.mark.parametrize("case", POST_CASES, ids=lambda c: c.name)
def test_columns_mean_what_the_accessors_of_the_same_names_mean(tmp_path: Path, case: Path) -> None:
    from xformat import read

    for name in ("native.json", "activity.json"):
        post = read((case / name).read_bytes())
        row = golden_row(tmp_path, case.name, name)
        generator = post.generator
        assert row["id"] == post.id_str and row["author_id"] == post.author_id
        assert row["created_at"] == post.created_at_datetime
        assert (row["text"], row["post_type"], row["lang"]) == (post.full_text, post.post_type, post.language)
        assert (row["hashtags"], row["cashtags"], row["mentions"]) == (post.hashtags, post.cashtags, post.mentions)
        assert (row["urls"], row["media_urls"]) == (post.most_unwound_urls, post.media_urls)
        assert (row["lon"], row["lat"]) == (post.geo_coordinates or (None, None))
        assert row["source"] == (generator.name if generator else None)
        assert row["rule_tags"] == [rule.tag for rule in post.rules if rule.tag is not None]
        locations = post.profile_locations
        assert row["profile_geo_name"] == (locations[0].full_name if locations else None)
        assert (row["author_followers_count"], row["author_following_count"]) == (
            post.follower_count,
            post.following_count,
        )
