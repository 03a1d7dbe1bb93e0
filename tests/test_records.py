"""The reader: every container and compression, cut into records with their lines; bad input
becomes records with an ``error``, never an exception; memory-bound cutting of JSON documents."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
from pathlib import Path
from typing import Any

import msgspec
import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

import xformat.records as records_module
from tests.feeds import INFO, native_lines, ndjson
from xformat.errors import UsageError
from xformat.records import (
    PREFIX_BYTES,
    Reader,
    Record,
    expand_inputs,
    iter_records,
    line_records,
    read_stream,
)


def cut(data: bytes, **options: Any) -> list[Record]:
    return list(read_stream(io.BufferedReader(io.BytesIO(data)), "s", **options))


def summary(records: list[Record]) -> list[tuple[int, int | None, Any]]:
    """(line, item, parsed record or the error) of each record."""
    return [(r.line, r.item, r.error or (json.loads(r.raw) if r.raw else "")) for r in records]


def test_ndjson_with_keepalives_crlf_and_an_info_line() -> None:
    data = b'{"a": 1}\r\n\r\n\n{"b": 2}\n' + INFO + b"\n"
    assert summary(cut(data)) == [(1, None, {"a": 1}), (2, None, ""), (3, None, ""), (4, None, {"b": 2}),
                                  (5, None, json.loads(INFO))]  # fmt: skip


def test_raw_bytes_are_the_original_bytes() -> None:
    line = b'{"text": "caf\\u00e9 \xc3\xa9",   "n": 1.50}'
    assert cut(line + b"\n")[0].raw == line


def test_a_truncated_line_in_the_middle_is_one_record_and_the_rest_is_read() -> None:
    data = b'{"a": 1}\n{"b": [1, 2\n{"c": 3}\n'
    assert [r.raw for r in cut(data)] == [b'{"a": 1}', b'{"b": [1, 2', b'{"c": 3}']


def test_json_array_pretty_printed() -> None:
    data = json.dumps([{"a": 1}, {"b": ']}\\"x'}, {"c": [1, {"d": 2}]}], indent=2).encode()
    got = cut(data)
    assert [(r.item, json.loads(r.raw)) for r in got] == [
        (0, {"a": 1}),
        (1, {"b": ']}\\"x'}),
        (2, {"c": [1, {"d": 2}]}),
    ]
    assert [r.line for r in got] == [2, 5, 8]


def test_json_array_on_one_line_and_one_element_per_line() -> None:
    assert [r.raw for r in cut(b'[{"a":1},{"b":2}]')] == [b'{"a":1}', b'{"b":2}']
    assert [(r.line, r.raw) for r in cut(b'[{"a":1},\n {"b":2}\n]\n')] == [(1, b'{"a":1}'), (2, b'{"b":2}')]


def test_search_pages_pretty_printed_and_as_ndjson_lines() -> None:
    page = {"requestParameters": {"fromDate": "201810100000"}, "results": [{"a": 1}, {"b": 2}], "next": "abc"}
    pretty = cut(json.dumps(page, indent=1).encode())
    assert [(r.item, json.loads(r.raw)) for r in pretty] == [(0, {"a": 1}), (1, {"b": 2})]
    lines = cut(json.dumps(page).encode() + b"\n" + json.dumps({**page, "results": [{"c": 3}]}).encode() + b"\n")
    assert [(r.line, r.item, json.loads(r.raw)) for r in lines] == [
        (1, 0, {"a": 1}),
        (1, 1, {"b": 2}),
        (2, 0, {"c": 3}),
    ]


def test_an_ndjson_line_is_a_search_page_when_its_first_member_says_so() -> None:
    lines = cut(
        b'{ "next": "abc", "results": [{"a": 1}]}\n'
        b'{"results":[{"b": 2}]}\n'
        b'{"id": "1", "results_note": "results", "nested": {"results": [{"c": 3}]}}\n'
    )
    assert [(r.line, r.item, json.loads(r.raw)) for r in lines] == [
        (1, 0, {"a": 1}),
        (2, 0, {"b": 2}),
        (3, None, {"id": "1", "results_note": "results", "nested": {"results": [{"c": 3}]}}),
    ]


def test_an_object_that_only_mentions_results_is_one_record() -> None:
    doc = b'{\n "a": {"results": [1]},\n "text": "\\"results\\": [",\n "b": 2\n}\n'
    assert [r.raw for r in cut(doc)] == [doc.strip()]


def test_a_stream_of_pretty_printed_objects() -> None:
    data = b'{\n  "a": 1\n}\n{\n  "b": 2\n}\n'
    assert [(r.line, json.loads(r.raw)) for r in cut(data)] == [(1, {"a": 1}), (4, {"b": 2})]


def test_a_line_longer_than_the_limit_is_skipped_without_reading_it_whole() -> None:
    big = b'{"text": "' + b"x" * 10_000 + b'"}'
    got = cut(b'{"a": 1}\n' + big + b'\n{"b": 2}\n', max_record_bytes=2048)
    assert [r.raw for r in got if r.error is None] == [b'{"a": 1}', b'{"b": 2}']
    assert got[1].line == 2 and got[1].raw == big[:PREFIX_BYTES] and "longer than 2048 bytes" in str(got[1].error)


def test_the_stream_is_read_in_bounded_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """An over-long line is never asked for whole: reads are capped by the limit or the chunk."""
    asked: list[int] = []

    class Spy(io.BufferedReader):
        def readline(self, size: int | None = -1) -> bytes:
            asked.append(-1 if size is None else size)
            return super().readline(size)

        def readinto1(self, buffer: Any) -> int:
            asked.append(len(buffer))
            return super().readinto1(buffer)

    big = b'{"text": "' + b"x" * 100_000 + b'"}\n'
    stream = Spy(io.BytesIO(big + b'{"b": 2}\n'))
    monkeypatch.setattr(records_module, "_CHUNK", 4096)
    got = list(read_stream(stream, "s", max_record_bytes=2048))
    assert [r.raw for r in got][1:] == [b'{"b": 2}'] and got[0].error
    assert asked and max(asked) <= 4096 and -1 not in asked


def test_an_over_long_element_of_an_array_ends_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records_module, "_CHUNK", 64)
    data = b'[{"a": 1},\n{"text": "' + b"x" * 5000 + b'"}, {"b": 2}]'
    got = cut(data, max_record_bytes=1024)
    assert got[0].raw == b'{"a": 1}'
    assert got[1].line == 2 and got[1].item == 1 and "longer than 1024" in str(got[1].error)
    assert "rest of this input is skipped" in str(got[1].error) and len(got) == 2


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'[{"a": 1}, {"b": 2', "truncated JSON"),
        (b'[{"a": 1}, x, {"c": 3}]', "malformed JSON"),
        (b'[{"a": 1} {"b": 2}]', "expected ',' or ']'"),
        (b"[" + b"[" * 100_000, "nested too deeply"),
    ],
)
def test_a_broken_array_is_one_reject_after_its_good_elements(data: bytes, reason: str) -> None:
    got = cut(data)
    assert got[-1].error is not None and reason in got[-1].error
    assert all(r.error is None for r in got[:-1])


def test_array_on_a_later_line_is_cut_on_that_line_only() -> None:
    got = cut(b'{"a": 1}\n[{"b": 2}, x]\n{"c": 3}\n')
    assert [(r.line, r.item, r.raw, r.error is not None) for r in got] == [
        (1, None, b'{"a": 1}', False),
        (2, 0, b'{"b": 2}', False),
        (2, 1, b"x]", True),
        (3, None, b'{"c": 3}', False),
    ]
    assert "rest of this line is skipped" in str(got[2].error)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(
    elements=st.lists(st.dictionaries(st.text(max_size=5), json_values, max_size=4), max_size=6),
    indent=st.sampled_from([None, 1, 2]),
    chunk=st.integers(min_value=1, max_value=64),
    page=st.booleans(),
)
def test_documents_are_cut_exactly_whatever_the_read_size(
    elements: list[dict[str, Any]], indent: int | None, chunk: int, page: bool
) -> None:
    doc: Any = {"results": elements, "next": "x"} if page else elements
    data = json.dumps(doc, indent=indent).encode()
    if not data.startswith(b"[") and indent is None:
        data = b"{\n" + data[1:]  # a page on one line is NDJSON; make it a document
    original = records_module._CHUNK
    records_module._CHUNK = chunk
    try:
        got = cut(data)
    finally:
        records_module._CHUNK = original
    assert [r.error for r in got] == [None] * len(elements)
    assert [msgspec.json.decode(r.raw) for r in got] == elements
    assert [r.item for r in got] == list(range(len(elements)))


ndjson_lines = st.lists(
    st.one_of(
        st.integers(min_value=0, max_value=300).map(lambda n: b'{"t": "' + b"x" * n + b'"}'),
        st.sampled_from([b"", b"  ", b"\r", b'{"a": 1}\r', b'{"results": [{"b": 2}, {"c": 3}]}', b"[1, 2]"]),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(
    lines=ndjson_lines,
    newline_at_end=st.booleans(),
    chunk=st.integers(min_value=1, max_value=96),
    limit=st.integers(min_value=8, max_value=400),
)
def test_ndjson_is_cut_line_by_line_whatever_the_read_size_and_limit(
    lines: list[bytes], newline_at_end: bool, chunk: int, limit: int
) -> None:
    """The buffered reader gives, for every line, what that line alone gives (``line_records``):
    lines across reads, lines longer than a read or than the limit, a last line with no newline."""
    texts = [b'{"first": 1}', *lines]
    data = b"\n".join(texts) + (b"\n" if newline_at_end else b"")
    if not newline_at_end and texts[-1] == b"":
        texts.pop()  # nothing after the last newline is no line
    expected = [r for i, text in enumerate(texts, 1) for r in line_records("s", i, text, limit)]
    original = records_module._CHUNK
    records_module._CHUNK = chunk
    try:
        got = cut(data, max_record_bytes=limit)
    finally:
        records_module._CHUNK = original
    assert got == expected


def _compress(kind: str, data: bytes) -> bytes:
    if kind == "gz":
        return gzip.compress(data[:100]) + gzip.compress(data[100:])  # two members
    if kind == "bz2":
        return bz2.compress(data)
    if kind == "xz":
        return lzma.compress(data)
    if kind == "zst":
        frames = zstandard.ZstdCompressor()
        return frames.compress(data[:100]) + frames.compress(data[100:])  # two frames
    return data


@pytest.mark.parametrize("kind", ["plain", "gz", "bz2", "xz", "zst"])
def test_compressed_inputs_are_recognised_by_magic_bytes(tmp_path: Path, kind: str) -> None:
    data = ndjson(native_lines()) + b"\n" + INFO + b"\n"
    path = tmp_path / "feed.json"  # the extension says nothing
    path.write_bytes(_compress(kind, data))
    got = list(iter_records([str(path)]))
    assert b"".join(r.raw + b"\n" for r in got) == data
    assert [r.line for r in got] == list(range(1, len(got) + 1))


def test_a_truncated_compressed_file_keeps_what_came_before(tmp_path: Path) -> None:
    data = ndjson(native_lines() * 50)
    path = tmp_path / "cut.ndjson.gz"
    path.write_bytes(gzip.compress(data)[: len(gzip.compress(data)) // 2])
    other = tmp_path / "other.ndjson"
    other.write_bytes(b'{"a": 1}\n')
    got = list(iter_records([str(path), str(other)]))
    bad = [r for r in got if r.error]
    assert len(bad) == 1 and "cannot read further" in str(bad[0].error) and bad[0].source == str(path)
    assert got[-1] == Record(str(other), 1, b'{"a": 1}')
    good = [r for r in got if r.source == str(path) and not r.error]
    assert 0 < len(good) < 250 and all(r.raw in data for r in good[:-1])


def test_reader_knows_sizes_and_progress(tmp_path: Path) -> None:
    a, b = tmp_path / "a.ndjson", tmp_path / "b.ndjson.gz"
    a.write_bytes(b'{"a": 1}\n' * 10)
    b.write_bytes(gzip.compress(b'{"b": 2}\n' * 10))
    reader = Reader([str(a), str(b)])
    assert reader.total_bytes == a.stat().st_size + b.stat().st_size
    assert sum(1 for _ in reader) == 20
    assert reader.bytes_read == reader.total_bytes
    assert Reader(["-"]).total_bytes is None


def test_expand_inputs_directories_globs_and_errors(tmp_path: Path) -> None:
    names = ("2018/10/01/a.json.gz", "2018/10/02/b.json.gz", "2018/c.ndjson", "2018/d.jsonl.zst", "2018/.e.json",
             ".partial/f.json", "README.md", "manifest", "notes.txt.gz")  # fmt: skip
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    assert expand_inputs([str(tmp_path)]) == [
        str(tmp_path / "2018/10/01/a.json.gz"),
        str(tmp_path / "2018/10/02/b.json.gz"),
        str(tmp_path / "2018/c.ndjson"),
        str(tmp_path / "2018/d.jsonl.zst"),
    ]
    assert expand_inputs([str(tmp_path / "README.md")]) == [str(tmp_path / "README.md")]  # named: read
    assert expand_inputs([str(tmp_path / "**/*.json.gz"), "-"]) == [
        str(tmp_path / "2018/10/01/a.json.gz"),
        str(tmp_path / "2018/10/02/b.json.gz"),
        "-",
    ]
    with pytest.raises(UsageError, match="no files match"):
        expand_inputs([str(tmp_path / "*.xml")])
    with pytest.raises(UsageError, match="no such file"):
        expand_inputs([str(tmp_path / "missing.json")])
