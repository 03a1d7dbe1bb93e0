"""``xformat ids`` and ``xformat comply``: id lists for compliance jobs, and their results applied."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from xformat.cli import job_opts
from xformat.cli.common import Command, guarded, no_input_from_a_terminal
from xformat.compliance import Actions, Report, apply, collect_ids, read_results
from xformat.compliance_events import data_actions
from xformat.errors import ComplianceError
from xformat.ids import CHUNK_NUMBERS, chunk_path, chunk_pattern, limit_warnings
from xformat.output import AtomicFile, CompressedFile, Parts, open_target, refuse_overwriting, write_text
from xformat.records import STDIN, expand_inputs, iter_records, shown_name
from xformat.wording import count


@click.command("ids", cls=Command)
@click.argument("inputs", nargs=-1, metavar="[INPUT]...")
@click.option("--users", is_flag=True, help="Author ids instead of post ids.")
@click.option(
    "--embedded", is_flag=True, help="Also the ids of quoted and retweeted posts (of their authors with --users)."
)
@click.option(
    "--chunk",
    type=click.IntRange(min=1),
    metavar="N",
    help="Split into files of at most N ids: -o ids.txt writes ids.0001.txt, ids.0002.txt, ...",
)
@click.option(
    "--academic",
    is_flag=True,
    help="The ids go out on behalf of an academic institution for non-commercial research only "
    "(exempt from the 1,500,000 post ids per 30 days limit).",
)
@click.option("-o", "--output", metavar="OUT", help="Output file; default stdout.")
def ids(
    inputs: tuple[str, ...], users: bool, embedded: bool, chunk: int | None, academic: bool, output: str | None
) -> None:
    """Print the post ids (author ids with --users) of a data set, one per line, each once.

    The list is what a batch compliance job takes, and what X's policy asks you to share instead
    of content. Deletion notices are counted but their ids left out: they are not content.
    INPUTs are files, directories, globs or - (stdin, also when none is given). Exit status:
    0 written, 1 some records could not be decoded (nothing written), 2 usage or I/O error.
    """
    if chunk is not None and output in (None, "-"):
        raise click.UsageError("--chunk needs -o OUT: the parts are named after it")
    names = _inputs(inputs, "ids")
    target = Parts(chunk_pattern(output), CHUNK_NUMBERS) if chunk and output else output
    guarded("ids", lambda: refuse_overwriting(names, {"-o": target}))
    found = guarded("ids", lambda: collect_ids(iter_records(names), users=users, embedded=embedded), records_code=1)
    kind = "user" if users else "post"
    for note in limit_warnings(len(found.ids), users=users, academic=academic):
        click.echo(f"xformat ids: warning: {note}", err=True)
    text = [i.encode() for i in found.ids]
    if output in (None, "-"):
        guarded("ids", lambda: sys.stdout.buffer.writelines(i + b"\n" for i in text))
        written = "stdout"
    else:
        assert output is not None
        size = chunk or max(len(text), 1)
        parts = [text[i : i + size] for i in range(0, len(text), size)] or [[]]
        paths = [chunk_path(output, n) for n in range(1, len(parts) + 1)] if chunk else [output]
        guarded("ids", lambda: _write_all(zip(paths, parts, strict=True)))
        shown = [shown_name(path) for path in paths]
        written = ", ".join(shown) if len(shown) <= 3 else f"{shown[0]} ... {shown[-1]} ({len(shown)} files)"
        if chunk and Path(stale := chunk_path(output, len(parts) + 1)).exists():
            click.echo(f"xformat ids: note: {stale} is left from an earlier run, not part of this list", err=True)
    click.echo(
        f"xformat ids: {count(len(found.ids), f'{kind} id')} from {count(found.posts, 'post')} "
        f"({count(found.deletions, 'deletion notice')} left out) to {written}",
        err=True,
    )


@click.command("comply", cls=Command)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "--results", multiple=True, metavar="RESULTS.jsonl", help="Results of a post compliance job (repeatable)."
)
@click.option(
    "--users-results", multiple=True, metavar="U.jsonl", help="Results of a user compliance job (repeatable)."
)
@click.option("-o", "--output", required=True, metavar="OUT", help="The compliant data set (compressed by extension).")
@click.option("--report", "report_path", metavar="REPORT.json", help="Also write the report as JSON.")
@job_opts.fetch_options
def comply(
    inputs: tuple[str, ...],
    results: tuple[str, ...],
    users_results: tuple[str, ...],
    output: str,
    report_path: str | None,
    fetch: job_opts.FetchRequest | None,
) -> None:
    """Apply batch compliance results to a data set of either format, writing a compliant copy.

    Posts deleted, deactivated, suspended or protected (or by such users) leave, with Retweets of
    them; quotes of them lose the embedded copy; scrub_geo empties the geo fields of the post (the
    user's posts), embedded ones included. Deletion notices and compliance events in the data
    (user_delete, scrub_geo...) are applied too, in the data's order, and passed through.
    Untouched records are written byte for byte, as NDJSON, to OUT (never one of the inputs),
    atomically. --fetch-results (--fetch-users-results) first runs X's compliance
    job on the data's post (user) ids, keeping ids and results beside OUT for audit. With neither
    results nor a fetch, only the data's own deletion notices and events are applied. Exit status:
    0 written; 1 some input records could not be decoded or applied; 2 malformed results, a failed
    job, usage or I/O error. On 1 and 2 nothing is written (but what is kept for audit).
    """
    if STDIN in inputs or output == STDIN:
        raise click.UsageError(
            "comply reads its inputs twice (deletion notices and events first) and writes a file: name files"
        )
    names = _inputs(inputs, "comply", files_only=True)
    outputs = {"-o": output, "--report": report_path}
    guarded("comply", lambda: refuse_overwriting([*names, *results, *users_results], outputs))
    if fetch is not None:
        fetched = guarded("comply", lambda: fetch.run(names, output), records_code=1)
        results, users_results = (*results, *fetched.results), (*users_results, *fetched.users_results)
    actions = guarded("comply", lambda: _load(results, users_results))
    signals = guarded("comply", lambda: data_actions(iter_records(names)), records_code=1)
    actions = actions.merge(signals.actions)
    report = Report(undone=signals.undone)
    guarded("comply", lambda: _write_all([(output, apply(iter_records(names), actions, report))]), records_code=1)
    if report_path:
        summary = {
            "inputs": [shown_name(name) for name in names],
            "output": shown_name(output),
            "results": [shown_name(name) for name in results],
            "users_results": [shown_name(name) for name in users_results],
        }
        guarded("comply", lambda: write_text(report_path, json.dumps(summary | report.to_dict(), indent=2) + "\n"))
    click.echo("xformat comply: " + report.text(), err=True, nl=False)
    if not results and not users_results and not report.deletions and not report.events:
        click.echo(
            "xformat comply: note: no results named and no deletion notice or compliance event in the data: "
            "nothing was applied",
            err=True,
        )


def _inputs(inputs: tuple[str, ...], command: str, *, files_only: bool = False) -> list[str]:
    no_input_from_a_terminal(inputs)
    return guarded(command, lambda: expand_inputs(inputs or (STDIN,), files_only=files_only))


def _load(results: tuple[str, ...], users_results: tuple[str, ...]) -> Actions:
    """Every results file's actions; ``ComplianceError`` lists the malformed lines of all of them."""
    actions = Actions()
    problems = []
    for name, users in [*((n, False) for n in results), *((n, True) for n in users_results)]:
        try:
            actions = actions.merge(read_results(name, users=users))
        except ComplianceError as exc:
            problems.append(str(exc))
    if problems:
        raise ComplianceError("\n".join(problems))
    return actions


def _write_all(files: Iterable[tuple[str, Iterable[bytes]]]) -> None:
    """Each file's lines (newlines added), all renamed into place together once every one is complete."""
    targets: list[AtomicFile | CompressedFile] = []
    try:
        for path, lines in files:
            target = open_target(Path(path))
            targets.append(target)
            for line in lines:
                target.write(line + b"\n")
            if isinstance(target, AtomicFile):
                target.suspend()  # closed until the rename: a list cut in many parts holds no file open
        for target in targets:
            if isinstance(target, AtomicFile):
                target.commit()
            else:
                target.close()
    except BaseException:
        for target in targets:
            if isinstance(target, AtomicFile):
                target.discard()
            else:
                target.close()
        raise
