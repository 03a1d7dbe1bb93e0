"""Benchmark ``xformat.validate`` against jsonschema alone on the same file.

    python -m bench.bench_validate [--records 100000] [--seed 7] [--layout feed|late|sorted]   # from the repo root

Generates (seeded, synthetic, in a temporary directory) one NDJSON file mixing Enriched Native
records (bench_convert's generator: originals, replies, quotes, Retweets, long posts, media,
geo, deletions) with, for about half of them, their Activity Streams conversion; keep-alives and
an info line. Then measures, in the same run, over that file:

- xformat: ``validate_records(iter_records([file]))``, the library path (typed msgspec decode
  per record; jsonschema only for invalid records, and there are none);
- jsonschema alone: each line ``json.loads``-ed and checked by a ``Draft202012Validator`` of the
  published schema for its format and kind (``is_valid``), the registry resolving ``$ref``s.

and prints records per second of each and their ratio.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import msgspec
from jsonschema import Draft202012Validator

from bench.bench_convert import LAYOUTS, Synth, relayout
from xformat.convert import Converter
from xformat.records import iter_records
from xformat.registry import default_registry
from xformat.validate import validate_records

INFO = {"info": {"message": "Replay Request Completed", "sent": "2018-10-31T00:00:00+00:00"}}


def write_feed(path: Path, count: int, seed: int, layout: str = "feed") -> int:
    """``count`` records, about half native and half activity; returns the lines written."""
    rng = random.Random(seed)
    encoder = msgspec.json.Encoder()
    to_activity = Converter("activity")
    lines = 0
    with path.open("wb") as out:
        for i, record in enumerate(Synth(seed).records(count)):
            line = encoder.encode(record)
            if rng.random() < 0.5:
                converted = to_activity.convert_raw(line, "native").output
                assert converted is not None
                line = converted
            out.write(relayout(line, layout) + b"\n")
            lines += 1
            if i % 1000 == 999:  # streams send keep-alives
                out.write(b"\n")
                lines += 1
        out.write(encoder.encode(INFO) + b"\n")
    return lines + 1


def with_xformat(path: Path) -> tuple[float, int]:
    start = time.perf_counter()
    valid = sum(result.valid for result in validate_records(iter_records([str(path)])))
    return time.perf_counter() - start, valid


def _schema_for(data: Any) -> str:
    """The schema of a record, as a jsonschema-only pipeline would pick it (cheaply)."""
    if "info" in data:
        return "feed-info"
    if "verb" in data:
        return "activity-delete" if data["verb"] == "delete" else "activity"
    return "native-delete" if "delete" in data else "native-post"


def with_jsonschema(path: Path) -> tuple[float, int]:
    registry = default_registry()
    validators = {
        name: Draft202012Validator(registry.get(name), registry=registry.registry)
        for name in ("native-post", "native-delete", "activity", "activity-delete", "feed-info")
    }
    start = time.perf_counter()
    valid = 0
    with path.open("rb") as lines:
        for line in lines:
            if line.strip():
                data = json.loads(line)
                valid += validators[_schema_for(data)].is_valid(data)
            else:
                valid += 1  # a keep-alive, counted valid as xformat counts it
    return time.perf_counter() - start, valid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--layout", choices=LAYOUTS, default="feed", help="member order of the records")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "mixed.ndjson"
        lines = write_feed(feed, args.records, args.seed, args.layout)
        size = feed.stat().st_size
        print(f"{lines:,} lines ({args.records:,} records, native and activity mixed, {args.layout} layout), "
              f"{size / 2**20:.0f} MiB")
        fast, fast_valid = with_xformat(feed)
        slow, slow_valid = with_jsonschema(feed)
    assert fast_valid == slow_valid == lines, (fast_valid, slow_valid, lines)
    print(f"xformat.validate     {fast:7.2f} s  {lines / fast:10,.0f} records/s")
    print(f"jsonschema only      {slow:7.2f} s  {lines / slow:10,.0f} records/s")
    print(f"ratio                {slow / fast:7.1f}x")


if __name__ == "__main__":
    main()
