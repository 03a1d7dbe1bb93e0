"""Benchmark xformat against its peers, side by side in one run, on the same files.

    python -m bench.bench_peers [--records 10000] [--repeat 3] [--slow 1000] [--small 200]   # from the repo root
                                [--tasks validate,read] [--inputs "EN,AS sorted"]

Needs the ``bench`` extra (``pip install -e '.[bench]'``: jsonschema-rs, orjson, tweet_parser,
check-jsonschema); a peer that is not installed is left out, and said so.

Generates (seeded, synthetic, in a temporary directory) ``bench.bench_convert``'s archives of
``--records`` records in each key order (``bench_convert.LAYOUTS``): Enriched Native in the
feed order, with its telling members last, and sorted; Activity Streams in xformat's own order,
with its telling members last, sorted, and as real feeds order it (``feed-2015``, ``feed-2020``). When
``../shared/realdata`` is beside the repository, its real files are an extra row of each
format: as many passes over them as make about ``--records`` records, written one after the
other to a file in the temporary directory (every contender reads the same bytes).

Then, on every file, in the same run (best of ``--repeat``, the runs taken in turns):

- validate: xformat's library (``validate_pieces``, what ``xformat validate`` runs) against jsonschema-rs
  (``orjson.loads`` + ``is_valid``) and, on the first ``--slow`` records, Python's jsonschema
  (``json.loads`` + ``is_valid`` of a ``Draft202012Validator``), each given xformat's published
  schemas of the current era made self-contained (their ``$ref``s between files inlined), the
  schema picked per record as a schema-only pipeline would; an invalid record gets its errors
  listed (``iter_errors``), since xformat explains each invalid record;
- validate (CLI): ``xformat validate FILE`` as a whole command in a fresh process (interpreter
  start-up included; xformat's modules compiled to bytecode first, as installed), with one
  process and with ``--jobs 2``, against jsonschema-rs as a command too: a fresh ``python``
  process running ``JSONSCHEMA_RS_COMMAND`` (below: what a user choosing jsonschema-rs for CI
  would write) on the same file, timed the same way (the whole process, in the same turns).
  That script imports orjson and jsonschema_rs, reads the self-contained schemas from the files
  the benchmark wrote to its temporary directory (one ``<name>.json`` each, the documents the
  library contender is given), compiles the validator of a schema once, when a record first
  needs it (``validator_for``), then for each non-blank line of each file: ``orjson.loads``,
  the schema picked as the library contender picks it, ``is_valid``; only an invalid record's
  errors are listed (``iter_errors``), one line each on stdout (file, line, JSON path,
  message), as is a line that is not JSON; it exits 1 when a record was invalid, else 0. On the
  first ``--small`` records, the command is also set against ``check-jsonschema`` (a fresh
  process per schema; it takes one JSON document a file, so each record is a file);
- read: ``xformat.read(line)`` and a fixed set of accessors against tweet_parser
  (``json.loads`` + ``Tweet(d)`` and its getters for the same things). Also on X API v2: the
  ``feed`` archive's posts as v2 stream lines (and, with the real files, the real
  twarc2-flattened posts), which tweet_parser does not read: it reads the same posts in
  Enriched Native instead (the generated posts as generated, the real ones as xformat converts
  them), so the ratio compares reading the same posts, each tool in a format it reads;
- convert (context): ``Converter.convert_raw`` to the other format against bare msgspec
  decode + encode and stdlib ``json.loads`` + ``json.dumps`` of the same lines.

Records per second count every non-blank line handled (deletions, info lines and records a
tool rejects included). It prints one table: records/s of xformat and of the peer, and their
ratio (above 1: xformat is faster). No result is asserted: this measures.
"""

from __future__ import annotations

import argparse
import compileall
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, NamedTuple

import msgspec

import xformat
from bench.bench_convert import AS_ORDERS, LAYOUTS, write_archives
from bench.bench_validate import _schema_for as schema_for
from xformat.convert import Converter
from xformat.errors import RecordError
from xformat.records import Reader
from xformat.registry import default_registry
from xformat.validate import Summary, validate_pieces

