"""Conversion and validation on a real (in-process) Dask cluster give, record for record, what one
process gives: the same lines in the same order, the same rejects with the same origins, the
same accounting; and ``xformat convert --dask/--scheduler`` writes parts that concatenate to the
single-machine output."""

from __future__ import annotations

import base64
import gzip
import itertools
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from click.testing import CliRunner, Result

from tests.feeds import INFO, activity_lines, native_lines
from tests.samples import USER, native_post
from xformat.cli.convert_cmd import convert as convert_command
from xformat.errors import UsageError
from xformat.output import open_output
from xformat.pipeline import Settings, run
from xformat.records import DEFAULT_MAX_RECORD_BYTES, Reader, expand_inputs, iter_records, opens_document
from xformat.rejects import Rejects
from xformat.summary import Summary
from xformat.validate import validate_records

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
xd = pytest.importorskip("xformat.dask")
from xformat.dask.lines import plan  # noqa: E402
from xformat.dask.parts import MIN_PART_BYTES, part_bytes, part_names, write_parts  # noqa: E402

BLOCK = 8192  # bytes: cuts the main feed into a few dozen blocks
_PEOPLE = ("Tomasz Ilunga", "Ana Folau", "Keziah Brandt", "Ruben Achterberg", "Noor Haddad", "Ilse Varga")
_WORDS = ("ferry", "lantern", "orchard", "copper", "tide", "kettle", "meadow", "atlas", "ember", "willow")


def _post(i: int) -> dict[str, Any]:
    """An invented post: its own id, author and text."""
    name = _PEOPLE[i % len(_PEOPLE)]
    handle = name.lower().replace(" ", "_")
    uid = str(7_000_000_000 + i % len(_PEOPLE))
    user = {**USER, "id": int(uid), "id_str": uid, "name": name, "screen_name": handle}
    text = " ".join(_WORDS[(i * 7 + k) % len(_WORDS)] for k in range(3 + i % 9)) + " #riverside"
    start = text.index("#riverside")
    pid = str(1_060_000_000_000_000_000 + i * 7919)
    entities = {"hashtags": [{"text": "riverside", "indices": [start, start + 10]}], "symbols": [], "user_mentions": []}
    return native_post(id=int(pid), id_str=pid, text=text, user=user, entities={**entities, "urls": []})


def _feed(bad_utf8: bool) -> bytes:
    """Posts of both formats, deletions, keep-alives, bad records, an array and a search page on
    a line, and blank lines where blocks may be cut; the info line last."""
    encode = msgspec.json.encode
    lines: list[bytes] = []
    for i in range(240):
        lines.append(encode(_post(i)))
        if i % 17 == 0:
            lines += [b"", b"  ", b""]  # keep-alives: a block must not start at them
        if i % 23 == 5:
            lines.append(b"[" + encode(_post(1000 + i)) + b"," + encode(_post(2000 + i)) + b"]")
        if i % 29 == 3:
            lines.append(b'{"results": [' + encode(_post(3000 + i)) + b'], "next": "abc"}')
    lines[10:10] = native_lines() + activity_lines()  # a deletion, unknown fields, posts already converted
    lines[40:40] = [b'{"created_at": 5}', b'{"id_str": "1", "te', b'"a string"', b"{", b"[1,"]
    if bad_utf8:
        lines.insert(77, b'{"text": "\xff\xfe"}')
    return b"\n".join([*lines, INFO]) + b"\n"


