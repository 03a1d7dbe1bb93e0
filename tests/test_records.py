"""The reader: every container and compression, cut into records with their lines; bad input
becomes records with an ``error``, never an exception; memory-bound cutting of JSON documents."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import threading
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
    Block,
    Reader,
    Record,
    block_lines,
    expand_inputs,
    iter_records,
    line_records,
    read_stream,
    shown_name,
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


def _zstd_frames(data: bytes, *, pieces: int, checksum: bool, content_size: bool) -> bytes:
    """``data`` in ``pieces`` zstd frames, each of several blocks (a frame's blocks hold 128 KiB)."""
    size = -(-len(data) // pieces)
    frames = []
    for start in range(0, len(data), size):
        out = io.BytesIO()
        compressor = zstandard.ZstdCompressor(level=1, write_checksum=checksum, write_content_size=content_size)
        piece = data[start : start + size]
        with compressor.stream_writer(out, closefd=False, size=len(piece) if content_size else -1) as writer:
            writer.write(piece)
        frames.append(out.getvalue())
    return b"".join(frames)


_FEED = b"".join(b'{"n": %d, "text": "%s"}\n' % (i, b"%x" % (i * 7919) * 20) for i in range(20_000))
# Between the frames, a skippable frame (as some tools write metadata): magic, size, bytes.
_SKIPPABLE = b"\x50\x2a\x4d\x18" + (5).to_bytes(4, "little") + b"hello"


@pytest.mark.parametrize(("checksum", "content_size"), [(True, True), (False, False)])
def test_a_complete_zstd_stream_of_several_frames_reads_whole(
    tmp_path: Path, checksum: bool, content_size: bool
) -> None:
    one, two = (_zstd_frames(_FEED, pieces=1, checksum=checksum, content_size=content_size) for _ in range(2))
    path = tmp_path / "feed.zst"
    path.write_bytes(one + _SKIPPABLE + two)
    got = list(iter_records([str(path)]))
    assert [r.error for r in got if r.error] == [] and len(got) == 40_000


@pytest.mark.parametrize("checksum", [True, False])
@pytest.mark.parametrize("where", [5, 9, 0.3, 0.5, -1, "second frame", "skippable", "second header"])
def test_a_zstd_file_cut_anywhere_is_an_error_after_what_came_before(
    tmp_path: Path, checksum: bool, where: float | str
) -> None:
    """zstandard's reader takes the end of its input inside a frame for the end of the data: the
    reader follows the frames itself, so that a truncated download is never read as complete."""
    first = _zstd_frames(_FEED, pieces=3, checksum=checksum, content_size=True)
    second = _zstd_frames(_FEED, pieces=1, checksum=checksum, content_size=False)
    data = first + _SKIPPABLE + second
    cut_at = {
        "second frame": len(first) + len(_SKIPPABLE) + len(second) // 2,
        "skippable": len(first) + 6,
        "second header": len(first) + len(_SKIPPABLE) + 5,
    }.get(where) if isinstance(where, str) else (where if isinstance(where, int) and where > 0 else None)
    if cut_at is None:
        cut_at = len(first) - 1 if where == -1 else int(len(first) * float(where))
    path = tmp_path / "cut.ndjson.zst"
    path.write_bytes(data[:cut_at])
    got = list(iter_records([str(path)]))
    assert got[-1].error is not None and "truncated" in got[-1].error
    good = [r.raw + b"\n" for r in got[:-1]]
    assert all(r.error is None for r in got[:-1]) and b"".join(good) != _FEED * 2
    assert (_FEED * 2).startswith(b"".join(good))  # what came before the damage, every line whole


def test_a_truncated_zstd_stream_on_stdin_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _zstd_frames(_FEED, pieces=2, checksum=False, content_size=False)
    cut = data[: len(data) * 3 // 4]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(cut)))
    reader = Reader(["-"])
    got = list(reader)
    assert got[-1].error is not None and "truncated" in got[-1].error and len(got) > 1
    assert reader.bytes_read == len(cut)  # counted from a stream too: progress is not 0 MiB


def test_progress_counts_the_bytes_of_a_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "feed.fifo"
    os.mkfifo(fifo)
    data = ndjson(native_lines() * 20)
    writer = threading.Thread(target=fifo.write_bytes, args=(data,))
    writer.start()
    reader = Reader(expand_inputs([str(fifo)]))
    assert reader.total_bytes is None  # a pipe has no size
    assert len(list(reader)) == 100 and reader.bytes_read == len(data)
    writer.join()


def test_pipes_and_stdin_by_name_are_inputs(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b'{"a": 1}\n')
    os.close(write_end)
    name = f"/dev/fd/{read_end}"  # what <(cmd) gives
    try:
        assert expand_inputs([name]) == [name]
        assert [r.raw for r in iter_records([name])] == [b'{"a": 1}']
    finally:
        os.close(read_end)
    assert expand_inputs(["/dev/stdin"]) == ["/dev/stdin"]
    with pytest.raises(UsageError, match="not a file that can be read twice"):
        expand_inputs(["/dev/stdin"], files_only=True)


def test_each_file_is_an_input_once_whatever_reaches_it(tmp_path: Path) -> None:
    """A `**` over a tree with symlink loops lists every file once (the old glob listed them
    again at every turn of each loop, ever more as loops combined), and so do a file named
    twice, a symlink and a hard link to it."""
    tree = tmp_path / "tree"
    (tree / "a" / "b").mkdir(parents=True)
    (tree / "a" / "b" / "x.json").write_bytes(b"{}\n")
    (tree / "y.json").write_bytes(b"{}\n")
    (tree / "a" / "b" / "up").symlink_to("..")
    (tree / "a" / "b" / "top").symlink_to("../..")
    (tree / "a" / "self").symlink_to("../a")
    assert expand_inputs([str(tree / "**" / "*.json")]) == [str(tree / "a/b/x.json"), str(tree / "y.json")]
    assert expand_inputs([str(tree / "**")]) == [str(tree / "a/b/x.json"), str(tree / "y.json")]
    (tmp_path / "link.json").symlink_to(tree / "y.json")
    os.link(tree / "y.json", tmp_path / "hard.json")
    named = [str(tree / "y.json"), str(tree / "y.json"), str(tmp_path / "link.json"), str(tmp_path / "hard.json")]
    assert expand_inputs(named) == [str(tree / "y.json")]
    assert expand_inputs([str(tree), str(tree / "a")]) == [str(tree / "a/b/x.json"), str(tree / "y.json")]


def test_blocks_of_tiny_lines_hold_a_bounded_number_of_lines() -> None:
    """What a block's records give is held until the block is accounted for: a megabyte of
    ``{}`` lines (350,000 rejects) must not be one block."""
    data = b"{}\n" * (3 * records_module.BLOCK_LINES + 5)
    blocks = [p for p in records_module._Splitter("s", 2**20).pieces(io.BytesIO(data)) if isinstance(p, Block)]
    assert [len(list(block_lines(b.data))) for b in blocks] == [records_module.BLOCK_LINES] * 3 + [5]
    assert [b.line for b in blocks] == [1 + n * records_module.BLOCK_LINES for n in range(4)]


def test_a_name_that_is_not_utf8_is_shown_with_escapes(tmp_path: Path) -> None:
    name = os.fsdecode(str(tmp_path).encode() + b"/caf\xe9.ndjson")
    Path(name).write_bytes(b'{"a": 1}\n')
    shown = str(tmp_path) + "/caf\\xe9.ndjson"
    assert shown_name(name) == shown and shown_name("café") == "café"
    assert [r.source for r in iter_records([name])] == [shown]  # printable, and JSON can hold it


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # a pretty-printed object whose first line holds members
        (b'{"id": "x",\n "n": 1}\n', [(1, None, {"id": "x", "n": 1})]),
        # several of them one after another
        (
            b'{"id": "x",\n "n": 1}\n{"id": "y",\n "n": [1,\n  2]}\n',
            [(1, None, {"id": "x", "n": 1}), (3, None, {"id": "y", "n": [1, 2]})],
        ),
        # a search page pretty-printed from its first line on
        (b'{  "results": [\n  {"a": 1},\n  {"b":\n 2}],\n "next": "x"}\n', [(2, 0, {"a": 1}), (3, 1, {"b": 2})]),
        # an array whose records span lines
        (b'[{"a":\n 1},\n {"b": 2}]\n', [(1, 0, {"a": 1}), (3, 1, {"b": 2})]),
        # blank lines before a document are keep-alives
        (b'\n{"a":\n 1}\n', [(1, None, ""), (2, None, {"a": 1})]),
    ],
)
def test_json_spread_over_lines_is_read_whatever_its_first_line(data: bytes, expected: list[Any]) -> None:
    assert summary(cut(data)) == expected


def test_ndjson_whose_first_or_a_later_line_is_cut_short_is_one_reject_per_line() -> None:
    """The first line decides: a whole JSON value makes the input NDJSON. One that is not a
    whole value opens a document, unless the document turns out malformed before a record came
    out of it: an NDJSON feed whose first record is cut short, read as NDJSON after all."""
    assert [r.raw for r in cut(b'{"a": 1, "te\n{"b": 2}\n{"c": 3}\n')] == [b'{"a": 1, "te', b'{"b": 2}', b'{"c": 3}']
    assert [r.raw for r in cut(b'{"a": 1\n{"b": 2}\n')] == [b'{"a": 1', b'{"b": 2}']
    assert [(r.line, r.raw) for r in cut(b'{"a": 1}\n{"b":\n 2}\n')] == [(1, b'{"a": 1}'), (2, b'{"b":'), (3, b"2}")]


def test_a_stream_of_pretty_printed_objects_is_read_in_bounded_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory stays flat: the reader holds about one record and one read at a time."""
    held: list[int] = []
    original = records_module._Document._refill

    def refill(self: Any, keep: int) -> bool:
        held.append(len(self.buf))
        return original(self, keep)  # type: ignore[no-any-return]

    monkeypatch.setattr(records_module._Document, "_refill", refill)
    monkeypatch.setattr(records_module, "_CHUNK", 4096)
    one = json.dumps({"id": "x", "text": "y" * 500, "n": [1, 2, 3]}, indent=2).encode() + b"\n"
    got = cut(one * 2000)
    assert len(got) == 2000 and all(r.error is None for r in got) and got[-1].line == 1999 * one.count(b"\n") + 1
    assert held and max(held) < 4096 + 2 * len(one)
