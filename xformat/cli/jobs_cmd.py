"""``xformat compliance-job``: X's batch compliance jobs run, listed, looked up and downloaded."""

from __future__ import annotations

import click
import msgspec

from xformat.cli.common import Group, guarded
from xformat.cli.job_opts import connection_options, ids_per_job_option, open_jobs, waiting_options
from xformat.jobs import JOB_TYPES, STATUSES, Job, JobType, Results, Status
from xformat.wording import count


@click.group("compliance-job", cls=Group)
def compliance_job() -> None:
    """Run X's batch compliance jobs: ids uploaded, results downloaded and checked.

    A job takes post ids (--type tweets) or user ids (--type users), one a line, as `xformat ids`
    writes them; its results are what `xformat comply --results` applies. X runs one job per type
    at a time. The bearer token comes from $X_BEARER_TOKEN or --bearer-token-file, never from
    the command line, and is never shown. Exit status: 0 done, 2 refused, failed, expired or
    any other error (nothing written).
    """


@compliance_job.command("run")
@click.option("--type", "job_type", type=click.Choice(JOB_TYPES), required=True, help="What the ids are.")
@click.argument("ids_file", metavar="IDS_FILE")
@click.option("-o", "--output", required=True, metavar="RESULTS.jsonl", help="Where the results go (atomically).")
@click.option("--name", help="The job's name at X (default: IDS_FILE's name).")
@ids_per_job_option
@waiting_options
@connection_options
def run(
    job_type: JobType,
    ids_file: str,
    output: str,
    name: str | None,
    ids_per_job: int,
    poll_every: float,
    timeout: float,
    api_base: str,
    bearer_token_file: str | None,
) -> None:
    """Create a job, upload IDS_FILE, wait for it, download its results to RESULTS.jsonl.

    The job's id is shown as soon as it exists: if the run stops, `compliance-job download ID`
    picks the job up. Results are written only once every job completed and its results loaded
    as compliance results; a failed or expired job, a refused upload, a truncated or malformed
    download leave nothing. A 429 waits for the rate limit's reset; network errors and 5xx are
    tried again a few times.
    """

    def job() -> Results:
        with open_jobs("compliance-job", api_base, bearer_token_file) as jobs:
            return jobs.run(
                ids_file, job_type, output, name=name, poll_every=poll_every, timeout=timeout, ids_per_job=ids_per_job
            )

    _done(guarded("compliance-job", job))


@compliance_job.command("download")
@click.argument("job_id", metavar="ID")
@click.option("-o", "--output", required=True, metavar="RESULTS.jsonl", help="Where the results go (atomically).")
@waiting_options
@connection_options
def download(
    job_id: str, output: str, poll_every: float, timeout: float, api_base: str, bearer_token_file: str | None
) -> None:
    """Download the results of job ID, once it is complete (waiting for it if needed)."""

    def job() -> Results:
        with open_jobs("compliance-job", api_base, bearer_token_file) as jobs:
            return jobs.download(jobs.wait(job_id, poll_every=poll_every, timeout=timeout), output)

    _done(guarded("compliance-job", job))


@compliance_job.command("status")
@click.argument("job_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="The job as the API describes it, signed URLs included.")
@connection_options
def status(job_id: str, as_json: bool, api_base: str, bearer_token_file: str | None) -> None:
    """Show job ID: type, status, name, when it was created and until when its results last."""

    def job() -> Job:
        with open_jobs("compliance-job", api_base, bearer_token_file) as jobs:
            return jobs.get(job_id)

    found = guarded("compliance-job", job)
    if as_json:
        click.echo(msgspec.json.encode(found).decode())
        return
    for key in ("id", "type", "status", "name", "created_at", "upload_expires_at", "download_expires_at"):
        click.echo(f"{key}: {getattr(found, key) or '-'}")


@compliance_job.command("list")
@click.option("--type", "job_type", type=click.Choice(JOB_TYPES), help="Only jobs of this type (default: both).")
@click.option("--status", type=click.Choice(STATUSES), help="Only jobs in this status.")
@click.option("--json", "as_json", is_flag=True, help="One job a line as the API describes it, signed URLs included.")
@connection_options
def list_jobs(
    job_type: JobType | None, status: Status | None, as_json: bool, api_base: str, bearer_token_file: str | None
) -> None:
    """List the app's compliance jobs: id, type, status, created, name."""

    def jobs_found() -> list[Job]:
        with open_jobs("compliance-job", api_base, bearer_token_file) as jobs:
            return jobs.list(job_type, status)

    for job in guarded("compliance-job", jobs_found):
        if as_json:
            click.echo(msgspec.json.encode(job).decode())
        else:
            click.echo(f"{job.id}\t{job.type}\t{job.status}\t{job.created_at or '-'}\t{job.name or ''}")


def _done(results: Results) -> None:
    reasons = ", ".join(f"{why} {n:,}" for why, n in sorted(results.reasons().items()))
    jobs = f"job {results.jobs[0]}" if len(results.jobs) == 1 else f"{len(results.jobs)} jobs"
    click.echo(
        "xformat compliance-job: "
        + (f"{count(results.ids, 'id')}, " if results.ids is not None else "")
        + f"{count(results.lines, 'result line')} from {jobs} to {results.path}"
        + (f" ({reasons})" if reasons else ""),
        err=True,
    )
