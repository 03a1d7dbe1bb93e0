"""X's batch compliance jobs: create one, upload its ids, wait for it, download its results.

>>> with httpx.Client(timeout=HTTP_TIMEOUT) as http:
...     jobs = ComplianceJobs(http, token_from())
...     done = jobs.run("post-ids.txt", "tweets", "tweets-results.jsonl")

A job takes the ids of one type (``tweets`` or ``users``) as plain text, one a line, uploaded to
its pre-signed ``upload_url`` within 15 minutes of its creation; its status goes ``created`` ->
``in_progress`` -> ``complete`` (or ``failed``, ``expired``); its results are JSON lines at its
``download_url`` for a week after its creation. X runs one job per type at a time, so an id list
too long for one job runs as several, one after another, their results merged into one file.

Results are checked as they arrive: the whole file must load as compliance results
(``xformat.compliance.load_results``), every job's, or nothing is written.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Literal, NamedTuple, TextIO, get_args

import httpx
import msgspec

from xformat.compliance import Actions, load_results
from xformat.errors import ComplianceError, UsageError
from xformat.jobs.api import DEFAULT_API, Api, Clock, Retry, Token
from xformat.jobs.errors import JobError, JobFailed
from xformat.output import AtomicFile, CompressedFile, open_target
from xformat.records import STDIN, open_input

JobType = Literal["tweets", "users"]
JOB_TYPES: tuple[JobType, ...] = get_args(JobType)
Status = Literal["created", "in_progress", "complete", "failed", "expired"]
STATUSES: tuple[Status, ...] = get_args(Status)

IDS_PER_JOB = 500_000
"""The most ids uploaded to one job. X's batch compliance docs as we hold them (the seed, V2.md
section 10) name no limit on the size of a job's file; 500,000 is our cautious cap, not X's:
splitting only costs more jobs, one after another. ``--ids-per-job`` sets another."""
POLL_EVERY = 30.0
"""Seconds between two looks at a job's status: a job takes minutes to hours."""
WAIT_TIMEOUT = 24 * 3600.0
"""Seconds a run waits for a job to complete before giving up (the job goes on at X)."""

_ID = re.compile(rb"[0-9]{1,20}")
_REDRAW = 1.0  # seconds between two redraws of the status line while waiting


_Filled = tuple[list[str], int | None, int, Actions]
"""What filling an output gave: job ids, ids uploaded, result lines, their actions."""


class Job(msgspec.Struct, omit_defaults=True):
    """A compliance job as the API describes it; members it may add are ignored, members it
    leaves out stay out when it is encoded again."""

    id: str
    type: str
    status: str
    name: str | None = None
    resumable: bool | None = None
    upload_url: str | None = None
    upload_expires_at: str | None = None
    download_url: str | None = None
    download_expires_at: str | None = None
    created_at: str | None = None


class _OneJob(msgspec.Struct):
    data: Job


class _Jobs(msgspec.Struct):
    data: list[Job] = msgspec.field(default_factory=list)  # absent when no job matches


class Results(NamedTuple):
    """What a run wrote."""

    path: Path
    jobs: list[str]
    """The ids of the jobs that ran, in order (none for an empty id list)."""
    ids: int | None
    """Ids uploaded (None: results of a job run elsewhere, downloaded)."""
    lines: int
    """Result lines written: one per id that needs action."""
    actions: Actions
    """What the results ask for, as ``xformat.compliance.load_results`` read them."""

    def reasons(self) -> Counter[str]:
        """Ids by the event the results name."""
        a = self.actions
        return Counter([*a.removed_posts.values(), *a.removed_users.values()]) + Counter(
            scrub_geo=len(a.scrubbed_posts) + len(a.scrubbed_users)
        )


