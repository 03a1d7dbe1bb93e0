"""A stand-in for X's batch compliance API and the storage behind its signed URLs, on 127.0.0.1.

It answers what the docs describe (``POST/GET /2/compliance/jobs``, ``GET /2/compliance/jobs/ID``,
a plain-text ``PUT`` to the job's ``upload_url``, a ``GET`` of its ``download_url``) in the shapes
real answers have, with synthetic ids and names. Like the real services it refuses a bad token
(401), a second job of a type while one runs, and a signed URL request that also carries an
``Authorization`` header (storage services accept one auth mechanism). A job's status moves on
as it is looked at: ``created`` until its ids arrive, then ``in_progress`` at the first look,
then its fate (``complete`` by default) after ``looks_to_finish`` looks.

Scenarios are set on the object: ``faults`` (answers forced once, in order, on matching
requests), ``fate``, ``conflict_status``, ``truncate``, ``upload_expired``, ``results_body``.
Every request is recorded in ``requests``.
"""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

JOBS = "/2/compliance/jobs"
RUNNING = ("created", "in_progress")
Answer = tuple[int, dict[str, str], bytes] | None
"""What the server answers: status, headers, body; None drops the connection."""


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    """Header names in lower case."""
    body: bytes


@dataclass
class Fault:
    """An answer forced once on the first request matching ``method`` and starting with ``path``."""

    method: str
    path: str
    status: int = 503
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b'{"title":"Service Unavailable","detail":"Service Unavailable","type":"about:blank","status":503}'
    drop: bool = False
    """Close the connection without an answer (a network error) instead."""
    skip: int = 0
    """Matching requests let through (answered as usual) before this one is forced."""


@dataclass
class StandInJob:
    id: str
    type: str
    name: str | None
    resumable: bool
    created: datetime
    signature: str
    status: str = "created"
    uploaded: bytes | None = None
    looks: int = 0

    def to_dict(self, base: str) -> dict[str, Any]:
        folder = "tweet-compliance" if self.type == "tweets" else "user-compliance"
        job: dict[str, Any] = {
            "download_url": f"{base}/storage/{folder}/{self.id}/delivery/{self.id}?X-Goog-Signature={self.signature}",
            "type": self.type,
            "resumable": self.resumable,
            "upload_expires_at": _stamp(self.created + timedelta(minutes=15)),
            "status": self.status,
            "download_expires_at": _stamp(self.created + timedelta(days=7)),
            "upload_url": f"{base}/storage/{folder}/{self.id}/submission/{self.id}?X-Goog-Signature={self.signature}",
            "id": self.id,
            "created_at": _stamp(self.created),
        }
        if self.name is not None:
            job["name"] = self.name
        return job


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _problem(status: int, title: str, detail: str, kind: str = "about:blank") -> bytes:
    return json.dumps({"title": title, "detail": detail, "type": kind, "status": status}).encode()


def _storage_error(code: str, message: str) -> bytes:
    xml = f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code><Message>{message}</Message></Error>"
    return xml.encode()