_ROOT = Path(__file__).resolve().parent.parent
REALDATA = _ROOT.parent / "shared" / "realdata"
_REAL = {
    "native": ["native/*.jsonl"],
    "activity": ["activity-streams/*.jsonl", "raw-files/*.json"],
}
_REAL_V2 = "v2/twarc2_flattened.jsonl"
"""Real X API v2 posts that ``xformat.read`` reads one a line (pages hold up to 100)."""
SCHEMAS = ("native-post", "native-delete", "activity", "activity-delete", "feed-info")


class Input(NamedTuple):
    name: str
    """Format and layout (``EN feed``, ``AS feed-2015``…), and which part of it."""
    fmt: str
    paths: list[str]
    """Files read one after the other (the same file may come back: passes over real files)."""
    records: int
    """Non-blank lines over all of ``paths``."""
    same_posts_in_en: list[str] | None = None
    """For a format tweet_parser does not read (X API v2): the same posts in Enriched Native, which it reads instead."""


class Result(NamedTuple):
    handled: int
    """Non-blank lines handled."""
    note: str
    """What came of them: ``valid 9,800/10,001``, ``exit 1``…"""


Run = Callable[[Input], Result]


def lines_of(paths: list[str]) -> Iterator[bytes]:
    for path in paths:
        with open(path, "rb") as file:
            for line in file:
                if line.strip():
                    yield line


# --- validation -------------------------------------------------------------------------------


def self_contained(name: str) -> dict[str, Any]:
    """The published schema ``name`` (current era) with the definitions it refers to in other
    files copied in (``$defs`` named ``<file>.<Definition>``) and every ``$ref`` made local."""
    registry = default_registry()
    prefix = registry.get(name)["$id"].rsplit(":", 1)[0] + ":"  # urn:xformat:schema:<era>:
    defs: dict[str, Any] = {}
    pending, seen = [name], {name}
    while pending:
        doc_name = pending.pop()
        doc = registry.get(doc_name)

        def local(node: Any, doc_name: str = doc_name) -> Any:
            if isinstance(node, list):
                return [local(item) for item in node]
            if not isinstance(node, dict):
                return node
            out = {key: local(value) for key, value in node.items()}
            ref = out.get("$ref")
            if isinstance(ref, str):
                target, _, pointer = ref.partition("#")
                target_name = target.removeprefix(prefix) if target else doc_name
                if target_name not in seen:
                    seen.add(target_name)
                    pending.append(target_name)
                where = pointer.removeprefix("/$defs/") if pointer.startswith("/$defs/") else None
                out["$ref"] = f"#/$defs/{target_name}" + (f".{where}" if where else "")
            return out

        body = {key: value for key, value in doc.items() if key not in ("$schema", "$id", "$defs")}
        defs[doc_name] = local(body)
        for def_name, definition in doc.get("$defs", {}).items():
            defs[f"{doc_name}.{def_name}"] = local(definition)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": f"#/$defs/{name}", "$defs": defs}


def validate_xformat(data: Input) -> Result:
    summary = Summary()
    for _ in validate_pieces(Reader(data.paths).pieces(), summary):
        pass  # each invalid record's result, explained
    handled = summary.records - summary.keep_alives
    return Result(handled, f"valid {summary.valid}/{handled}")


def validating(loads: Callable[[bytes], Any], validators: dict[str, Any]) -> Run:
    """A run that parses each line with ``loads`` and checks it with its schema's validator;
    an invalid record gets its errors listed, as ``xformat validate`` explains each one."""

    def run(data: Input) -> Result:
        handled = valid = 0
        for line in lines_of(data.paths):
            handled += 1
            try:
                record = loads(line)
            except ValueError:
                continue
            validator = validators[schema_for(record)]
            if validator.is_valid(record):
                valid += 1
            else:
                list(validator.iter_errors(record))
        return Result(handled, f"valid {valid}/{handled}")

    return run