class ComplianceJobs:
    """Compliance jobs of the app whose bearer token is ``token``.

    ``client`` must carry no credentials of its own (no default ``auth`` or ``Authorization``
    header): its requests to the signed URLs go out as it makes them.
    ``notify`` receives one-line notes meant for a person (a job created, a retry, a wait for a
    rate limit); ``progress``, a terminal, shows the status of a job being waited for.
    """

    def __init__(
        self,
        client: httpx.Client,
        token: Token,
        *,
        api_base: str = DEFAULT_API,
        clock: Clock | None = None,
        retry: Retry | None = None,
        notify: Callable[[str], None] | None = None,
        progress: TextIO | None = None,
    ) -> None:
        self._notify = notify or (lambda message: None)
        self._line = _StatusLine(progress)
        self.api = Api(client, token, base=api_base, clock=clock, retry=retry, notify=self.note)
        self.clock = self.api.clock

    def note(self, message: str) -> None:
        self._line.clear()
        self._notify(message)

    def create(self, job_type: JobType, name: str | None = None, *, resumable: bool = False) -> Job:
        body: dict[str, object] = {"type": job_type, "resumable": resumable}
        if name:
            body["name"] = name
        return self.api.call(
            f"create a {job_type} job",
            "POST",
            "/2/compliance/jobs",
            _OneJob,
            body=body,
            on_conflict=f"a {job_type} job is already running, and X runs one job per type at a time: "
            f"wait for it to end (xformat compliance-job list --type {job_type})",
        ).data

    def get(self, job_id: str) -> Job:
        return self.api.call(f"look up job {job_id}", "GET", f"/2/compliance/jobs/{_job_id(job_id)}", _OneJob).data

    def list(self, job_type: JobType | None = None, status: Status | None = None) -> list[Job]:
        """The app's jobs of one type, or of both (the API lists one type per request)."""
        jobs: list[Job] = []
        for kind in [job_type] if job_type else JOB_TYPES:
            params = {"type": kind, **({"status": status} if status else {})}
            jobs += self.api.call(f"list {kind} jobs", "GET", "/2/compliance/jobs", _Jobs, params=params).data
        return jobs

    def upload(self, job: Job, ids: bytes) -> None:
        """Uploads ``ids`` (one a line) to the job's signed ``upload_url``."""
        if not job.upload_url:
            raise JobFailed(f"job {job.id} has no upload_url (status {job.status})")
        self.api.put_text(
            f"upload the ids of job {job.id}",
            job.upload_url,
            ids,
            f"the upload_url is valid for 15 minutes after the job is created (until {job.upload_expires_at})",
        )

    def wait(self, job: Job | str, *, poll_every: float = POLL_EVERY, timeout: float | None = WAIT_TIMEOUT) -> Job:
        """The job once ``complete``; ``JobFailed`` if it ends ``failed`` or ``expired``."""
        start = self.clock.monotonic()
        if isinstance(job, str):
            job = self.get(job)
        try:
            while job.status != "complete":
                if job.status in ("failed", "expired"):
                    raise JobFailed(_ended(job))
                elapsed = self.clock.monotonic() - start
                if timeout is not None and elapsed >= timeout:
                    raise JobError(
                        f"job {job.id} is still {job.status} after {_clock(elapsed)}; it goes on at X: "
                        f"xformat compliance-job download {job.id} -o FILE waits for it again"
                    )
                self._pause(job, start, poll_every if timeout is None else min(poll_every, timeout - elapsed))
                job = self.get(job.id)
        finally:
            self._line.clear()
        return job

    def download(self, job: Job, output: str | Path) -> Results:
        """The results of a complete job, checked, written to ``output`` atomically."""
        output = Path(output)
        return self._write(output, lambda target: ([job.id], None, *self._download_into(job, target, output)))

    def run(
        self,
        ids_file: str | Path,
        job_type: JobType,
        output: str | Path,
        *,
        name: str | None = None,
        poll_every: float = POLL_EVERY,
        timeout: float | None = WAIT_TIMEOUT,
        ids_per_job: int = IDS_PER_JOB,
    ) -> Results:
        """Ids of ``ids_file`` through as many jobs as they need, one after another; their
        results, checked and merged, written to ``output`` once all are in (nothing otherwise)."""
        ids_file, output = Path(ids_file), Path(output)
        if str(ids_file) == STDIN:
            raise UsageError("the ids are read twice (checked first, then uploaded): name a file")
        if output.exists() and ids_file.exists() and output.samefile(ids_file):
            raise UsageError(f"{output} is also the id file: inputs are never overwritten")
        total = count_ids(ids_file)  # every line checked before a job is spent on them
        parts = math.ceil(total / ids_per_job)
        base = name or ids_file.name

        def jobs(target: AtomicFile | CompressedFile) -> _Filled:
            done: list[str] = []
            lines, actions = 0, Actions()
            if not total:
                self.note(f"{ids_file} holds no ids: no job created, the results are empty")
            for number, chunk in enumerate(id_chunks(ids_file, ids_per_job), 1):
                part = f" ({number}/{parts})" if parts > 1 else ""
                job = self.create(job_type, base + part)
                self.note(
                    f"{job_type} job {job.id} created{part}; if this run stops, "
                    f"xformat compliance-job download {job.id} -o FILE picks it up"
                )
                self.upload(job, chunk)
                uploaded = chunk.count(b"\n")
                self.note(f"job {job.id}: {count(uploaded, 'id')} uploaded")
                job = self.wait(job, poll_every=poll_every, timeout=timeout)
                got, found = self._download_into(job, target, output)
                done.append(job.id)
                lines, actions = lines + got, actions.merge(found)
            return done, total, lines, actions

        return self._write(output, jobs)

    def _write(
        self,
        output: Path,
        fill: Callable[[AtomicFile | CompressedFile], _Filled],
    ) -> Results:
        target = open_target(output)
        try:
            done, ids, lines, actions = fill(target)
            if isinstance(target, AtomicFile):
                target.commit()
            else:
                target.close()
        except BaseException:
            if isinstance(target, AtomicFile):
                target.discard()
            else:
                target.close()
            raise
        return Results(output, done, ids, lines, actions)

    def _download_into(self, job: Job, target: AtomicFile | CompressedFile, output: Path) -> tuple[int, Actions]:
        """Appends the job's results to ``target`` (the file being written for ``output``) once
        they all arrived and load; their lines and actions."""
        if job.status != "complete":
            raise JobError(f"job {job.id} is {job.status}, not complete: no results yet")
        if not job.download_url:
            raise JobFailed(f"job {job.id} is complete but has no download_url")
        expires = _when(job.download_expires_at)
        if expires is not None and expires <= self.clock.time():
            raise JobFailed(f"the results of job {job.id} expired at {job.download_expires_at} (a week after it began)")
        # Downloaded whole first (every retry starts over), then copied while being checked: a
        # partial or malformed file never reaches the output. Unnamed, beside the output, so
        # nothing is left behind and nothing is written elsewhere.
        with tempfile.TemporaryFile(dir=output.parent if isinstance(target, AtomicFile) else None) as raw:
            size = self.api.download(
                f"download the results of job {job.id}",
                job.download_url,
                raw,
                f"the download_url is valid for a week after the job is created (until {job.download_expires_at})",
            )
            raw.seek(0)
            copied = _Copy(raw, target)
            try:
                actions = load_results(copied, users=job.type == "users", source="results")
            except ComplianceError as exc:
                raise JobError(f"job {job.id}: results not written: {_one_line(exc)}") from None
        self.note(f"job {job.id}: {count(copied.lines, 'result line')} ({count(size, 'byte')})")
        return copied.lines, actions

    def _pause(self, job: Job, start: float, seconds: float) -> None:
        """Sleeps ``seconds``, redrawing the status line (if any) with the time waited so far."""
        end = self.clock.monotonic() + seconds
        while True:
            now = self.clock.monotonic()
            self._line.show(f"job {job.id} ({job.type}): {job.status}, {_clock(now - start)} elapsed")
            if now >= end:
                return
            self.clock.sleep(min(end - now, _REDRAW) if self._line.stream else end - now)