class StandIn:
    def __init__(self, token: str) -> None:
        self.token = token
        self.verdicts: dict[str, dict[str, str]] = {}
        """Result line of each id that needs action; served for the ids a job was given."""
        self.looks_to_finish = 2
        self.fate: Literal["complete", "failed", "expired"] = "complete"
        self.faults: list[Fault] = []
        self.conflict_status = 409
        self.truncate: Literal["length", "chunked"] | None = None
        self.truncations = 10**9
        """Downloads truncated before they are served whole."""
        self.upload_expired = False
        self.results_body: bytes | None = None
        """Served instead of the verdicts (a malformed results file)."""
        self.age = timedelta(0)
        """How long before now new jobs were created (8 days: their results have expired)."""
        self.requests: list[Seen] = []
        self.jobs: dict[str, StandInJob] = {}
        self._next_id = 1_700_000_000_000_000_001
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        # A short poll interval: shutdown() waits for the loop to notice it.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> StandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def add_job(self, job_type: str, status: str, name: str | None = None) -> StandInJob:
        with self._lock:
            return self._new_job(job_type, name, False, status)

    def _new_job(self, job_type: str, name: str | None, resumable: bool, status: str = "created") -> StandInJob:
        job_id = str(self._next_id)
        self._next_id += 1
        created = datetime.now(UTC).replace(microsecond=0) - self.age
        job = StandInJob(job_id, job_type, name, resumable, created, secrets.token_hex(8), status)
        self.jobs[job_id] = job
        return job

    def take_truncation(self) -> bool:
        """Whether this download is to be truncated (one fewer left if so)."""
        with self._lock:
            if self.truncate is None or self.truncations <= 0:
                return False
            self.truncations -= 1
            return True

    def seen(self, method: str, prefix: str) -> list[Seen]:
        return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    def answer(self, request: Seen) -> Answer:
        with self._lock:
            self.requests.append(request)
            for fault in self.faults:
                if fault.method == request.method and request.path.startswith(fault.path):
                    if fault.skip:
                        fault.skip -= 1
                        break
                    self.faults.remove(fault)
                    return None if fault.drop else (fault.status, fault.headers, fault.body)
            if request.path.startswith("/storage/"):
                return self._storage(request)
            if request.headers.get("authorization") != f"Bearer {self.token}":
                return 401, {}, _problem(401, "Unauthorized", "Unauthorized")
            if request.path == JOBS and request.method == "POST":
                return self._create(request)
            if request.path == JOBS and request.method == "GET":
                return self._list(request)
            if request.path.startswith(JOBS + "/") and request.method == "GET":
                return self._look(request.path[len(JOBS) + 1 :])
            return 404, {}, _problem(404, "Not Found", "Sorry, that page does not exist.")

    def _create(self, request: Seen) -> Answer:
        body = json.loads(request.body)
        if body.get("type") not in ("tweets", "users"):
            return 400, {}, _problem(400, "Invalid Request", "type must be tweets or users", "invalid-request")
        if any(j.type == body["type"] and j.status in RUNNING for j in self.jobs.values()):
            detail = "You cannot create a new job if one is already in progress."
            return self.conflict_status, {}, _problem(
                self.conflict_status, "Conflict", detail, "https://api.x.com/2/problems/conflict"
            )
        job = self._new_job(body["type"], body.get("name"), bool(body.get("resumable")))
        return 200, {}, json.dumps({"data": job.to_dict(self.url)}).encode()

    def _list(self, request: Seen) -> Answer:
        kind, status = request.query.get("type"), request.query.get("status")
        if kind not in ("tweets", "users"):
            detail = "The `type` query parameter is required."
            return 400, {}, _problem(400, "Invalid Request", detail, "invalid-request")
        found = [j.to_dict(self.url) for j in self.jobs.values() if j.type == kind and status in (None, j.status)]
        page: dict[str, Any] = {"meta": {"result_count": len(found)}}
        if found:
            page = {"data": found, **page}
        return 200, {}, json.dumps(page).encode()

    def _look(self, job_id: str) -> Answer:
        job = self.jobs.get(job_id)
        if job is None:
            return 404, {}, _problem(404, "Not Found Error", f"Could not find job with id: [{job_id}].")
        if job.uploaded is not None and job.status in RUNNING:
            job.looks += 1
            job.status = self.fate if job.looks >= self.looks_to_finish else "in_progress"
        return 200, {}, json.dumps({"data": job.to_dict(self.url)}).encode()

    def _storage(self, request: Seen) -> Answer:
        if "authorization" in request.headers:
            return 400, {}, _storage_error("InvalidArgument", "Only one auth mechanism allowed")
        parts = request.path.split("/")  # /storage/<folder>/<id>/<submission|delivery>/<id>
        job = self.jobs.get(parts[3]) if len(parts) == 6 else None
        if job is None or request.query.get("X-Goog-Signature") != job.signature:
            return 403, {}, _storage_error("SignatureDoesNotMatch", "Access denied.")
        if parts[4] == "submission" and request.method == "PUT":
            if self.upload_expired:
                return 400, {}, _storage_error("ExpiredToken", "Invalid argument.")
            if request.headers.get("content-type") != "text/plain":
                return 403, {}, _storage_error("SignatureDoesNotMatch", "Content-Type is signed as text/plain.")
            job.uploaded = request.body
            return 200, {}, b""
        if parts[4] == "delivery" and request.method == "GET":
            if job.status != "complete":
                return 404, {}, _storage_error("NoSuchKey", "The specified key does not exist.")
            return 200, {"Content-Type": "application/octet-stream"}, self._results(job)
        return 405, {}, _storage_error("MethodNotAllowed", "Not allowed.")

    def _results(self, job: StandInJob) -> bytes:
        if self.results_body is not None:
            return self.results_body
        ids = (job.uploaded or b"").decode().split()
        return "".join(json.dumps(self.verdicts[i]) + "\n" for i in ids if i in self.verdicts).encode()


def _handler(stand_in: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body leave as written, not 40 ms later

        def log_message(self, format: str, *args: Any) -> None:
            pass  # tests read the request log, not stderr

        def _serve(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            headers = {k.lower(): v for k, v in self.headers.items()}
            request = Seen(self.command, url.path, query, headers, body)
            answer = stand_in.answer(request)
            if answer is None:
                self.close_connection = True
                return
            status, extra, payload = answer
            truncating = "/delivery/" in url.path and status == 200 and stand_in.take_truncation()
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            if payload and "Content-Type" not in extra:
                self.send_header("Content-Type", "application/xml" if payload.startswith(b"<") else "application/json")
            if truncating and stand_in.truncate == "chunked":
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                half = payload[: len(payload) // 2]
                self.wfile.write(f"{len(half):x}\r\n".encode() + half + b"\r\n")  # and no last chunk
                self.wfile.flush()
                self.close_connection = True
                return
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if truncating:
                self.wfile.write(payload[: len(payload) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_HEAD = _serve

    return Handler


def rate_limited(reset: float) -> Fault:
    """A 429 whose limit resets at the epoch second ``reset``."""
    return Fault(
        "GET",
        JOBS,
        429,
        {"x-rate-limit-limit": "150", "x-rate-limit-remaining": "0", "x-rate-limit-reset": str(int(reset))},
        _problem(429, "Too Many Requests", "Too Many Requests"),
    )

