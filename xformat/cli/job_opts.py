"""Options of the commands that run X's compliance jobs (``xformat compliance-job``, ``xformat
comply --fetch-results``), and the client they open."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import click
import httpx

from xformat import __version__
from xformat.jobs import (
    DEFAULT_API,
    HTTP_TIMEOUT,
    IDS_PER_JOB,
    POLL_EVERY,
    TOKEN_VARIABLE,
    WAIT_TIMEOUT,
    ComplianceJobs,
    Fetched,
    fetch_results,
    token_from,
)

F = TypeVar("F", bound=Callable[..., Any])

_TOKEN_HELP = (
    f"The bearer token is read from ${TOKEN_VARIABLE}, or from the file --bearer-token-file names; "
    "never from the command line, and it is never shown."
)


def connection_options(command: F) -> F:
    for option in reversed(
        [
            click.option(
                "--api-base", default=DEFAULT_API, show_default=True, metavar="URL",
                help="Where the API is (a proxy, a test server); plain http only on the loopback interface.",
            ),
            click.option(
                "--bearer-token-file", metavar="PATH",
                help=f"A file holding the bearer token (instead of ${TOKEN_VARIABLE}).",
            ),
        ]
    ):  # fmt: skip
        command = option(command)
    return command


def waiting_options(command: F) -> F:
    for option in reversed(
        [
            click.option(
                "--poll-every", type=click.FloatRange(min=0, min_open=True), default=POLL_EVERY, show_default=True,
                metavar="SECONDS", help="Seconds between two looks at the job's status.",
            ),
            click.option(
                "--timeout", type=click.FloatRange(min=0, min_open=True), default=WAIT_TIMEOUT, show_default=True,
                metavar="SECONDS", help="Give up waiting for a job after this long (it goes on at X).",
            ),
        ]
    ):  # fmt: skip
        command = option(command)
    return command


def ids_per_job_option(command: F) -> F:
    return click.option(
        "--ids-per-job", type=click.IntRange(min=1), default=IDS_PER_JOB, show_default=True, metavar="N",
        help="Longer id lists run as several jobs, one after another, their results merged.",
    )(command)  # fmt: skip


@contextlib.contextmanager
def open_jobs(command: str, api_base: str, bearer_token_file: str | None) -> Iterator[ComplianceJobs]:
    """A client for the jobs, its notes on stderr (``xformat COMMAND: ...``), a status line if a terminal."""
    token = token_from(bearer_token_file)
    with httpx.Client(
        timeout=HTTP_TIMEOUT,
        headers={"User-Agent": f"xformat/{__version__}"},
    ) as client:
        yield ComplianceJobs(
            client,
            token,
            api_base=api_base,
            notify=lambda message: click.echo(f"xformat {command}: {message}", err=True),
            progress=sys.stderr if sys.stderr.isatty() else None,
        )


@dataclass(frozen=True)
class FetchRequest:
    """What ``xformat comply --fetch-results`` / ``--fetch-users-results`` asked for."""

    posts: bool
    users: bool
    api_base: str
    bearer_token_file: str | None
    poll_every: float
    timeout: float
    ids_per_job: int

    def run(self, inputs: Sequence[str], output: str) -> Fetched:
        with open_jobs("comply", self.api_base, self.bearer_token_file) as jobs:
            fetched = fetch_results(
                jobs, inputs, output, posts=self.posts, users=self.users,
                poll_every=self.poll_every, timeout=self.timeout, ids_per_job=self.ids_per_job,
            )  # fmt: skip
            jobs.note("kept for audit: " + ", ".join(fetched.kept))
            return fetched


def fetch_options(command: F) -> F:
    """Adds ``--fetch-results``, ``--fetch-users-results`` and the job options to ``command``,
    which receives them as one ``fetch: FetchRequest | None``."""

    @functools.wraps(command)
    def wrapper(
        *args: Any,
        fetch_results: bool,
        fetch_users_results: bool,
        api_base: str,
        bearer_token_file: str | None,
        poll_every: float,
        timeout: float,
        ids_per_job: int,
        **kwargs: Any,
    ) -> Any:
        fetch = None
        if fetch_results or fetch_users_results:
            fetch = FetchRequest(
                fetch_results, fetch_users_results, api_base, bearer_token_file, poll_every, timeout, ids_per_job
            )
        return command(*args, fetch=fetch, **kwargs)

    options = [
        click.option(
            "--fetch-results", is_flag=True,
            help="Run a tweets compliance job on the data's post ids (embedded posts' included) and apply its "
            "results; the ids and results are kept beside OUT (OUT.post-ids.txt, OUT.tweets-results.jsonl). "
            + _TOKEN_HELP,
        ),
        click.option(
            "--fetch-users-results", is_flag=True,
            help="Run a users compliance job on the ids of the data's authors (OUT.user-ids.txt, "
            "OUT.users-results.jsonl) and apply its results.",
        ),
    ]  # fmt: skip
    # Options added last are listed first: the two flags, then how the jobs run.
    decorated: Any = ids_per_job_option(waiting_options(connection_options(wrapper)))
    for option in reversed(options):
        decorated = option(decorated)
    return cast(F, decorated)