def command(cmd: list[str]) -> int:
    """Runs ``cmd`` in a fresh process (timed by the caller, interpreter start-up included);
    returns its exit code, 0 or 1 (some records invalid)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[0]} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return done.returncode


def validate_cli(*options: str) -> Run:
    # The console script, as users run it (``python -m xformat`` adds runpy's start-up), its
    # modules compiled to bytecode as an installation leaves them (pip compiles them), not at
    # every run as where PYTHONDONTWRITEBYTECODE is set and no bytecode was written yet.
    compileall.compile_dir(_ROOT / "xformat", quiet=1)
    script = Path(sys.executable).with_name("xformat")
    program = [str(script)] if script.exists() else [sys.executable, "-m", "xformat"]

    def run(data: Input) -> Result:
        code = command([*program, "validate", *options, *data.paths])
        return Result(data.records, f"exit {code}")

    return run


JSONSCHEMA_RS_COMMAND = """\
import sys
from pathlib import Path

import jsonschema_rs
import orjson


def schema_for(record):
    if not isinstance(record, dict):
        return "native-post"  # which rejects whatever is not an object
    if "info" in record:
        return "feed-info"
    if "verb" in record:
        return "activity-delete" if record["verb"] == "delete" else "activity"
    return "native-delete" if "delete" in record else "native-post"


def main():
    schemas, *paths = sys.argv[1:]
    validators = {}
    invalid = 0
    write = sys.stdout.write
    for path in paths:
        with open(path, "rb") as file:
            for number, line in enumerate(file, 1):
                if not line.strip():
                    continue
                try:
                    record = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    invalid += 1
                    write(f"{path}:{number}: not JSON: {exc}\\n")
                    continue
                name = schema_for(record)
                validator = validators.get(name)
                if validator is None:
                    schema = orjson.loads(Path(schemas, name + ".json").read_bytes())
                    validator = validators[name] = jsonschema_rs.validator_for(schema)
                if not validator.is_valid(record):
                    invalid += 1
                    for error in validator.iter_errors(record):
                        where = "/".join(map(str, error.instance_path))
                        write(f"{path}:{number}: /{where}: {error.message}\\n")
    return 1 if invalid else 0


