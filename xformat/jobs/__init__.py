"""X's batch compliance jobs run from xformat: ids uploaded, results downloaded and checked.

>>> import httpx
>>> from xformat.jobs import HTTP_TIMEOUT, ComplianceJobs, token_from
>>> with httpx.Client(timeout=HTTP_TIMEOUT) as http:
...     jobs = ComplianceJobs(http, token_from())          # $X_BEARER_TOKEN
...     done = jobs.run("post-ids.txt", "tweets", "tweets-results.jsonl")
>>> done.path, done.jobs, done.lines, done.reasons()

``ComplianceJobs`` also has ``create``, ``upload``, ``get``, ``list``, ``wait`` and ``download``
for one step at a time; ``fetch_results`` takes a data set from its records to the results of
its ids. Everything that goes wrong is a ``JobError`` (an ``XFormatError``) of one line.
"""

from xformat.jobs.api import DEFAULT_API, HTTP_TIMEOUT, TOKEN_VARIABLE, Api, Clock, Retry, Token, api_base, token_from
from xformat.jobs.client import (
    IDS_PER_JOB,
    JOB_TYPES,
    POLL_EVERY,
    STATUSES,
    WAIT_TIMEOUT,
    ComplianceJobs,
    Job,
    JobType,
    Results,
    Status,
    count_ids,
    id_chunks,
)
from xformat.jobs.errors import AuthError, JobConflict, JobError, JobFailed, TruncatedDownload
from xformat.jobs.fetch import Fetched, audit_files, fetch_results

__all__ = [
    "DEFAULT_API",
    "HTTP_TIMEOUT",
    "IDS_PER_JOB",
    "JOB_TYPES",
    "POLL_EVERY",
    "STATUSES",
    "TOKEN_VARIABLE",
    "WAIT_TIMEOUT",
    "Api",
    "AuthError",
    "Clock",
    "ComplianceJobs",
    "Fetched",
    "Job",
    "JobConflict",
    "JobError",
    "JobFailed",
    "JobType",
    "Results",
    "Retry",
    "Status",
    "Token",
    "TruncatedDownload",
    "api_base",
    "audit_files",
    "count_ids",
    "fetch_results",
    "id_chunks",
    "token_from",
]
