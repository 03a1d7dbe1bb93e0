"""Benchmark ``xformat export`` against ``xformat convert`` on the same input, in the same run.

    python -m bench.bench_export [--posts 100000] [--seed 7] [--repeat 1] [--jobs]   # from the repo root

Generates the archives ``bench.bench_convert`` does (seeded, synthetic, in a temporary
directory: a mixed Enriched Native archive and its Activity Streams conversion). For each, in
one process and each command in a fresh subprocess with its peak RSS: ``xformat convert`` to
the other format (the baseline), ``xformat export`` to Parquet and to CSV; prints the ratios
(export's throughput over convert's: the target for Parquet is >= 0.5x). ``--jobs`` adds the
Parquet export with ``--jobs 2``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import msgspec

from bench.bench_convert import _MEASURE, _ROOT, cpu_parallelism, write_archives


def _run(command: str, args: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of ``xformat COMMAND --quiet ARGS`` in a fresh process."""
    cmd = [sys.executable, "-c", _MEASURE, sys.executable, "-m", "xformat", command, "--quiet", *args]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.exit(f"xformat {command} failed ({done.returncode}): {done.stderr.strip()}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return float(result["seconds"]), result["rss_kib"] / 1024


def bench(source: Path, target: str, records: int, repeat: int, jobs: bool) -> None:
    runs: dict[str, tuple[float, float]] = {}

    def best(name: str, command: str, args: list[str]) -> None:
        results = [_run(command, args) for _ in range(repeat)]
        runs[name] = (min(s for s, _ in results), max(m for _, m in results))

    out = source.with_name("out")
    best("convert", "convert", ["--to", target, str(source), "-o", f"{out}.ndjson"])
    best("parquet", "export", [str(source), "-o", f"{out}.parquet"])
    best("csv", "export", [str(source), "-o", f"{out}.csv"])
    if jobs:
        best("parquet --jobs 2", "export", [str(source), "-o", f"{out}.parquet", "--jobs", "2"])
    for suffix in (".ndjson", ".parquet", ".csv"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    print(f"\n{source.name}: {records:,} records, {source.stat().st_size / 2**20:.1f} MiB")
    base = runs["convert"][0]
    for name, (seconds, rss) in runs.items():
        label = f"convert --to {target}" if name == "convert" else f"export {name}"
        ratio = "" if name == "convert" else f"  {base / seconds:.2f}x convert's throughput"
        print(f"  {label:28} {seconds:7.2f} s  {records / seconds:>9,.0f} records/s  peak RSS {rss:4.0f} MiB{ratio}")
    print(f"  export to Parquet, 1 process: {base / runs['parquet'][0]:.2f}x convert (target >= 0.5x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=100_000, help="records to generate (default 100000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement; the best counts")
    parser.add_argument("--jobs", action="store_true", help="also export with --jobs 2")
    args = parser.parse_args()
    import pyarrow

    print(f"python {sys.version.split()[0]}, msgspec {msgspec.__version__}, pyarrow {pyarrow.__version__}")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}", end="")
    print(f"; cpu parallelism (2 processes vs 1): {cpu_parallelism():.2f}x" if args.jobs else "")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        native, activity = write_archives(Path(tmp), args.posts, args.seed)
        print(f"generated {args.posts:,} records per format in {time.perf_counter() - start:.1f} s")
        bench(native, "activity", args.posts, args.repeat, args.jobs)
        bench(activity, "native", args.posts, args.repeat, args.jobs)


if __name__ == "__main__":
    main()
