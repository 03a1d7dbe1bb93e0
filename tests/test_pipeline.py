"""A conversion run: every record accounted for, rejects kept with their bytes, output written
atomically, the same with one process or several."""

from __future__ import annotations

import base64
import gzip
import json
import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import xformat.records as records_module
from tests.feeds import INFO, activity_lines, native_lines, ndjson
from xformat import parallel
from xformat.convert import Converter
from xformat.output import open_output
from xformat.parallel import WorkerError, ordered_map
from xformat.pipeline import Settings, run
from xformat.records import Block, Reader, Record
from xformat.rejects import Rejects
from xformat.summary import Summary

BAD_UTF8 = b'{"text": "\xff\xfe"}'
DEEP = b'{"a":' * 5000 + b"1" + b"}" * 5000


def mixed_feed_bad() -> list[bytes]:
    return [b'{"created_at": 5}', b'{"id_str": "1", "te', BAD_UTF8, b'"a string"', b"not json", DEEP]


def mixed_feed() -> bytes:
    """Native posts, their activities, keep-alives, a deletion, the info line and bad records."""
    good = native_lines() + activity_lines()
    return ndjson(good[:4]) + b"\n\n" + ndjson(mixed_feed_bad()) + ndjson(good[4:]) + b"\n" + INFO + b"\n"


def convert(
    tmp_path: Path, data: bytes, *, target: str = "activity", jobs: int = 1, **options: object
) -> tuple[Summary, bytes, list[dict[str, Any]]]:
    source = tmp_path / "feed.ndjson.gz"
    source.write_bytes(gzip.compress(data))
    out, rejects_path = tmp_path / "out.ndjson", tmp_path / "rejects.ndjson"
    rejects = Rejects(str(rejects_path), None)
    settings = Settings(target, strict=bool(options.pop("strict", False)))  # type: ignore[arg-type]
    try:
        summary = run(Reader([str(source)]), settings, open_output(str(out)), rejects, jobs=jobs, **options)  # type: ignore[arg-type]
    finally:
        rejects.close()
    written = out.read_bytes() if out.exists() else b""
    return summary, written, [json.loads(line) for line in rejects_path.read_text().splitlines()]


def test_every_record_is_accounted_for(tmp_path: Path) -> None:
    summary, written, rejects = convert(tmp_path, mixed_feed())
    assert summary.balanced
    assert (summary.read, summary.converted, summary.deletions, summary.info, summary.keepalives, summary.rejected) == (
        20, 8, 2, 1, 3, 6,
    )  # fmt: skip
    assert summary.unchanged == 5  # the activities were already in the target format
    assert len(written.splitlines()) == 10
    assert summary.losses["retweet_counts"] == 1 and summary.losses["unknown_fields"] == 1
    assert summary.unknown_fields == {"$.flavour": 1}
    assert len(rejects) == 6


def test_rejects_keep_line_numbers_reasons_paths_and_original_bytes(tmp_path: Path) -> None:
    _, _, rejects = convert(tmp_path, mixed_feed())
    by_line = {r["line"]: r for r in rejects}
    assert sorted(by_line) == [7, 8, 9, 10, 11, 12]
    assert by_line[7]["raw"] == '{"created_at": 5}' and by_line[7]["path"] == "$.created_at"
    assert "truncated" in str(by_line[8]["reason"]) and by_line[8]["raw"] == '{"id_str": "1", "te'
    assert by_line[9]["raw_encoding"] == "base64"
    assert base64.b64decode(str(by_line[9]["raw"])) == BAD_UTF8
    assert "UTF-8" in str(by_line[9]["reason"]) or "malformed" in str(by_line[9]["reason"])
    assert "nested too deeply" in str(by_line[12]["reason"]) or "recursion" in str(by_line[12]["reason"])
    assert all(r["source"].endswith("feed.ndjson.gz") and "item" not in r for r in rejects)


def test_rejects_from_arrays_name_their_item(tmp_path: Path) -> None:
    lines = native_lines()
    data = b"[" + b",\n".join([lines[0], b'{"id_str": 7}', lines[1]]) + b"]\n"
    summary, _, rejects = convert(tmp_path, data)
    assert (summary.read, summary.converted, summary.rejected) == (3, 2, 1)
    assert [(r["line"], r["item"], r["path"]) for r in rejects] == [(2, 1, "$.id_str")]