sys.exit(main())
"""
"""The jsonschema-rs command: ``python SCRIPT SCHEMA_DIRECTORY FILE...``, as a user would write it."""


def jsonschema_rs_command(script: Path, schemas: Path) -> Run:
    def run(data: Input) -> Result:
        code = command([sys.executable, str(script), str(schemas), *data.paths])
        return Result(data.records, f"exit {code}")

    return run


def check_jsonschema(tool: str, schemas: Path, documents: dict[str, dict[str, list[str]]]) -> Run:
    """A run of check-jsonschema over ``documents[input name]``: files of one record each, by the
    schema they need (it takes one JSON document a file, and one schema a command)."""

    def run(data: Input) -> Result:
        groups = documents[data.name]
        codes = [
            command([tool, "--schemafile", str(schemas / f"{name}.json"), *files]) for name, files in groups.items()
        ]
        return Result(sum(len(files) for files in groups.values()), f"exit {max(codes)}")

    return run


def one_per_file(data: Input, directory: Path) -> dict[str, list[str]]:
    """Each record of ``data`` as a JSON file of its own, grouped by the schema it needs."""
    groups: dict[str, list[str]] = {}
    directory.mkdir()
    for i, line in enumerate(lines_of(data.paths)):
        path = directory / f"{i:05d}.json"
        path.write_bytes(line)
        groups.setdefault(schema_for(json.loads(line)), []).append(str(path))
    return groups


# --- reading with accessors -------------------------------------------------------------------


ACCESSORS = (
    ("full_text", "text"),
    ("post_type", "tweet_type"),
    ("hashtags", "hashtags"),
    ("mentions", "user_mentions"),
    ("most_unwound_urls", "most_unrolled_urls"),
    ("screen_name", "screen_name"),
    ("created_at_datetime", "created_at_datetime"),
    ("author_id", "user_id"),
    ("follower_count", "follower_count"),
    ("generator", "generator"),
    ("media_urls", "media_urls"),
    ("language", "lang"),
)
"""The same questions, as xformat's ``Post`` and tweet_parser's ``Tweet`` name them."""


def _ask(post: object, names: tuple[str, ...]) -> bool:
    """Every accessor of ``post`` asked; whether all answered (tweet_parser's getters raise
    ``KeyError`` and the like on records that lack what they look for)."""
    answered = True
    for name in names:
        try:
            getattr(post, name)
        except Exception:
            answered = False
    return answered


def read_xformat(data: Input) -> Result:
    names = tuple(ours for ours, _ in ACCESSORS)
    handled = posts = 0
    for line in lines_of(data.paths):
        handled += 1
        try:
            post = xformat.read(line)
        except RecordError:
            continue
        posts += _ask(post, names)
    return Result(handled, f"posts read {posts}/{handled}")


def read_tweet_parser(data: Input) -> Result:
    from tweet_parser.tweet import Tweet
    from tweet_parser.tweet_parser_errors import NotATweetError

    names = tuple(theirs for _, theirs in ACCESSORS)
    handled = posts = 0
    for line in lines_of(data.same_posts_in_en or data.paths):
        handled += 1
        try:
            tweet = Tweet(json.loads(line))
        except NotATweetError:
            continue
        posts += _ask(tweet, names)
    return Result(handled, f"posts read {posts}/{handled}")


# --- conversion (context) ---------------------------------------------------------------------


def convert_xformat(data: Input) -> Result:
    converter = Converter("activity" if data.fmt == "native" else "native")
    handled = converted = 0
    for line in lines_of(data.paths):
        handled += 1
        try:
            converter.convert_raw(line)
        except RecordError:
            continue
        converted += 1
    return Result(handled, f"converted {converted}/{handled}")


def roundtrip(work: Callable[[bytes], object]) -> Run:
    def run(data: Input) -> Result:
        handled = 0
        for line in lines_of(data.paths):
            handled += 1
            work(line)
        return Result(handled, f"{handled}/{handled}")

    return run


def _msgspec(line: bytes) -> bytes:
    return msgspec.json.encode(msgspec.json.decode(line))


def _stdlib(line: bytes) -> bytes:
    return json.dumps(json.loads(line), ensure_ascii=False).encode()


# --- the run ----------------------------------------------------------------------------------


def _installed(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def inputs(directory: Path, records: int, seed: int) -> list[Input]:
    """The generated files in every layout, then the real files when they are there."""
    out: list[Input] = []
    for layout in LAYOUTS:
        where = directory / layout
        where.mkdir()
        native, activity = write_archives(where, records, seed, layout)
        if layout not in AS_ORDERS:  # Activity Streams feeds' orders leave Enriched Native records as they are
            out.append(_input(f"EN {layout}", "native", [str(native)]))
        out.append(_input(f"AS {layout}", "activity", [str(activity)]))
        if layout == "feed":
            out.append(v2_input(native, where, "v2 feed (stream lines)"))
    if REALDATA.is_dir():
        for fmt, patterns in _REAL.items():
            files = sorted(str(path) for pattern in patterns for path in REALDATA.glob(pattern))
            count = sum(1 for _ in lines_of(files))
            passes = max(1, math.ceil(records / count))
            label = f"{'EN' if fmt == 'native' else 'AS'} real files ({count} records × {passes})"
            # The passes as one temporary file: ``xformat validate`` reads a file named twice once.
            passes_file = directory / f"real-{fmt}.ndjson"
            with passes_file.open("wb") as out_file:
                for _ in range(passes):
                    out_file.writelines(line.rstrip(b"\r\n") + b"\n" for line in lines_of(files))
            out.append(_input(label, fmt, [str(passes_file)]))
        flattened = sorted(REALDATA.glob(_REAL_V2))
        if flattened:
            count = sum(1 for _ in lines_of([str(path) for path in flattened]))
            passes = max(1, math.ceil(records / count))
            source = directory / "real-v2-flattened.ndjson"
            with source.open("wb") as out_file:
                for _ in range(passes):
                    out_file.writelines(line.rstrip(b"\r\n") + b"\n" for line in lines_of(map(str, flattened)))
            out.append(v2_input(source, directory, f"v2 real flattened posts ({count} × {passes})"))
    return sorted(out, key=lambda data: ("native", "activity", "v2").index(data.fmt))


def v2_input(source: Path, directory: Path, name: str) -> Input:
    """The posts of ``source`` (a file of any format) as X API v2 records, with the same posts in
    Enriched Native for tweet_parser: a native or Activity Streams file's posts become v2 stream
    lines (deletions, which have no v2 form, left out), a v2 file stays as it is; each post is
    converted to native by xformat unless it is native already."""
    v2, native = directory / f"{source.stem}.v2.ndjson", directory / f"{source.stem}.v2-as-en.ndjson"
    to_v2, to_native = Converter("v2"), Converter("native")
    with v2.open("wb") as v2_file, native.open("wb") as native_file:
        for line in lines_of([str(source)]):
            line = line.rstrip(b"\r\n")
            as_v2 = to_v2.convert_raw(line).output
            if as_v2 is None:
                continue  # a deletion or a system message: no post
            as_native = to_native.convert_raw(line).output
            assert as_native is not None
            v2_file.write(as_v2 + b"\n")
            native_file.write(as_native + b"\n")
    return Input(name, "v2", [str(v2)], sum(1 for _ in lines_of([str(v2)])), [str(native)])


def _input(name: str, fmt: str, paths: list[str]) -> Input:
    return Input(name, fmt, paths, sum(1 for _ in lines_of(paths)))


def head(data: Input, count: int, directory: Path) -> Input:
    """The first ``count`` records of ``data``, as one NDJSON file in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"first-{count}.ndjson"
    if not path.exists():
        with path.open("wb") as out:
            for _, line in zip(range(count), lines_of(data.paths), strict=False):
                out.write(line)
    return _input(f"{data.name}, first {count}", data.fmt, [str(path)])


