"""A data set's compliance results fetched in one go: its ids, through X's jobs, kept for audit.

The ids are those of every post the data holds, embedded ones included (a quoted or retweeted
copy must go when its original is deleted), or their authors' for a ``users`` job. Each file is
kept beside the output, named after it, so that what was asked and answered can be checked
later::

    OUT.post-ids.txt   OUT.tweets-results.jsonl     (post ids, and the tweets job's results)
    OUT.user-ids.txt   OUT.users-results.jsonl      (user ids, and the users job's results)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from xformat.compliance import collect_ids
from xformat.jobs.client import (
    IDS_PER_JOB,
    JOB_TYPES,
    POLL_EVERY,
    WAIT_TIMEOUT,
    ComplianceJobs,
    JobType,
    Results,
    count,
)
from xformat.output import refuse_overwriting, write_text
from xformat.records import iter_records

_KINDS: dict[JobType, tuple[str, str]] = {
    "tweets": (".post-ids.txt", ".tweets-results.jsonl"),
    "users": (".user-ids.txt", ".users-results.jsonl"),
}


class Fetched(NamedTuple):
    results: list[str]
    """Results of the tweets job (none if it was not asked for)."""
    users_results: list[str]
    """Results of the users job."""
    kept: list[str]
    """Every file written for audit, in the order written: ids, then results, per job type."""


def audit_files(output: str, job_type: JobType) -> tuple[str, str]:
    """The id file and the results file of a job type, beside ``output``."""
    ids, results = _KINDS[job_type]
    return output + ids, output + results


def fetch_results(
    jobs: ComplianceJobs,
    inputs: Sequence[str],
    output: str,
    *,
    posts: bool = True,
    users: bool = False,
    poll_every: float = POLL_EVERY,
    timeout: float | None = WAIT_TIMEOUT,
    ids_per_job: int = IDS_PER_JOB,
) -> Fetched:
    """Runs a tweets job on the post ids of ``inputs`` (``posts``) and a users job on their
    authors' ids (``users``), one after the other, and keeps every file beside ``output``."""
    wanted = [kind for kind, asked in zip(JOB_TYPES, (posts, users), strict=True) if asked]
    for kind in wanted:
        for path in audit_files(output, kind):
            refuse_overwriting(inputs, {"the audit file": path})
    done: dict[JobType, Results] = {}
    kept: list[str] = []
    for kind in wanted:
        id_file, results_file = audit_files(output, kind)
        found = collect_ids(iter_records(inputs), users=kind == "users", embedded=True)
        write_text(id_file, "".join(one + "\n" for one in found.ids))
        kept.append(id_file)
        jobs.note(f"{count(len(found.ids), 'user id' if kind == 'users' else 'post id')} to {id_file}")
        done[kind] = jobs.run(
            id_file, kind, results_file, poll_every=poll_every, timeout=timeout, ids_per_job=ids_per_job
        )
        kept.append(results_file)
    return Fetched(
        [str(done["tweets"].path)] if "tweets" in done else [],
        [str(done["users"].path)] if "users" in done else [],
        kept,
    )