def test_several_processes_write_the_same_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records_module, "_CHUNK", 4096)  # many blocks, lines across reads
    data = mixed_feed() * 40
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = convert(tmp_path / "a", data, jobs=1)
    two = convert(tmp_path / "b", data, jobs=2)
    assert one[1] == two[1]
    assert [{**r, "source": ""} for r in one[2]] == [{**r, "source": ""} for r in two[2]]
    lines_of_bad = [i for i, line in enumerate(data.split(b"\n"), 1) if line in mixed_feed_bad()]
    assert [r["line"] for r in one[2]] == lines_of_bad
    counts = ("read", "converted", "deletions", "info", "keepalives", "rejected", "unchanged", "losses")
    assert [one[0].to_dict()[k] for k in counts] == [two[0].to_dict()[k] for k in counts]


def test_strict_mode_rejects_what_would_lose_something(tmp_path: Path) -> None:
    summary, _, rejects = convert(tmp_path, ndjson(native_lines()), strict=True)
    assert (summary.rejected, summary.converted, summary.deletions) == (2, 2, 1)
    assert all("would lose" in str(r["reason"]) for r in rejects)


def test_max_errors_stops_early_and_writes_no_output(tmp_path: Path) -> None:
    summary, written, rejects = convert(tmp_path, mixed_feed(), max_errors=2)
    assert summary.stopped_early and summary.rejected == 2 and summary.balanced
    assert not (tmp_path / "out.ndjson").exists() and written == b""
    assert len(rejects) == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


class Interrupted(Exception):
    pass


def _failing_reader(tmp_path: Path, after: int) -> Reader:
    """A reader of a 1.3 MB feed that fails after ``after`` pieces (blocks of about 1 MB)."""
    source = tmp_path / "feed.ndjson"
    source.write_bytes(ndjson(native_lines() * 200))

    class Failing(Reader):
        def pieces(self) -> Iterator[Record | Block]:
            for n, piece in enumerate(super().pieces()):
                if n == after:
                    raise Interrupted
                yield piece

    return Failing([str(source)])


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("target", ["out.ndjson", "out.ndjson.zst"])
def test_a_failure_mid_run_leaves_no_output_file(tmp_path: Path, jobs: int, target: str) -> None:
    out = tmp_path / target
    out_dir_before = set(tmp_path.iterdir())
    with pytest.raises(Interrupted):
        run(_failing_reader(tmp_path, 1), Settings("activity"), open_output(str(out)), Rejects(None, None), jobs=jobs)
    assert not out.exists()
    assert set(tmp_path.iterdir()) - out_dir_before == {tmp_path / "feed.ndjson"}


def test_keyboard_interrupt_removes_split_parts(tmp_path: Path) -> None:
    class Stop(Reader):
        def pieces(self) -> Iterator[Record | Block]:
            yield from super().pieces()
            raise KeyboardInterrupt

    source = tmp_path / "feed.ndjson"
    source.write_bytes(ndjson(native_lines() * 300))  # some chunks are written before the interrupt
    with pytest.raises(KeyboardInterrupt):
        run(Stop([str(source)]), Settings("activity", dated=True), open_output(str(tmp_path / "parts"), "day"),
            Rejects(None, None))  # fmt: skip
    assert list((tmp_path / "parts").iterdir()) == []


def _split(tmp_path: Path, target: str, split: str | int) -> list[Path]:
    source = tmp_path / "feed.ndjson"
    source.write_bytes(ndjson(native_lines()))
    summary = run(
        Reader([str(source)]), Settings("activity", dated=split in ("day", "hour")),
        open_output(str(tmp_path / target), split), Rejects(None, None),  # type: ignore[arg-type]
    )  # fmt: skip
    assert summary.outputs == sorted(summary.outputs) or isinstance(split, str)
    return sorted(Path(p) for p in summary.outputs)


def test_split_by_day_into_a_directory(tmp_path: Path) -> None:
    parts = _split(tmp_path, "by-day", "day")
    assert [p.relative_to(tmp_path).as_posix() for p in parts] == [
        "by-day/2018-10-10.ndjson",
        "by-day/2018-10-11.ndjson",
    ]
    # The deletion's time is 2018-10-10T21:00:00Z; the reply's is on the 11th.
    assert [len(p.read_bytes().splitlines()) for p in parts] == [4, 1]


def test_split_by_hour_with_a_compressed_pattern(tmp_path: Path) -> None:
    parts = _split(tmp_path, "out/posts-{}.ndjson.gz", "hour")
    assert [p.name for p in parts] == [
        "posts-2018-10-10T20.ndjson.gz",
        "posts-2018-10-10T21.ndjson.gz",
        "posts-2018-10-11T01.ndjson.gz",
    ]
    assert sum(len(gzip.decompress(p.read_bytes()).splitlines()) for p in parts) == 5