class Row(NamedTuple):
    task: str
    data: Input
    ours: str
    peer: str


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000, help="records per generated file (default 10000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best counts")
    parser.add_argument("--slow", type=int, default=1000, help="records for Python's jsonschema (default 1000)")
    parser.add_argument("--small", type=int, default=200, help="records for the commands (default 200)")
    parser.add_argument("--tasks", help="only the tasks that start with one of these (comma-separated: validate,read)")
    parser.add_argument("--inputs", help="only the inputs whose name holds one of these (comma-separated: EN,sorted)")
    args = parser.parse_args()

    peers = ("msgspec", "jsonschema", "jsonschema-rs", "orjson", "tweet_parser", "check-jsonschema")
    found = {name: _installed(name) for name in peers}
    print(
        f"python {sys.version.split()[0]}, xformat {xformat.__version__}, "
        + ", ".join(f"{name} {found[name] or '(not installed)'}" for name in peers)
    )
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; best of {args.repeat}")
    if not REALDATA.is_dir():
        print(f"{REALDATA} not found: no rows of real files")

    from jsonschema import Draft202012Validator

    schemas = {name: self_contained(name) for name in SCHEMAS}
    runs: dict[str, Run] = {
        "xformat validate_records": validate_xformat,
        "xformat validate (CLI)": validate_cli(),
        "xformat validate --jobs 2 (CLI)": validate_cli("--jobs", "2"),
        "jsonschema (json.loads)": validating(
            json.loads, {name: Draft202012Validator(schema) for name, schema in schemas.items()}
        ),
        "xformat.read + accessors": read_xformat,
        "xformat Converter": convert_xformat,
        "msgspec decode+encode": roundtrip(_msgspec),
        "json loads+dumps": roundtrip(_stdlib),
    }
    if found["jsonschema-rs"] and found["orjson"]:
        import jsonschema_rs
        import orjson

        validators = {name: jsonschema_rs.validator_for(schema) for name, schema in schemas.items()}
        runs["jsonschema-rs (orjson)"] = validating(orjson.loads, validators)
    if found["tweet_parser"]:
        runs["tweet_parser Tweet + getters"] = read_tweet_parser
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).with_name("check-jsonschema"))
    documents: dict[str, dict[str, list[str]]] = {}

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for name, schema in schemas.items():
            (directory / f"{name}.json").write_text(json.dumps(schema))
        if found["check-jsonschema"] and Path(tool).exists():
            runs["check-jsonschema (CLI)"] = check_jsonschema(tool, directory, documents)
        if found["jsonschema-rs"] and found["orjson"]:
            script = directory / "jsonschema_rs_validate.py"
            script.write_text(JSONSCHEMA_RS_COMMAND)
            runs["jsonschema-rs (CLI)"] = jsonschema_rs_command(script, directory)
        start = time.perf_counter()
        data = inputs(directory, args.records, args.seed)
        print(f"generated {len(data)} inputs of about {args.records:,} records in {time.perf_counter() - start:.1f} s")

        rows: list[Row] = []
        for i, d in enumerate(data):
            if d.fmt == "v2":  # read only: the peers of the other tasks read the Enterprise formats alone
                rows.append(Row("read", d, "xformat.read + accessors", "tweet_parser Tweet + getters"))
                continue
            slow, small = head(d, args.slow, directory / f"head-{i}"), head(d, args.small, directory / f"head-{i}")
            documents[small.name] = one_per_file(small, directory / f"documents-{i}")
            rows += [
                Row("validate", d, "xformat validate_records", "jsonschema-rs (orjson)"),
                Row("validate", slow, "xformat validate_records", "jsonschema (json.loads)"),
                Row("validate, whole command", d, "xformat validate (CLI)", "jsonschema-rs (CLI)"),
                Row("validate, whole command", d, "xformat validate --jobs 2 (CLI)", "jsonschema-rs (CLI)"),
                Row("validate, whole command", small, "xformat validate (CLI)", "check-jsonschema (CLI)"),
                Row("read", d, "xformat.read + accessors", "tweet_parser Tweet + getters"),
                Row("convert (context)", d, "xformat Converter", "msgspec decode+encode"),
                Row("convert (context)", d, "xformat Converter", "json loads+dumps"),
            ]
        if args.tasks:
            rows = [row for row in rows if row.task.startswith(tuple(args.tasks.split(",")))]
        if args.inputs:
            rows = [row for row in rows if any(part in row.data.name for part in args.inputs.split(","))]
        missing = sorted({row.peer for row in rows} - set(runs))
        if missing:
            print(f"not installed, left out: {', '.join(missing)}")
        rows = [row for row in rows if row.peer in runs]

        best: dict[tuple[str, str], tuple[float, Result]] = {}
        by_name = {row.data.name: row.data for row in rows}
        wanted = list(dict.fromkeys((name, row.data.name) for row in rows for name in (row.ours, row.peer)))
        for _ in range(args.repeat):  # in turns: a busy moment of the machine falls on every contender
            for name, input_name in wanted:
                d = by_name[input_name]
                start = time.perf_counter()
                try:
                    result = runs[name](d)
                except RuntimeError as exc:
                    print(f"  {name} on {d.name}: {exc}")
                    continue
                seconds = time.perf_counter() - start
                if (name, d.name) not in best or seconds < best[name, d.name][0]:
                    best[name, d.name] = (seconds, result)

    def rate(name: str, d: Input) -> float:
        seconds, result = best.get((name, d.name), (math.nan, Result(0, "")))
        return result.handled / seconds

    print()
    print("| task | input | xformat | records/s | peer | records/s | xformat / peer |")
    print("|---|---|---|---:|---|---:|---:|")
    for row in rows:
        ours, theirs = rate(row.ours, row.data), rate(row.peer, row.data)
        print(
            f"| {row.task} | {row.data.name} | {row.ours} | {ours:,.0f} | {row.peer} | {theirs:,.0f} "
            f"| {ours / theirs:.2f}x |"
        )
    print("\nWhat each contender made of each input (the same records are asked of each):")
    for input_name in by_name:
        notes = [f"{name} {best[name, n][1].note}" for name, n in wanted if n == input_name and (name, n) in best]
        print(f"  {input_name}: " + "; ".join(notes))


if __name__ == "__main__":
    main()
