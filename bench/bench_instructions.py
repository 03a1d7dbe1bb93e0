"""Instructions a record: ``xformat convert`` against a bare msgspec round trip, counted by valgrind.

Wall-clock ratios on a shared machine drift by 20% between runs minutes apart; instruction counts
do not. For each direction this runs, under ``valgrind --tool=callgrind``, the whole command (one
process) on the first SMALL and the first LARGE records of a generated archive, and takes the
difference over LARGE - SMALL: the cost a record, without the start-up. The same is done for the
baseline (read the lines, untyped ``msgspec.json.decode`` + ``encode``, write them). The ratio
baseline / xformat is the instruction-count analogue of ``bench_convert``'s throughput ratio
(it ignores cache misses and memory stalls, so read it as a guide, not as the throughput).

    python -m bench.bench_instructions --layout feed [--directions en-as,as-en,en-v2,v2-en]
                                       [--tree ../other-checkout]

``--tree`` counts another checkout's command (an earlier commit, say) on the same generated
input, beside this one's: the instruction-count way of asking whether a change slowed it down.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.bench_convert import LAYOUTS, write_archives, write_v2

_ROOT = Path(__file__).resolve().parent.parent

# direction -> (source archive, target format)
DIRECTIONS = {
    "en-as": ("native", "activity-streams"),
    "as-en": ("activity", "native"),
    "en-v2": ("native", "v2"),
    "v2-en": ("v2", "native"),
    "v2-as": ("v2", "activity-streams"),
}

_BASELINE = """
import sys, msgspec
with open(sys.argv[1], "rb") as src, open(sys.argv[2], "wb") as dst:
    for line in src:
        if line.strip():
            dst.write(msgspec.json.encode(msgspec.json.decode(line)) + b"\\n")
"""

_TOTAL = re.compile(rb"^(?:summary|totals): (\d+)", re.MULTILINE)


def _instructions(args: list[str], work: Path, tree: Path = _ROOT) -> int:
    """Instructions executed by ``python ARGS`` with ``tree``'s xformat first on the path."""
    out = work / "callgrind.out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tree), os.environ.get("PYTHONPATH")]))}
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, *args]
    # In ``tree``: ``python -m`` puts the working directory first on the path.
    done = subprocess.run(cmd, check=False, capture_output=True, env=env, cwd=tree)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.decode(errors='replace')[-2000:]}")
    match = _TOTAL.search(out.read_bytes())
    if match is None:
        sys.exit(f"no instruction total in {out}")
    out.unlink()
    return int(match.group(1))


def _head(source: Path, records: int, dest: Path) -> int:
    """The first ``records`` non-blank lines of ``source`` into ``dest``; how many posts they hold
    (a v2 stream line holds one)."""
    taken = 0
    with source.open("rb") as src, dest.open("wb") as dst:
        for line in src:
            if taken == records:
                break
            if line.strip():
                dst.write(line)
                taken += 1
    return taken


def measure(source: Path, target: str, small: int, large: int, work: Path, trees: list[Path]) -> list[float]:
    """Instructions a record between ``small`` and ``large`` records: the baseline's, then each
    tree's command's."""
    counts: dict[str, list[int]] = {"baseline": [], **{str(tree): [] for tree in trees}}
    sizes = []
    for records in (small, large):
        part = work / f"part-{records}.ndjson"
        sizes.append(_head(source, records, part))
        out = work / "out.ndjson"
        command = ["-m", "xformat", "convert", "--quiet", "--to", target, str(part), "-o", str(out)]
        for tree in trees:
            counts[str(tree)].append(_instructions(command, work, tree))
            out.unlink()
        counts["baseline"].append(_instructions(["-c", _BASELINE, str(part), str(out)], work))
        out.unlink()
        part.unlink()
    span = sizes[1] - sizes[0]
    return [(c[1] - c[0]) / span for c in counts.values()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--layout", choices=LAYOUTS, default="feed", help="member order of the records")
    parser.add_argument("--directions", default="en-as,as-en", help=f"comma-separated, of {', '.join(DIRECTIONS)}")
    parser.add_argument("--small", type=int, default=200, help="records in the short run (default 200)")
    parser.add_argument("--large", type=int, default=2200, help="records in the long run (default 2200)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tree", type=Path, action="append", default=[], help="another checkout to count too")
    args = parser.parse_args()
    trees = [_ROOT, *(tree.resolve() for tree in args.tree)]
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed")
    chosen = [d.strip() for d in args.directions.split(",") if d.strip()]
    unknown = [d for d in chosen if d not in DIRECTIONS]
    if unknown:
        sys.exit(f"unknown direction(s): {', '.join(unknown)}; choose from {', '.join(DIRECTIONS)}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        native, activity = write_archives(work, args.large + 50, args.seed, args.layout)
        sources = {"native": native, "activity": activity}
        if any(DIRECTIONS[d][0] == "v2" for d in chosen):
            sources["v2"] = write_v2(native)[0]
        print(f"layout {args.layout}; instructions a record, records {args.small} to {args.large}")
        for number, tree in enumerate(trees):
            print(f"  xformat {number}: {tree}")
        heads = "".join(f" {f'xformat {n}':>10} {'ratio':>6}" for n in range(len(trees)))
        print(f"{'direction':10} {'msgspec':>10}{heads}")
        for name in chosen:
            source, target = DIRECTIONS[name]
            baseline, *counts = measure(sources[source], target, args.small, args.large, work, trees)
            cells = "".join(f" {count:10,.0f} {baseline / count:5.2f}x" for count in counts)
            print(f"{name:10} {baseline:10,.0f}{cells}", flush=True)


if __name__ == "__main__":
    main()
