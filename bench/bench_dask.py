"""Benchmark conversion on Dask against the single-machine pipeline, on the same file.

    python -m bench.bench_dask [--posts 100000] [--seed 7] [--repeat 1]   # from the repo root

Generates the Enriched Native archive of ``bench.bench_convert`` (seeded, synthetic), then
measures converting it to Activity Streams, best of ``--repeat``:

- ``xformat convert --jobs 1`` and ``--jobs 2`` (the local process pool), in a fresh process;
- ``xformat convert --dask --jobs 2`` (a local Dask cluster of 2 worker processes, started and
  stopped by the command; 12 parts of 27.5 MiB for 100,000 records), in a fresh process;
- the same conversion on a cluster of 2 worker processes that is already running, started as
  the command starts its own (``xformat.dask.parts.connect`` and ``write_parts``): Dask's cost
  without the cluster's start-up; and the peak RSS of its largest worker.

and prints the overhead ratios against ``--jobs 2``, and the CPU seconds each run took (all its
processes: a guide when the machine is busy, since wall time then depends on the neighbours).
It checks that the parts concatenated are byte for byte the single-machine output.
"""

from __future__ import annotations

import argparse
import ctypes
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

import psutil

from bench.bench_convert import cpu_parallelism, write_archives
from xformat.dask.lines import plan
from xformat.dask.parts import connect, part_bytes, part_names, write_parts
from xformat.pipeline import Settings
from xformat.records import DEFAULT_MAX_RECORD_BYTES
from xformat.rejects import Rejects

# ``xformat convert`` (``--dask`` is one of its options), timed in a fresh process: prints the
# seconds it took.
_CONVERT = (
    "import sys, time\n"
    "from xformat.cli.convert_cmd import convert\n"
    "start = time.perf_counter()\n"
    "try:\n"
    "    convert(sys.argv[1:], prog_name='xformat convert')\n"
    "except SystemExit as done:\n"
    "    if done.code:\n"
    "        raise\n"
    "print(time.perf_counter() - start)\n"
)
_PR_SET_CHILD_SUBREAPER = 36  # from <linux/prctl.h>
_ROOT = Path(__file__).resolve().parent.parent


class Timing(NamedTuple):
    seconds: float
    cpu: float
    """CPU seconds of every process of the run (user and system)."""


def run_cli(args: list[str]) -> Timing:
    """Timing of ``xformat convert --quiet ARGS`` in a fresh process (its seconds: interpreter
    start-up aside; its CPU seconds: every process it started, interpreter start-up included)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))}
    cmd = [sys.executable, "-c", _CONVERT, "--quiet", *args]
    children = {child.pid for child in psutil.Process().children()}
    before = _children_cpu()
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env)
    # A local cluster's fork server (and the workers it forked) outlive the command for a moment:
    # adopted here (adopt_orphans), and waited for, their CPU time counts.
    for child in psutil.Process().children():
        if child.pid not in children:
            os.waitpid(child.pid, 0)
    if done.returncode != 0:
        sys.exit(f"xformat convert failed ({done.returncode}): {done.stderr.strip()}")
    return Timing(float(done.stdout.strip().splitlines()[-1]), _children_cpu() - before)


def adopt_orphans() -> None:
    """Makes this process the parent of the processes a command leaves behind (Linux): a Dask
    worker is forked by a fork server that is not the command's child, and whose CPU time a
    command's own count would miss."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def digest(paths: list[Path]) -> str:
    """Hash of the files' bytes end to end."""
    h = hashlib.sha256()
    for path in paths:
        with path.open("rb") as file:
            while chunk := file.read(2**20):
                h.update(chunk)
    return h.hexdigest()


def parts_of(directory: Path) -> list[Path]:
    return sorted(directory.glob("part-*.ndjson"))


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    return time.process_time()


def on_running_cluster(source: Path, out: Path) -> tuple[Timing, float]:
    """Timing of converting ``source`` into parts on a cluster of 2 worker processes started
    beforehand as ``--dask --jobs 2`` starts its own, and the peak RSS of its largest worker (MiB)."""
    with connect(None, 2) as client:
        client.run(lambda: __import__("xformat.dask.parts"))  # imports are start-up, not conversion
        before = sum(client.run(_cpu).values()) + time.process_time()
        start = time.perf_counter()
        write_parts(
            client,
            plan([str(source)], part_bytes(source.stat().st_size, 2)),
            Settings("activity"),
            part_names(str(out)),
            Rejects(None, None),
            max_record_bytes=DEFAULT_MAX_RECORD_BYTES,
        )
        seconds = time.perf_counter() - start
        cpu = sum(client.run(_cpu).values()) + time.process_time() - before
        return Timing(seconds, cpu), max(client.run(_peak_rss_mib).values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=100_000, help="records to generate (default 100000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement; the best counts")
    args = parser.parse_args()
    adopt_orphans()
    versions = ", ".join(f"{name} {version(name)}" for name in ("dask", "distributed", "msgspec"))
    print(f"python {sys.version.split()[0]}, {versions}")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; cpu parallelism {cpu_parallelism():.2f}x")
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        native, _ = write_archives(directory, args.posts, args.seed)
        print(f"{native.name}: {args.posts:,} records, {native.stat().st_size / 2**20:.1f} MiB")
        single, parts = directory / "single.ndjson", directory / "parts"

        def best(run: Callable[[], Timing]) -> Timing:
            timings = []
            for _ in range(args.repeat):
                shutil.rmtree(parts, ignore_errors=True)
                timings.append(run())
            return min(timings)

        timings = {
            "jobs1": best(lambda: run_cli(["--to", "activity", "--jobs", "1", str(native), "-o", str(single)])),
            "jobs2": best(lambda: run_cli(["--to", "activity", "--jobs", "2", str(native), "-o", str(single)])),
            "dask": best(lambda: run_cli(["--to", "activity", "--dask", "--jobs", "2", str(native), "-o", str(parts)])),
        }
        same = digest(parts_of(parts)) == digest([single])
        peaks: list[float] = []

        def running() -> Timing:
            timing, peak = on_running_cluster(native, parts)
            peaks.append(peak)
            return timing

        timings["running"] = best(running)
        same = same and digest(parts_of(parts)) == digest([single])
    names = {
        "jobs1": "--jobs 1 (one process)",
        "jobs2": "--jobs 2 (local process pool)",
        "dask": "--dask --jobs 2 (cluster started by the command)",
        "running": "2 Dask workers already running",
    }
    for key, name in names.items():
        seconds, cpu = timings[key]
        print(f"  {name:50} {seconds:6.2f} s  {args.posts / seconds:>8,.0f} records/s  {cpu:6.2f} s of CPU")
    print(f"  peak RSS of a Dask worker: {max(peaks):.0f} MiB")
    print(f"  parts concatenated == single-machine output: {same}")
    print(f"  overhead, --dask --jobs 2 / --jobs 2:         {timings['dask'].seconds / timings['jobs2'].seconds:.2f}x")
    print(
        f"  overhead, running cluster / --jobs 2:         {timings['running'].seconds / timings['jobs2'].seconds:.2f}x"
    )
    print(json.dumps({k: [round(v, 3) for v in timing] for k, timing in timings.items()}))
    if not same:
        sys.exit("the Dask output differs from the single-machine output")


if __name__ == "__main__":
    main()