def _array() -> bytes:
    """A pretty-printed JSON array of posts: one piece, never cut."""
    return json.dumps([_post(5000 + i) for i in range(12)], indent=2).encode() + b"\n"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    root.mkdir()
    (root / "a-feed.ndjson").write_bytes(_feed(bad_utf8=True))
    (root / "b-feed.ndjson.gz").write_bytes(gzip.compress(_feed(bad_utf8=False)[:20_000]))
    (root / "c-page.json").write_bytes(_array())
    return root


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """Two in-process workers of one thread each: a real scheduler, fast and quiet in CI."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
    with cluster, distributed.Client(cluster) as connected:
        yield connected


def single_process(
    inputs: list[str], out: Path, target: str = "activity", max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
) -> tuple[bytes, list[Any], Summary]:
    """What ``xformat convert`` writes for ``inputs`` in one process: output, rejects, summary."""
    rejects_path = out.with_suffix(".rejects")
    rejects = Rejects(str(rejects_path), None)
    reader = Reader(expand_inputs(inputs), max_record_bytes=max_record_bytes)
    try:
        summary = run(reader, Settings(target), open_output(str(out)), rejects)  # type: ignore[arg-type]
    finally:
        rejects.close()
    return out.read_bytes(), _parsed(rejects_path.read_bytes()), summary


def _parsed(data: bytes) -> list[Any]:
    return [json.loads(line) for line in data.splitlines()]


def counts(summary: Summary) -> dict[str, Any]:
    """The accounting of a summary, without what depends on how the run was made."""
    return {k: v for k, v in summary.to_dict().items() if k not in ("inputs", "outputs", "rejects_file", "seconds")}


def test_a_cluster_converts_record_for_record_as_one_process(archive: Path, client: Any) -> None:
    output, rejects, summary = single_process([str(archive)], archive.parent / "single.ndjson")
    records = xd.read_lines(str(archive), blocksize=BLOCK)
    assert records.npartitions > 20
    done = xd.convert(records, "activity")
    lines, rejected, merged = dask.compute(done.lines, done.rejects, done.summary)
    assert "".join(line + "\n" for line in lines).encode() == output
    assert [json.loads(line) for line in rejected] == rejects
    assert counts(merged) == counts(summary) and merged.balanced
    assert summary.rejected == 8 and summary.info == 1 and summary.keepalives > 40 and summary.unchanged == 7
    assert {r["source"] for r in rejects} == {str(archive / "a-feed.ndjson"), str(archive / "b-feed.ndjson.gz")}
    assert any(r.get("raw_encoding") == "base64" for r in rejects)  # the bad UTF-8, kept byte for byte


def test_reject_lines_are_exact_in_blocks(archive: Path, client: Any) -> None:
    feed = archive / "a-feed.ndjson"
    lines = feed.read_bytes().split(b"\n")
    done = xd.convert(xd.read_lines([str(feed), str(feed)], blocksize=BLOCK), "activity")
    rejects = [json.loads(line) for line in done.rejects.compute()]
    assert len(rejects) == 7  # a file named twice is read once
    for reject in rejects:
        raw = base64.b64decode(reject["raw"]) if "raw_encoding" in reject else reject["raw"].encode()
        assert raw[:8] in lines[reject["line"] - 1]  # an item of an array on a line is part of it


def test_read_text_bags_convert_alike_with_one_partition_per_file(archive: Path, client: Any) -> None:
    feed = str(archive / "a-feed.ndjson")
    output, rejects, summary = single_process([feed], archive.parent / "single.ndjson")
    # surrogateescape keeps bytes that are not UTF-8; "\n" splits lines as xformat's reader does.
    text = dask.bag.read_text([feed], include_path=True, errors="surrogateescape", linedelimiter="\n")
    done = xd.convert(text, "activity")
    lines, rejected, merged = dask.compute(done.lines, done.rejects, done.summary)
    assert "".join(line + "\n" for line in lines).encode() == output
    assert [json.loads(line) for line in rejected] == rejects
    assert counts(merged) == counts(summary)
    # Without paths, the origin is the partition.
    bare = dask.bag.read_text([feed, feed], errors="surrogateescape", linedelimiter="\n")
    again = [json.loads(line) for line in xd.convert(bare, "activity").rejects.compute()]
    assert again == [{**r, "source": f"partition-0000{i}"} for i in (0, 1) for r in rejects]


def test_bags_of_bare_lines_and_what_a_bag_cannot_hold(client: Any) -> None:
    bare = dask.bag.from_sequence([line.decode() for line in native_lines()], npartitions=2)
    assert xd.convert(bare, "activity").lines.compute() == [line.decode() for line in activity_lines()]
    with pytest.raises(UsageError, match="not dict"):
        xd.convert(dask.bag.from_sequence([{"id": 1}]), "activity").lines.compute()


def test_blocks_start_at_records_and_cover_each_file(archive: Path) -> None:
    pieces = plan([str(archive)], BLOCK)
    by_file: dict[str, list[Any]] = {}
    for piece in pieces:
        by_file.setdefault(Path(piece.path).name, []).append(piece)
    assert [len(by_file[name]) for name in ("b-feed.ndjson.gz", "c-page.json")] == [1, 1]  # never cut
    blocks = by_file["a-feed.ndjson"]
    data = (archive / "a-feed.ndjson").read_bytes()
    assert len(blocks) > 20 and blocks[0].start == 0 and blocks[-1].end == len(data)
    for before, after in itertools.pairwise(blocks):
        assert before.end == after.start and data[after.start - 1 : after.start] == b"\n"
        line = data[after.start :].split(b"\n", 1)[0].strip()
        # A whole JSON value, never blank nor one that opens a document (a lone "{"): the reader
        # reads such a line the same at the start of a stream as within one (a whole array too).
        assert line[:1] in (b"{", b"[") and not opens_document(line)


def test_parts_share_out_evenly_among_the_workers() -> None:
    mib = 2**20
    assert part_bytes(330 * mib, 1) == 330 * mib // 11  # one worker: parts of at most 32 MiB
    # 330 MiB: not 11 parts of 32 MiB (one worker of two would convert the 11th alone) but 12.
    assert part_bytes(330 * mib, 2) == 330 * mib // 12
    assert part_bytes(330 * mib, 3) == 330 * mib // 12  # 4 rounds of 3
    assert part_bytes(330 * mib, 4) == 330 * mib // 12
    assert part_bytes(64 * mib, 2) == 32 * mib
    assert part_bytes(40 * mib, 2) == 20 * mib  # not 32 and 8: both workers busy all along
    assert part_bytes(40 * mib + 1, 2) == 20 * mib + 1  # rounded up: never a third sliver
    # Small inputs are not cut finer than MIN_PART_BYTES, nor is nothing at all.
    assert part_bytes(6 * mib, 2) == MIN_PART_BYTES == 4 * mib
    assert part_bytes(0, 2) == MIN_PART_BYTES


def test_validation_on_a_cluster_is_validate_records(archive: Path, client: Any) -> None:
    expected = list(validate_records(iter_records([str(p) for p in sorted(archive.iterdir())])))
    checked = xd.validate(xd.read_lines(str(archive), blocksize=BLOCK))
    invalid, summary = dask.compute(checked.invalid, checked.summary)
    assert invalid == [result for result in expected if result.errors]
    assert summary.records == len(expected) and summary.invalid == len(invalid) == 8  # the bad UTF-8 line too


def test_summaries_merge_field_by_field() -> None:
    a = Summary(read=3, converted=2, rejected=1, rejects_file="r.ndjson")
    a.losses.update(["shape", "shape"])
    b = Summary(read=2, deletions=1, keepalives=1, stopped_early=True, outputs=["p1"])
    b.losses.update(["shape", "poll"])
    both = xd.merged(a, b)
    assert (both.read, both.converted, both.deletions, both.keepalives, both.rejected) == (5, 2, 1, 1, 1)
    assert both.losses == {"shape": 3, "poll": 1} and both.balanced
    assert both.stopped_early is True and both.rejects_file == "r.ndjson" and both.outputs == ["p1"]


# The command line: ``--dask`` and ``--scheduler`` are options of ``xformat convert``.
def xformat(*args: str) -> Result:
    return CliRunner().invoke(convert_command, list(args))


def _parts(directory: Path) -> bytes:
    names = sorted(p.name for p in directory.iterdir())
    assert names[0] == "part-00000.ndjson.gz" and not any(n.startswith(".") for n in names)
    return b"".join(gzip.decompress((directory / name).read_bytes()) for name in names)


def test_convert_scheduler_writes_parts_that_concatenate_to_the_single_output(archive: Path, client: Any) -> None:
    tmp = archive.parent
    one = ["-o", str(tmp / "one.ndjson"), "--rejects", str(tmp / "r1"), "--summary-json", str(tmp / "s1.json")]
    single = xformat("--to", "activity", str(archive), *one)
    parts = [
        "-o",
        str(tmp / "parts/part-{}.ndjson.gz"),
        "--rejects",
        str(tmp / "r2"),
        "--summary-json",
        str(tmp / "s2"),
    ]
    result = xformat("--to", "activity", str(archive), *parts, "--scheduler", client.scheduler.address)
    assert (single.exit_code, result.exit_code) == (1, 1), result.stderr
    assert _parts(tmp / "parts") == (tmp / "one.ndjson").read_bytes()
    assert (tmp / "r1").read_bytes() == (tmp / "r2").read_bytes()
    summaries = [json.loads((tmp / name).read_text()) for name in ("s1.json", "s2")]
    assert len(summaries[1].pop("outputs")) == 3 and summaries[1]["rejected"] == 8
    for summary in summaries:
        del summary["seconds"], summary["rejects_file"]
    del summaries[0]["outputs"]
    assert summaries[0] == summaries[1]
    assert single.stderr.split(" in ")[0] == result.stderr.split(" in ")[0]  # "read N records"


def test_max_errors_on_a_cluster_writes_no_part(archive: Path, client: Any) -> None:
    out = archive.parent / "parts"
    address = client.scheduler.address
    result = xformat(
        "--to", "activity", str(archive), "-o", str(out), "--scheduler", address, "--max-errors", "1", "-q"
    )
    assert result.exit_code == 1
    assert list(out.iterdir()) == []  # nor the hidden staging directory


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dask", "--split-by", "day", "-o", "out"], "--split-by does not combine with --dask"),
        (["--scheduler", "tcp://127.0.0.1:1", "-j", "2", "-o", "out"], "--jobs does not combine with --scheduler"),
        (["--dask"], "name a directory"),
        (["--dask", "-", "-o", "out"], "cannot read stdin"),
        (["--dask", "--scheduler", "tcp://127.0.0.1:1", "-o", "out"], "choose one"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], message: str, archive: Path) -> None:
    if "-" not in args:
        args = [*args, str(archive)]
    result = xformat("--to", "native", *args)
    assert result.exit_code == 2 and message in result.stderr and len(result.stderr.splitlines()) == 1


def test_existing_parts_are_never_mixed_with_new_ones(archive: Path) -> None:
    out = archive.parent / "out"
    out.mkdir()
    (out / "part-00007.ndjson").write_bytes(b"")
    result = xformat("--to", "native", str(archive), "-o", str(out), "--dask")
    assert result.exit_code == 2 and "already holds parts (part-00007.ndjson" in result.stderr


def test_parts_of_blocks_reject_with_the_lines_of_the_file(tmp_path: Path, client: Any) -> None:
    """Each worker reads its block itself and counts the block's lines as it reads; this process
    numbers each block's rejects from the lines of the blocks before it."""
    limit = 2**20
    lines = _feed(bad_utf8=True).split(b"\n")
    too_long = b'{"text": "' + b"x" * limit + b'"}'  # longer than the limit and than the reader's buffer
    # Before the other rejects, whose line numbers count it, and followed by a post: a block may start there.
    at = next(i for i in range(20, len(lines)) if lines[i].startswith(b'{"created_at"'))
    lines[at:at] = [too_long]
    data = b"\n".join(lines)
    feed = tmp_path / "feed.ndjson"
    feed.write_bytes(data)
    output, rejects, summary = single_process([str(feed)], tmp_path / "single.ndjson", max_record_bytes=limit)
    pieces = plan([str(feed)], BLOCK)
    assert len(pieces) > 20
    assert any(data[piece.start : piece.end].endswith(too_long + b"\n") for piece in pieces)  # a block ends with it
    kept = Rejects(str(tmp_path / "rejects.ndjson"), None)
    try:
        done = write_parts(
            client, pieces, Settings("activity"), part_names(str(tmp_path / "parts")), kept, max_record_bytes=limit
        )
    finally:
        kept.close()
    parts = sorted((tmp_path / "parts").iterdir())
    assert len(parts) == len(pieces) and b"".join(part.read_bytes() for part in parts) == output
    assert _parsed((tmp_path / "rejects.ndjson").read_bytes()) == rejects
    assert counts(done) == counts(summary) and summary.rejected == 8
    assert [r["line"] for r in rejects if r["reason"].startswith("record longer")] == [at + 1]


