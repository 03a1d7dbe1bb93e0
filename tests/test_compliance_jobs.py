"""Compliance jobs run end to end against a stand-in of X's API on 127.0.0.1 (never the real one).

Library tests run on a clock whose sleep only moves it forward: waits for a rate limit, backoff
delays and polls are asserted as the seconds asked for, and take none. Command-line tests run
the real clock with tiny --poll-every values and sleeps made instant.
"""

from __future__ import annotations

import gzip
import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from click.testing import CliRunner, Result

from tests.compliance_api import JOBS, Fault, StandIn, rate_limited
from tests.conftest import ROOT
from tests.test_compliance import INES, KOFI, SOL, lines, located, post, quote, retweet
from xformat.cli import main
from xformat.errors import UsageError
from xformat.jobs import (
    JOB_TYPES,
    STATUSES,
    AuthError,
    Clock,
    ComplianceJobs,
    Job,
    JobConflict,
    JobError,
    JobFailed,
    Retry,
    Token,
    TruncatedDownload,
    api_base,
    token_from,
)

TOKEN = "AAAAAAAAAAAAAAAAAAAAAsynthetic%2Ftoken%3Dfor-tests-7f3c9e51"
"""A made-up bearer token: no message, file or output may ever hold it."""

P1, P2, P3, P4, P5, P6 = (f"150000000000000000{n}" for n in range(1, 7))
DELETED = {"id": P2, "action": "delete", "created_at": "2019-03-04T05:06:07.890Z", "reason": "deleted"}
SCRUBBED = {
    "id": P4,
    "action": "delete",
    "created_at": "2020-11-12T13:14:15.160Z",
    "redacted_at": "2021-01-02T03:04:05.000Z",
    "reason": "scrub_geo",
}
SUSPENDED = {"id": KOFI["id_str"], "action": "delete", "created_at": "2013-06-04T16:25:04+00:00", "reason": "suspended"}


class FakeClock(Clock):
    """Wall and monotonic time in one number, moved forward only by ``sleep``."""

    def __init__(self) -> None:
        self.now = float(int(time.time()))
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@dataclass
class Harness:
    api: StandIn
    clock: FakeClock
    jobs: ComplianceJobs
    notes: list[str] = field(default_factory=list)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests go straight to the stand-in, whatever proxy the environment names."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def api() -> Iterator[StandIn]:
    stand_in = StandIn(TOKEN).start()
    stand_in.verdicts = {P2: DELETED, P4: SCRUBBED, KOFI["id_str"]: SUSPENDED}
    yield stand_in
    stand_in.stop()


@pytest.fixture
def h(api: StandIn) -> Iterator[Harness]:
    clock = FakeClock()
    notes: list[str] = []
    with httpx.Client(timeout=10, trust_env=False) as http:
        jobs = ComplianceJobs(http, Token(TOKEN, "$X_BEARER_TOKEN"), api_base=api.url, clock=clock, notify=notes.append)
        yield Harness(api, clock, jobs, notes)


def id_file(path: Path, *ids: str) -> Path:
    path.write_text("".join(i + "\n" for i in ids))
    return path


def result_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def no_leftovers(directory: Path, *expected: str) -> None:
    """Only the ``expected`` files are in ``directory``: no output, no temporary file."""
    assert sorted(p.name for p in directory.iterdir()) == sorted(expected)


# --- a job's whole course -------------------------------------------------------------------


def test_run_creates_uploads_waits_and_downloads(h: Harness, tmp_path: Path) -> None:
    ids = id_file(tmp_path / "post-ids.txt", P1, P2, P3, P4)
    done = h.jobs.run(ids, "tweets", tmp_path / "results.jsonl", poll_every=10)
    assert result_lines(tmp_path / "results.jsonl") == [DELETED, SCRUBBED]
    assert (done.ids, done.lines, len(done.jobs)) == (4, 2, 1)
    assert dict(done.reasons()) == {"deleted": 1, "scrub_geo": 1}

    create, upload = h.api.seen("POST", JOBS), h.api.seen("PUT", "/storage/")
    assert [json.loads(r.body) for r in create] == [{"type": "tweets", "resumable": False, "name": "post-ids.txt"}]
    assert [r.body for r in upload] == [f"{P1}\n{P2}\n{P3}\n{P4}\n".encode()]
    assert upload[0].headers["content-type"] == "text/plain"
    storage = h.api.seen("PUT", "/storage/") + h.api.seen("GET", "/storage/")
    assert len(storage) == 2 and all("authorization" not in r.headers for r in storage)
    api_calls = [r for r in h.api.requests if r.path.startswith("/2/")]
    assert api_calls and all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in api_calls)
    # created -> in_progress (first look) -> complete (second look), a poll interval apart
    assert len(h.api.seen("GET", JOBS + "/")) == 2 and h.clock.slept == [10, 10]
    assert done.jobs[0] in h.notes[0] and "compliance-job download" in h.notes[0]