def test_split_every_n_records(tmp_path: Path) -> None:
    parts = _split(tmp_path, "parts", 2)
    assert [p.name for p in parts] == ["00001.ndjson", "00002.ndjson", "00003.ndjson"]
    assert [len(p.read_bytes().splitlines()) for p in parts] == [2, 2, 1]


def test_the_converter_gives_each_record_its_time_in_either_format() -> None:
    native, activity = native_lines(), activity_lines()

    def time_of(line: bytes, target: str = "activity") -> str | None:
        return Converter(target, dated=True).convert_raw(line).time

    assert time_of(native[0]) == time_of(activity[0]) == "2018-10-10T20:19:24.000Z"
    assert time_of(native[4]) == time_of(activity[4]) == "2018-10-10T21:00:00.000Z"
    assert time_of(native[0], "native") == time_of(activity[0], "native") == "2018-10-10T20:19:24.000Z"
    assert time_of(INFO) is None  # an info line has no time (and no output)
    assert Converter("activity").convert_raw(native[0]).time is None  # only when asked


def _echo_twice() -> Callable[[bytes, int], tuple[bytes, int]]:
    return lambda bulk, n: (bulk * 2, n)


def _who_does_it() -> Callable[[bytes, int], tuple[bytes, int]]:
    def work(bulk: bytes, n: int) -> tuple[bytes, int]:
        if multiprocessing.parent_process() is None:
            return b"here", n
        time.sleep(0.02)
        return b"worker", n

    return work


def _fail_in_workers() -> Callable[[bytes, int], tuple[bytes, int]]:
    def work(bulk: bytes, n: int) -> tuple[bytes, int]:
        if multiprocessing.parent_process() is not None:
            raise ValueError("in a worker")
        return bulk, n

    return work


def _fail_here() -> Callable[[bytes, int], tuple[bytes, int]]:
    """Slow in the workers, so that this process gets items to do itself, where it fails."""

    def work(bulk: bytes, n: int) -> tuple[bytes, int]:
        if multiprocessing.parent_process() is None:
            raise ValueError("here")
        time.sleep(0.05)
        return bulk, n

    return work


@pytest.mark.parametrize("slot_bytes", [parallel.IN_BYTES, 16])
def test_ordered_map_keeps_order_also_when_bulk_bytes_overflow_their_slot(
    monkeypatch: pytest.MonkeyPatch, slot_bytes: int
) -> None:
    """With slots too small every task and answer goes through the pipes, big ones included:
    this must neither deadlock nor reorder."""
    monkeypatch.setattr(parallel, "IN_BYTES", slot_bytes)
    monkeypatch.setattr(parallel, "OUT_BYTES", slot_bytes)
    items = [(n, bytes([n % 256]) * (300_000 + n), n) for n in range(40)]
    done: list[tuple[int, bytes, int]] = []
    # A result's bulk is valid until the next one is asked for: copy it.
    copies = ((keep, bytes(bulk), meta) for keep, bulk, meta in ordered_map(_echo_twice, items, jobs=2, window=6))
    runner = threading.Thread(target=lambda: done.extend(copies))
    runner.start()
    runner.join(timeout=60)
    assert not runner.is_alive(), "deadlock"
    assert [(keep, bulk, meta) for keep, bulk, meta in done] == [(n, b * 2, m) for n, b, m in items]


def test_ordered_map_reports_a_failing_worker_and_stops_them_all() -> None:
    with pytest.raises(WorkerError, match="ValueError: in a worker"):
        list(ordered_map(_fail_in_workers, [(n, b"x", n) for n in range(10)], jobs=3))
    assert multiprocessing.active_children() == []


def test_ordered_map_works_in_this_process_too_and_stops_the_workers_when_that_fails() -> None:
    with pytest.raises(ValueError, match="here"):
        list(ordered_map(_fail_here, [(n, b"x", n) for n in range(50)], jobs=2))
    assert multiprocessing.active_children() == []


def test_ordered_map_shares_the_items_between_this_process_and_the_workers() -> None:
    """Slow workers: this process does the items they have no room for, and order is kept."""
    done = list(ordered_map(_who_does_it, ((n, b"x", n) for n in range(40)), jobs=2))
    assert [keep for keep, _, _ in done] == list(range(40))
    doers = [bytes(bulk) for _, bulk, _ in done]
    assert b"here" in doers and b"worker" in doers


def test_closing_the_map_early_stops_the_workers() -> None:
    results = ordered_map(_echo_twice, ((n, b"x", n) for n in range(100)), jobs=2)
    assert next(results)[0] == 0
    results.close()
    assert multiprocessing.active_children() == []