def test_convert_dask_starts_a_local_cluster_of_processes(tmp_path: Path) -> None:
    source = tmp_path / "feed.ndjson"
    source.write_bytes(_feed(bad_utf8=True))
    assert xformat("--to", "activity", str(source), "-o", str(tmp_path / "one.ndjson"), "-q").exit_code == 1
    out = tmp_path / "parts/part-{}.ndjson.gz"
    result = xformat("--to", "activity", str(source), "-o", str(out), "--dask", "--jobs", "2", "-q")
    assert result.exit_code == 1, result.output
    assert _parts(tmp_path / "parts") == (tmp_path / "one.ndjson").read_bytes()


def test_local_workers_are_forked_with_the_conversion_already_imported() -> None:
    # In a fresh process: the fork server is one per process, and this one may have started its own.
    code = (
        "import sys\n"
        "from xformat.cli.dask_run import start_fork_server\n"
        "def main():\n"
        "    start_fork_server()\n"
        "    from xformat.dask.parts import connect\n"
        "    with connect(None, 2) as client:\n"
        "        loaded = client.run(lambda: [m in sys.modules for m in ('xformat.pipeline', 'xformat.cli')])\n"
        "        numpy = client.run(lambda: sys.modules.get('numpy', 'absent') is None)\n"
        "    print(sorted(loaded.values()), sorted(numpy.values()))\n"
        "if __name__ == '__main__':\n"
        "    main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    # NumPy is kept out of them (xformat.dask.numpy_free): marked absent, never imported.
    assert done.stdout == "[[True, True], [True, True]] [True, True]\n", done.stderr[-2000:]


def test_xformat_works_without_dask_and_says_how_to_get_it() -> None:
    code = (
        "import sys; sys.modules['dask'] = None\n"
        "import xformat, xformat.cli, xformat.cli.convert_cmd\n"
        "try:\n"
        "    import xformat.dask\n"
        "except ImportError as exc:\n"
        "    print(type(exc).__name__, exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "DaskMissing dask is not installed: pip install 'xformat[dask]'"