def test_users_job_results_are_read_as_user_results(h: Harness, tmp_path: Path) -> None:
    ids = id_file(tmp_path / "user-ids.txt", INES["id_str"], KOFI["id_str"])
    done = h.jobs.run(ids, "users", tmp_path / "users.jsonl", poll_every=1)
    assert result_lines(tmp_path / "users.jsonl") == [SUSPENDED]
    assert done.actions.removed_users == {KOFI["id_str"]: "suspended"} and not done.actions.removed_posts


def test_status_line_on_a_terminal(api: StandIn, tmp_path: Path) -> None:
    terminal = io.StringIO()
    clock = FakeClock()
    with httpx.Client(trust_env=False) as http:
        jobs = ComplianceJobs(http, Token(TOKEN, "$X_BEARER_TOKEN"), api_base=api.url, clock=clock, progress=terminal)
        jobs.run(id_file(tmp_path / "ids.txt", P1), "tweets", tmp_path / "r.jsonl", poll_every=3)
    shown = terminal.getvalue()
    assert ": created, 0:00:00 elapsed" in shown and ": in_progress, 0:00:03 elapsed" in shown
    assert shown.endswith("\r\x1b[K")  # erased once the job is complete
    assert clock.slept == [1, 1, 1, 1, 1, 1]  # redrawn every second while waiting


def test_an_id_list_longer_than_one_job_takes_runs_as_jobs_one_after_another(h: Harness, tmp_path: Path) -> None:
    ids = id_file(tmp_path / "ids.txt", P1, P2, P3, P4, P5)
    done = h.jobs.run(ids, "tweets", tmp_path / "r.jsonl", poll_every=1, ids_per_job=2)
    # The stand-in refuses a second tweets job while one runs: three jobs went through, so each
    # was complete before the next was created.
    assert len(done.jobs) == 3 and len(set(done.jobs)) == 3
    assert [r.body for r in h.api.seen("PUT", "/storage/")] == [
        f"{P1}\n{P2}\n".encode(), f"{P3}\n{P4}\n".encode(), f"{P5}\n".encode(),
    ]  # fmt: skip
    assert [json.loads(r.body)["name"] for r in h.api.seen("POST", JOBS)] == [
        "ids.txt (1/3)", "ids.txt (2/3)", "ids.txt (3/3)",
    ]  # fmt: skip
    assert result_lines(tmp_path / "r.jsonl") == [DELETED, SCRUBBED]  # from jobs 1 and 2, merged
    assert (done.ids, done.lines) == (5, 2)


def test_an_empty_id_list_needs_no_job(h: Harness, tmp_path: Path) -> None:
    done = h.jobs.run(id_file(tmp_path / "ids.txt"), "tweets", tmp_path / "r.jsonl")
    assert (tmp_path / "r.jsonl").read_bytes() == b"" and done.jobs == []
    assert h.api.requests == []