class _Copy:
    """Lines of a downloaded file, each written to the target as it is read; counted."""

    def __init__(self, raw: IO[bytes], target: AtomicFile | CompressedFile) -> None:
        self.raw, self.target, self.lines = raw, target, 0

    def __iter__(self) -> Iterator[bytes]:
        for line in self.raw:
            if not line.strip():
                continue
            self.lines += 1
            self.target.write(line if line.endswith(b"\n") else line + b"\n")
            yield line


class _StatusLine:
    """One line on a terminal, redrawn in place and erased before anything else is said."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self._drawn = False

    def show(self, text: str) -> None:
        if self.stream is not None:
            self.stream.write(f"\r\x1b[K{text}")
            self.stream.flush()
            self._drawn = True

    def clear(self) -> None:
        if self.stream is not None and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False


def count_ids(path: Path) -> int:
    """The ids in a file of one id a line (blank lines allowed); ``UsageError`` at the first
    line that is not an id."""
    count = 0
    for _ in _ids(path):
        count += 1
    return count


def id_chunks(path: Path, size: int) -> Iterator[bytes]:
    """The ids of ``path`` as upload bodies of at most ``size`` ids each, one id a line."""
    chunk: list[bytes] = []
    for one in _ids(path):
        chunk.append(one)
        if len(chunk) == size:
            yield b"\n".join(chunk) + b"\n"
            chunk = []
    if chunk:
        yield b"\n".join(chunk) + b"\n"


def _ids(path: Path) -> Iterator[bytes]:
    with open_input(str(path)) as lines:
        for number, line in enumerate(lines, 1):
            one = line.strip()
            if not one:
                continue
            if not _ID.fullmatch(one):
                shown = one[:40].decode("utf-8", "replace")
                raise UsageError(f"{path}:{number}: not an id: {shown!r} (one decimal id a line)")
            yield one


def _job_id(job_id: str) -> str:
    # It becomes part of a URL that carries the token: nothing but digits may go there.
    if not re.fullmatch(r"[0-9]{1,20}", job_id):
        raise UsageError(f"{job_id!r} is not a job id (digits)")
    return job_id


def _one_line(exc: ComplianceError) -> str:
    """The listing of malformed result lines on one line."""
    head, *problems = str(exc).splitlines()
    return f"{head.removesuffix(':').replace('; nothing applied', '')}: {'; '.join(p.strip() for p in problems)}"


def _ended(job: Job) -> str:
    if job.status == "failed":
        return f"job {job.id} failed at X: nothing written; run the ids again in a new job"
    return (
        f"job {job.id} expired: nothing written (no ids arrived within 15 minutes of its creation, "
        f"or its results passed {job.download_expires_at or 'their week'})"
    )


def _when(stamp: str | None) -> float | None:
    if stamp is None:
        return None
    try:
        return datetime.fromisoformat(stamp).timestamp()
    except ValueError:
        return None  # not a time we read: the storage will say whether the URL still works


def count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