def test_a_line_that_is_no_id_stops_before_any_job(h: Harness, tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text(f"{P1}\n\n{P2}\n@kofi_brandt\n")
    with pytest.raises(UsageError, match=r"ids.txt:4: not an id: '@kofi_brandt'"):
        h.jobs.run(ids, "tweets", tmp_path / "r.jsonl")
    assert h.api.requests == []
    no_leftovers(tmp_path, "ids.txt")


def test_blank_lines_and_crlf_in_the_id_file_are_fine(h: Harness, tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_bytes(f"{P1}\r\n\r\n{P2}\r\n".encode())
    h.jobs.run(ids, "tweets", tmp_path / "r.jsonl", poll_every=1)
    assert [r.body for r in h.api.seen("PUT", "/storage/")] == [f"{P1}\n{P2}\n".encode()]


def test_the_output_may_not_be_the_id_file(h: Harness, tmp_path: Path) -> None:
    ids = id_file(tmp_path / "ids.txt", P1)
    with pytest.raises(UsageError, match="also the id file"):
        h.jobs.run(ids, "tweets", ids)
    assert ids.read_text() == f"{P1}\n" and h.api.requests == []


# --- limits and transient failures ---------------------------------------------------------


def test_a_429_waits_until_the_limit_resets(h: Harness, tmp_path: Path) -> None:
    h.api.faults = [rate_limited(h.clock.now + 42)]
    h.jobs.run(id_file(tmp_path / "ids.txt", P2), "tweets", tmp_path / "r.jsonl", poll_every=5)
    # The first look comes after one poll interval (5 s): then 37 s until the reset, and a second more.
    assert h.clock.slept == [5, 38, 5]
    assert result_lines(tmp_path / "r.jsonl") == [DELETED]
    assert any("rate limited (429); waiting 38 s" in note for note in h.notes)


def test_a_429_with_a_reset_in_the_past_retries_at_once(h: Harness, tmp_path: Path) -> None:
    h.api.faults = [rate_limited(h.clock.now - 100)]
    h.jobs.run(id_file(tmp_path / "ids.txt", P2), "tweets", tmp_path / "r.jsonl", poll_every=5)
    assert h.clock.slept == [5, 1, 5]  # the margin only, between the two polls


def test_rate_limits_that_never_lift_are_an_error(h: Harness, tmp_path: Path) -> None:
    h.api.faults = [rate_limited(h.clock.now + 1) for _ in range(10)]
    with pytest.raises(JobError, match=r"still rate limited \(429\) after 5 waits"):
        h.jobs.run(id_file(tmp_path / "ids.txt", P2), "tweets", tmp_path / "r.jsonl", poll_every=5)
    no_leftovers(tmp_path, "ids.txt")


def test_a_5xx_is_tried_again_after_a_delay(h: Harness, tmp_path: Path) -> None:
    h.api.faults = [Fault("POST", JOBS, 503), Fault("GET", JOBS + "/", 500)]
    h.jobs.run(id_file(tmp_path / "ids.txt", P2), "tweets", tmp_path / "r.jsonl", poll_every=5)
    assert result_lines(tmp_path / "r.jsonl") == [DELETED]
    assert len(h.api.seen("POST", JOBS)) == 2 and h.clock.slept[0] == 1.0
    assert any("503 Service Unavailable" in note and "trying again in 1 s" in note for note in h.notes)


def test_backoff_doubles_and_is_bounded(h: Harness, tmp_path: Path) -> None:
    h.api.faults = [Fault("GET", JOBS + "/", 502) for _ in range(5)]
    with pytest.raises(JobError, match=r"look up job \d+: the API answered 502 Bad Gateway \(tried 5 times\)"):
        h.jobs.run(id_file(tmp_path / "ids.txt", P2), "tweets", tmp_path / "r.jsonl", poll_every=5)
    assert h.clock.slept == [5, 1, 2, 4, 8]
    no_leftovers(tmp_path, "ids.txt")


def test_a_dropped_connection_is_tried_again(h: Harness, tmp_path: Path) -> None:
    h.api.faults = [Fault("GET", JOBS + "/", drop=True), Fault("PUT", "/storage/", drop=True)]
    h.jobs.run(id_file(tmp_path / "ids.txt", P2), "tweets", tmp_path / "r.jsonl", poll_every=5)
    assert result_lines(tmp_path / "r.jsonl") == [DELETED]
    assert len(h.api.seen("PUT", "/storage/")) == 2


def test_creating_a_job_is_not_repeated_once_the_request_may_have_arrived(h: Harness, tmp_path: Path) -> None:
    h.api.faults = [Fault("POST", JOBS, drop=True)]
    with pytest.raises(JobError, match="may have done it all the same"):
        h.jobs.run(id_file(tmp_path / "ids.txt", P2), "tweets", tmp_path / "r.jsonl")
    assert len(h.api.seen("POST", JOBS)) == 1


def test_a_retry_policy_bounds_tries(api: StandIn, tmp_path: Path) -> None:
    api.faults = [Fault("GET", JOBS + "/", 503) for _ in range(2)]
    clock = FakeClock()
    with httpx.Client(trust_env=False) as http:
        jobs = ComplianceJobs(
            http, Token(TOKEN, "$X_BEARER_TOKEN"), api_base=api.url, clock=clock, retry=Retry(attempts=2)
        )
        with pytest.raises(JobError, match="tried 2 times"):
            jobs.get("1700000000000000001")


# --- refusals and jobs that end badly: exit 2 and nothing written --------------------------


def test_a_bad_token_stops_at_once_naming_its_source(api: StandIn, tmp_path: Path) -> None:
    with httpx.Client(trust_env=False) as http:
        jobs = ComplianceJobs(http, Token("not-the-token", "the bearer token file token.txt"), api_base=api.url)
        with pytest.raises(AuthError) as caught:
            jobs.run(id_file(tmp_path / "ids.txt", P1), "tweets", tmp_path / "r.jsonl")
    assert str(caught.value) == (
        "create a tweets job: the API refused the bearer token from the bearer token file token.txt "
        "(401 Unauthorized: Unauthorized)"
    )
    assert len(api.requests) == 1
    no_leftovers(tmp_path, "ids.txt")


@pytest.mark.parametrize("status", [409, 400])
def test_a_second_job_of_a_type_is_refused_in_one_line(h: Harness, tmp_path: Path, status: int) -> None:
    h.api.conflict_status = status
    h.api.add_job("tweets", "in_progress", "someone else's")
    with pytest.raises(JobConflict) as caught:
        h.jobs.run(id_file(tmp_path / "ids.txt", P1), "tweets", tmp_path / "r.jsonl")
    message = str(caught.value)
    assert message.startswith("a tweets job is already running, and X runs one job per type at a time")
    assert "xformat compliance-job list --type tweets" in message and "\n" not in message
    no_leftovers(tmp_path, "ids.txt")


def test_one_running_job_of_the_other_type_is_no_conflict(h: Harness, tmp_path: Path) -> None:
    h.api.add_job("users", "in_progress")
    h.jobs.run(id_file(tmp_path / "ids.txt", P2), "tweets", tmp_path / "r.jsonl", poll_every=1)
    assert result_lines(tmp_path / "r.jsonl") == [DELETED]


@pytest.mark.parametrize("fate", ["failed", "expired"])
def test_a_job_that_fails_or_expires_writes_nothing(h: Harness, tmp_path: Path, fate: Any) -> None:
    h.api.fate = fate
    with pytest.raises(JobFailed, match=rf"job \d+ {fate}.*nothing written"):
        h.jobs.run(id_file(tmp_path / "ids.txt", P2), "tweets", tmp_path / "r.jsonl", poll_every=1)
    assert h.api.seen("GET", "/storage/") == []
    no_leftovers(tmp_path, "ids.txt")


def test_an_expired_upload_url_writes_nothing(h: Harness, tmp_path: Path) -> None:
    h.api.upload_expired = True
    with pytest.raises(JobFailed, match=r"storage refused it \(400 Bad Request ExpiredToken\).*15 minutes"):
        h.jobs.run(id_file(tmp_path / "ids.txt", P2), "tweets", tmp_path / "r.jsonl")
    no_leftovers(tmp_path, "ids.txt")


def test_results_past_their_week_are_not_downloaded(h: Harness, tmp_path: Path) -> None:
    h.api.age = timedelta(days=8)
    with pytest.raises(JobFailed, match=r"results of job \d+ expired at .* \(a week after it began\)"):
        h.jobs.run(id_file(tmp_path / "ids.txt", P2), "tweets", tmp_path / "r.jsonl", poll_every=1)
    assert h.api.seen("GET", "/storage/") == []
    no_leftovers(tmp_path, "ids.txt")


def test_waiting_gives_up_after_the_timeout(h: Harness, tmp_path: Path) -> None:
    h.api.looks_to_finish = 1000
    with pytest.raises(JobError, match=r"job (\d+) is still in_progress after 0:01:00; it goes on at X"):
        h.jobs.run(id_file(tmp_path / "ids.txt", P2), "tweets", tmp_path / "r.jsonl", poll_every=25, timeout=60)
    assert h.clock.slept == [25, 25, 10]
    no_leftovers(tmp_path, "ids.txt")


# --- downloads: checked before anything is written -----------------------------------------


@pytest.mark.parametrize("how", ["length", "chunked"])
def test_a_truncated_download_is_an_error(h: Harness, tmp_path: Path, how: Any) -> None:
    h.api.truncate = how
    with pytest.raises(TruncatedDownload, match=r"download the results of job \d+: the download (is truncated|broke)"):
        h.jobs.run(id_file(tmp_path / "ids.txt", P2, P4), "tweets", tmp_path / "r.jsonl", poll_every=1)
    assert len(h.api.seen("GET", "/storage/")) == 5  # every try of the default policy
    no_leftovers(tmp_path, "ids.txt")


def test_a_download_truncated_once_is_fetched_again(h: Harness, tmp_path: Path) -> None:
    h.api.truncate, h.api.truncations = "length", 1
    h.jobs.run(id_file(tmp_path / "ids.txt", P2, P4), "tweets", tmp_path / "r.jsonl", poll_every=1)
    assert result_lines(tmp_path / "r.jsonl") == [DELETED, SCRUBBED]  # whole, and only once


def test_results_that_do_not_load_are_not_written(h: Harness, tmp_path: Path) -> None:
    h.api.results_body = b'{"id": "1500000000000000002", "reason": "deleted"}\n[1, 2]\n{"id": "x1", "reason": "gone"}\n'
    with pytest.raises(JobError) as caught:
        h.jobs.run(id_file(tmp_path / "ids.txt", P2), "tweets", tmp_path / "r.jsonl", poll_every=1)
    message = str(caught.value)
    assert message == (
        f"job {h.api.jobs.popitem()[0]}: results not written: 2 malformed result lines: "
        "results:2: expected an object, got an array; results:3: id 'x1' is not a decimal id"
    )
    no_leftovers(tmp_path, "ids.txt")


def test_a_later_job_failing_leaves_nothing_of_the_earlier_ones(h: Harness, tmp_path: Path) -> None:
    h.api.faults = [Fault("PUT", "/storage/", 403, body=b"<Error><Code>AccessDenied</Code></Error>", skip=1)]
    ids = id_file(tmp_path / "ids.txt", P1, P2, P3)
    refused = r"upload the ids of job \d+: the storage refused it \(403 Forbidden AccessDenied\)"
    with pytest.raises(JobFailed, match=refused):
        h.jobs.run(ids, "tweets", tmp_path / "r.jsonl", poll_every=1, ids_per_job=2)
    assert len(h.api.seen("GET", "/storage/")) == 1  # the first job's results were downloaded ...
    no_leftovers(tmp_path, "ids.txt")  # ... yet nothing is written


# --- one step at a time --------------------------------------------------------------------


def test_list_get_wait_and_download(h: Harness, tmp_path: Path) -> None:
    running = h.api.add_job("users", "in_progress", "their job")
    job = h.jobs.create("tweets", "mine")
    assert (job.type, job.status, job.name) == ("tweets", "created", "mine")
    assert [j.id for j in h.jobs.list()] == [job.id, running.id]  # tweets first, then users
    assert [j.id for j in h.jobs.list("users")] == [running.id]
    assert h.jobs.list("tweets", "complete") == []
    h.jobs.upload(job, f"{P2}\n".encode())
    done = h.jobs.wait(job.id, poll_every=2)
    assert done.status == "complete" and h.jobs.get(job.id).status == "complete"
    h.jobs.download(done, tmp_path / "r.jsonl.gz")
    assert json.loads(gzip.decompress((tmp_path / "r.jsonl.gz").read_bytes())) == DELETED


def test_an_unknown_job_is_one_line(h: Harness) -> None:
    with pytest.raises(JobError, match=r"^look up job 42: the API answered 404 Not Found: Could not find job"):
        h.jobs.get("42")


def test_a_job_id_is_digits_only(h: Harness) -> None:
    with pytest.raises(UsageError, match="not a job id"):
        h.jobs.get("../../2/users/me")
    assert h.api.requests == []


def test_real_job_objects_decode() -> None:
    real = ROOT.parent / "shared" / "realdata" / "v2" / "tweepy_compliance_jobs.jsonl"
    if not real.exists():
        pytest.skip(f"{real} is not there (it is beside the repository in CI, not in a fresh clone)")
    seen = []
    for line in real.read_bytes().splitlines():
        data = msgspec.json.decode(line)["data"]
        for item in data if isinstance(data, list) else [data]:
            job = msgspec.convert(item, Job)
            assert job.type in JOB_TYPES and job.status in STATUSES
            assert job.upload_url and job.download_url and job.download_expires_at
            seen.append(job.status)
    assert len(seen) == 5  # 2 single jobs, and lists of 1 and 2


# --- the token -----------------------------------------------------------------------------


def test_the_token_comes_from_the_variable_or_a_file(tmp_path: Path) -> None:
    assert token_from(environ={"X_BEARER_TOKEN": f" {TOKEN}\n"}) == Token(TOKEN, "$X_BEARER_TOKEN")
    (tmp_path / "token").write_text(TOKEN + "\n")
    assert token_from(str(tmp_path / "token"), environ={}).value == TOKEN
    assert TOKEN not in repr(token_from(str(tmp_path / "token"), environ={}))
    with pytest.raises(UsageError, match=r"no bearer token: set X_BEARER_TOKEN"):
        token_from(environ={})
    (tmp_path / "two").write_text("one two\n")
    with pytest.raises(UsageError, match="does not hold one token"):
        token_from(str(tmp_path / "two"), environ={})


def test_plain_http_only_to_the_loopback_interface() -> None:
    assert api_base("http://127.0.0.1:8080/") == "http://127.0.0.1:8080"
    assert api_base("https://proxy.example.org/x") == "https://proxy.example.org/x"
    with pytest.raises(UsageError, match="over https only"):
        api_base("http://proxy.example.org")


# --- the command line ----------------------------------------------------------------------


@pytest.fixture
def instant(monkeypatch: pytest.MonkeyPatch) -> None:
    """Waits (backoff, rate limits, polls) take no time on the command line either."""
    monkeypatch.setattr(Clock, "sleep", lambda self, seconds: None)


def xformat(*args: str, token: str | None = TOKEN) -> Result:
    env = {"X_BEARER_TOKEN": token} if token is not None else {"X_BEARER_TOKEN": ""}
    return CliRunner().invoke(main, list(args), env=env)


def job_run(api: StandIn, ids: Path, out: Path, *extra: str, token: str | None = TOKEN) -> Result:
    return xformat(
        "compliance-job", "run", "--type", "tweets", str(ids), "-o", str(out),
        "--api-base", api.url, "--poll-every", "0.001", *extra, token=token,
    )  # fmt: skip


def test_cli_run(api: StandIn, tmp_path: Path, instant: None) -> None:
    result = job_run(api, id_file(tmp_path / "ids.txt", P1, P2, P3, P4), tmp_path / "r.jsonl")
    assert result.exit_code == 0, result.stderr
    assert result_lines(tmp_path / "r.jsonl") == [DELETED, SCRUBBED]
    job_id = next(iter(api.jobs))
    assert f"xformat compliance-job: tweets job {job_id} created; if this run stops" in result.stderr
    assert result.stderr.endswith(
        f"xformat compliance-job: 4 ids, 2 result lines from job {job_id} to {tmp_path / 'r.jsonl'} "
        "(deleted 1, scrub_geo 1)\n"
    )


def test_cli_status_list_and_download(api: StandIn, tmp_path: Path, instant: None) -> None:
    job_run(api, id_file(tmp_path / "ids.txt", P2), tmp_path / "first.jsonl", "--name", "october sample")
    job_id = next(iter(api.jobs))
    status = xformat("compliance-job", "status", job_id, "--api-base", api.url)
    assert status.exit_code == 0, status.stderr
    assert f"id: {job_id}\ntype: tweets\nstatus: complete\nname: october sample\n" in status.stdout
    assert "X-Goog-Signature" not in status.stdout  # signed URLs only with --json
    as_json = xformat("compliance-job", "status", job_id, "--json", "--api-base", api.url)
    assert json.loads(as_json.stdout)["download_url"].startswith(api.url)
    listed = xformat("compliance-job", "list", "--status", "complete", "--api-base", api.url)
    assert listed.exit_code == 0 and listed.stdout.split("\t")[:3] == [job_id, "tweets", "complete"]
    again = xformat("compliance-job", "download", job_id, "-o", str(tmp_path / "again.jsonl"), "--api-base", api.url)
    assert again.exit_code == 0, again.stderr
    assert (tmp_path / "again.jsonl").read_bytes() == (tmp_path / "first.jsonl").read_bytes()


def test_cli_download_picks_up_a_job_still_running(api: StandIn, tmp_path: Path, instant: None) -> None:
    job = api.add_job("tweets", "created")
    job.uploaded = f"{P4}\n".encode()  # a run stopped after its upload
    result = xformat(
        "compliance-job", "download", job.id, "-o", str(tmp_path / "r.jsonl"), "--api-base", api.url,
        "--poll-every", "0.001",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result_lines(tmp_path / "r.jsonl") == [SCRUBBED]
    assert result.stderr.endswith(
        f"xformat compliance-job: 1 result line from job {job.id} to {tmp_path / 'r.jsonl'} (scrub_geo 1)\n"
    )


def test_cli_token_from_a_file(api: StandIn, tmp_path: Path, instant: None) -> None:
    (tmp_path / "token.txt").write_text(TOKEN + "\n")
    ids = id_file(tmp_path / "ids.txt", P2)
    result = job_run(api, ids, tmp_path / "r.jsonl", "--bearer-token-file", str(tmp_path / "token.txt"), token=None)
    assert result.exit_code == 0, result.stderr


def test_cli_without_a_token(api: StandIn, tmp_path: Path) -> None:
    result = job_run(api, id_file(tmp_path / "ids.txt", P2), tmp_path / "r.jsonl", token=None)
    assert result.exit_code == 2
    assert result.stderr == (
        "xformat compliance-job: no bearer token: set X_BEARER_TOKEN, or name a file holding it (--bearer-token-file)\n"
    )
    assert api.requests == []


def test_cli_refuses_plain_http_elsewhere_before_any_request(tmp_path: Path) -> None:
    result = xformat(
        "compliance-job", "run", "--type", "tweets", str(id_file(tmp_path / "ids.txt", P2)), "-o",
        str(tmp_path / "r.jsonl"), "--api-base", "http://proxy.example.org",
    )  # fmt: skip
    assert result.exit_code == 2 and "over https only" in result.stderr
    no_leftovers(tmp_path, "ids.txt")


def test_the_token_as_an_argument_is_no_option() -> None:
    result = xformat("compliance-job", "run", "--bearer-token", TOKEN)
    assert result.exit_code == 2 and "No such option '--bearer-token'" in result.stderr
    assert TOKEN not in result.stderr


SCENARIOS = {
    "complete": lambda api: None,
    "bad token": lambda api: setattr(api, "token", "another"),
    "conflict": lambda api: api.add_job("tweets", "in_progress"),
    "failed": lambda api: setattr(api, "fate", "failed"),
    "expired": lambda api: setattr(api, "fate", "expired"),
    "upload expired": lambda api: setattr(api, "upload_expired", True),
    "truncated": lambda api: setattr(api, "truncate", "length"),
    "malformed results": lambda api: setattr(api, "results_body", b"{}\n"),
    "rate limited": lambda api: api.faults.append(rate_limited(time.time() + 1)),
    "5xx": lambda api: api.faults.extend(Fault("GET", JOBS + "/", 500) for _ in range(5)),
    "not found": lambda api: api.faults.append(Fault("GET", JOBS + "/", 404, body=f'{{"detail": "{TOKEN}"}}'.encode())),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_cli_exit_status_and_the_token_never_shown(api: StandIn, tmp_path: Path, instant: None, scenario: str) -> None:
    SCENARIOS[scenario](api)
    ids = id_file(tmp_path / "ids.txt", P1, P2)
    result = job_run(api, ids, tmp_path / "r.jsonl")
    ok = scenario in ("complete", "rate limited")
    assert result.exit_code == (0 if ok else 2), result.stderr
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit | None)
    assert TOKEN not in result.stdout and TOKEN not in result.stderr
    assert all(TOKEN.encode() not in p.read_bytes() for p in tmp_path.iterdir())
    if not ok:
        no_leftovers(tmp_path, "ids.txt")
        # notes (a job created, retries), then the error: each one line of its own
        assert all(line.startswith("xformat compliance-job: ") for line in result.stderr.splitlines())


def test_cli_help_documents_the_token_and_the_commands() -> None:
    group = xformat("compliance-job", "--help")
    assert all(name in group.stdout for name in ("run", "list", "status", "download", "$X_BEARER_TOKEN"))
    run = xformat("compliance-job", "run", "--help")
    assert "--bearer-token-file" in run.stdout and "--ids-per-job" in run.stdout and "picks the job up" in run.stdout


# --- xformat comply --fetch-results --------------------------------------------------------


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """Native posts: an original, a Retweet, a quote, a located post (ids 1 to 6 with the embedded)."""
    records = [
        post(P1, INES),
        retweet(P2, SOL, post(P3, KOFI)),
        quote(P4, INES, post(P5, KOFI)),
        located(P6, SOL),
    ]
    path = tmp_path / "data.ndjson"
    path.write_bytes(b"".join(line + b"\n" for line in lines(records, "native")))
    return path


def comply(api: StandIn, data: Path, out: Path, *options: str) -> Result:
    return xformat(
        "comply", str(data), "-o", str(out), *options, "--api-base", api.url, "--poll-every", "0.001",
    )  # fmt: skip


def test_comply_fetches_post_results_and_keeps_them_for_audit(
    api: StandIn, data: Path, tmp_path: Path, instant: None
) -> None:
    api.verdicts = {
        P3: {"id": P3, "action": "delete", "created_at": "2018-01-02T03:04:05.000Z", "reason": "deleted"},
        P6: {"id": P6, "action": "scrub_geo", "created_at": "2018-02-03T04:05:06.000Z", "reason": "scrub_geo"},
    }
    out = tmp_path / "clean.ndjson"
    result = comply(api, data, out, "--fetch-results", "--report", str(tmp_path / "report.json"))
    assert result.exit_code == 0, result.stderr
    kept = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id_str"] for r in kept] == [P1, P4, P6]  # the Retweet of the deleted post left
    assert kept[2]["place"] is None and kept[2]["coordinates"] is None
    # every post id, embedded ones included, in first-seen order
    assert (tmp_path / "clean.ndjson.post-ids.txt").read_text() == "".join(f"{p}\n" for p in (P1, P2, P3, P4, P5, P6))
    assert result_lines(tmp_path / "clean.ndjson.tweets-results.jsonl") == [api.verdicts[P3], api.verdicts[P6]]
    assert not (tmp_path / "clean.ndjson.user-ids.txt").exists()
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["results"] == [str(tmp_path / "clean.ndjson.tweets-results.jsonl")]
    assert report["removed_by_reason"] == {"retweet_of_removed": 1} and report["scrubbed"] == 1
    assert (
        f"xformat comply: kept for audit: {tmp_path / 'clean.ndjson.post-ids.txt'}, "
        f"{tmp_path / 'clean.ndjson.tweets-results.jsonl'}\n"
    ) in result.stderr


def test_comply_fetches_both_jobs(api: StandIn, data: Path, tmp_path: Path, instant: None) -> None:
    api.verdicts = {KOFI["id_str"]: SUSPENDED}
    out = tmp_path / "clean.ndjson.gz"
    result = comply(api, data, out, "--fetch-results", "--fetch-users-results")
    assert result.exit_code == 0, result.stderr
    assert [json.loads(r.body)["type"] for r in api.seen("POST", JOBS)] == ["tweets", "users"]
    assert (tmp_path / "clean.ndjson.gz.user-ids.txt").read_text() == "".join(
        f"{u['id_str']}\n" for u in (INES, SOL, KOFI)
    )
    assert result_lines(tmp_path / "clean.ndjson.gz.tweets-results.jsonl") == []
    assert result_lines(tmp_path / "clean.ndjson.gz.users-results.jsonl") == [SUSPENDED]
    kept = [json.loads(line) for line in gzip.decompress(out.read_bytes()).splitlines()]
    assert [r["id_str"] for r in kept] == [P1, P4, P6]  # KOFI suspended: the Retweet of his post left
    assert "quoted_status" not in kept[1] and kept[1]["quoted_status_id_str"] == P5


def test_comply_with_a_failed_job_writes_no_output(api: StandIn, data: Path, tmp_path: Path, instant: None) -> None:
    api.fate = "failed"
    result = comply(api, data, tmp_path / "clean.ndjson", "--fetch-results")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith("xformat comply: job ")
    assert "failed at X: nothing written" in result.stderr
    no_leftovers(tmp_path, "data.ndjson", "clean.ndjson.post-ids.txt")  # what was asked stays for audit


def test_comply_with_undecodable_records_runs_no_job(api: StandIn, data: Path, tmp_path: Path) -> None:
    with data.open("ab") as out:
        out.write(b'{"id_str": "1500000000000000009", "text": 7}\n')
    result = comply(api, data, tmp_path / "clean.ndjson", "--fetch-results")
    assert result.exit_code == 1 and "1 input record could not be decoded" in result.stderr
    assert api.requests == []
    no_leftovers(tmp_path, "data.ndjson")
