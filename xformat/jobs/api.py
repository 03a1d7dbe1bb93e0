"""The X API and the storage behind a job's signed URLs, over HTTP: the token, retries, rate limits.

Only requests to the API carry the bearer token. The upload and download URLs a job hands out
are pre-signed: their query string is the credential, and storage services refuse a request
that brings a second one (an ``Authorization`` header), so those requests go bare. Neither the
token nor a signed query string ever appears in a message: URLs are not quoted, and text that
comes back from a server is cleaned of both before it is shown.

Retries are all bounded. A ``429`` waits until ``x-rate-limit-reset`` (epoch seconds); network
errors, ``5xx`` answers and broken downloads are tried again after a doubling delay. Creating a
job is not repeated after a network error that may have happened once the request was sent:
the job may exist, and a second would be refused anyway (one job per type at a time).
"""

from __future__ import annotations

import ipaddress
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar
from urllib.parse import urlsplit

import httpx
import msgspec

from xformat.errors import UsageError
from xformat.jobs.errors import AuthError, JobConflict, JobError, JobFailed, TruncatedDownload

DEFAULT_API = "https://api.x.com"
TOKEN_VARIABLE = "X_BEARER_TOKEN"
HTTP_TIMEOUT = httpx.Timeout(60.0, connect=15.0)
"""Per network operation (connect, each read, each write), not per request: a large result file
streams for as long as bytes keep coming."""

_SHOWN = 300  # characters of a server's error text that a message quotes
T = TypeVar("T")


@dataclass(frozen=True, repr=False)
class Token:
    """A bearer token and where it came from; only ``source`` is ever shown."""

    value: str
    source: str
    """``$X_BEARER_TOKEN`` or ``the bearer token file PATH``: what a message names."""

    def __repr__(self) -> str:
        return f"Token(from {self.source})"


def token_from(file: str | None = None, environ: Mapping[str, str] = os.environ) -> Token:
    """The token in ``file`` if named, else in ``$X_BEARER_TOKEN``."""
    if file is not None:
        source = f"the bearer token file {file}"
        try:
            value = Path(file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise UsageError(f"cannot read {source}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{source} is not UTF-8 text") from None
    else:
        source = f"${TOKEN_VARIABLE}"
        value = environ.get(TOKEN_VARIABLE, "").strip()
        if not value:
            raise UsageError(f"no bearer token: set {TOKEN_VARIABLE}, or name a file holding it (--bearer-token-file)")
    if not value:
        raise UsageError(f"{source} is empty")
    if not value.isascii() or not value.isprintable() or any(c.isspace() for c in value):
        raise UsageError(f"{source} does not hold one token (spaces, control or non-ASCII characters)")
    return Token(value, source)


def api_base(url: str) -> str:
    """``url`` as the base of API requests, refused if it would send the token in clear text."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UsageError(f"--api-base {url}: not an http(s) URL")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise UsageError(f"--api-base {url}: the token goes over https only (plain http to the loopback interface)")
    if parts.query or parts.fragment:
        raise UsageError(f"--api-base {url}: a base takes no query or fragment")
    return url.rstrip("/")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Clock:
    """Time as the client sees it: wall time for rate limit resets, monotonic time for waits."""

    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass(frozen=True)
class Retry:
    """How often, and after how long, a request is tried again."""

    attempts: int = 5
    """Tries of one request (the first included) through network errors, 5xx and broken downloads."""
    first_delay: float = 1.0
    max_delay: float = 30.0
    rate_limited: int = 5
    """429 answers in a row that are waited out; one more is an error."""
    max_rate_wait: float = 15 * 60 + 5
    """The longest wait for a rate limit reset: X counts its limits in 15-minute windows."""
    rate_margin: float = 1.0
    """Seconds waited past the reset: it is given in whole seconds, and clocks differ."""


class _Retryable(Exception):
    """One try failed in a way another may not: a message, and the error to raise at the end."""

    def __init__(self, message: str, final: type[JobError] = JobError) -> None:
        super().__init__(message)
        self.final = final


class _RateLimited(Exception):
    def __init__(self, reset: str | None) -> None:
        super().__init__(reset)
        self.reset = reset


class _ProblemError(msgspec.Struct):
    message: str | None = None
    detail: str | None = None


class _Problem(msgspec.Struct):
    """What the API says about a refusal (its problem documents, and the older ``errors`` list)."""

    title: str | None = None
    detail: str | None = None
    type: str | None = None
    errors: list[_ProblemError] | None = None


class Api:
    """Requests to the API (with the token) and to the storage of signed URLs (without it)."""

    def __init__(
        self,
        client: httpx.Client,
        token: Token,
        *,
        base: str = DEFAULT_API,
        clock: Clock | None = None,
        retry: Retry | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        self.client = client
        self.token = token
        self.base = api_base(base)
        self.clock = clock or Clock()
        self.retry = retry or Retry()
        self.notify = notify or (lambda message: None)

    def call(
        self,
        what: str,
        method: str,
        path: str,
        into: type[T],
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        on_conflict: str | None = None,
    ) -> T:
        """The API's answer to one request, decoded ``into`` its type. ``what`` names the request
        in messages; ``on_conflict`` is what to say when the API refuses it as a conflict."""

        def attempt() -> T:
            try:
                response = self.client.request(
                    method,
                    self.base + path,
                    params=params,
                    content=msgspec.json.encode(body) if body is not None else None,
                    headers={
                        "Authorization": f"Bearer {self.token.value}",
                        **({"Content-Type": "application/json"} if body is not None else {}),
                    },
                )
            except httpx.TransportError as exc:
                # Once the request may have reached the server, only a repeatable one is repeated.
                if method in ("GET", "PUT") or isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
                    raise _Retryable(self._network(exc)) from None
                raise JobError(
                    f"{what}: {self._network(exc)}; the API may have done it all the same "
                    "(xformat compliance-job list shows the jobs)"
                ) from None
            if response.status_code == 429:
                raise _RateLimited(response.headers.get("x-rate-limit-reset"))
            if response.status_code >= 500:
                raise _Retryable(f"the API answered {self._status(response)}")
            if response.status_code in (401, 403):
                raise AuthError(
                    f"{what}: the API refused the bearer token from {self.token.source} "
                    f"({self._status(response)}{self._problem(response)})"
                )
            if on_conflict is not None and self._is_conflict(response):
                raise JobConflict(f"{on_conflict} ({self._status(response)}{self._problem(response)})")
            if not response.is_success:
                raise JobError(f"{what}: the API answered {self._status(response)}{self._problem(response)}")
            try:
                return msgspec.json.decode(response.content, type=into)
            except msgspec.DecodeError as exc:
                raise JobError(f"{what}: unexpected answer from the API: {self._clean(str(exc))}") from None

        return self._tries(what, attempt)

    def put_text(self, what: str, url: str, data: bytes, refused: str) -> None:
        """Uploads ``data`` as plain text to a signed URL; ``refused`` explains a 4xx."""

        def attempt() -> None:
            try:
                response = self.client.put(url, content=data, headers={"Content-Type": "text/plain"})
            except httpx.TransportError as exc:
                raise _Retryable(self._network(exc)) from None
            self._storage_status(what, response, refused)

        self._tries(what, attempt)

    def download(self, what: str, url: str, sink: IO[bytes], refused: str) -> int:
        """Writes what a signed URL serves to ``sink`` (emptied first: every try starts over) and
        returns its size. A body shorter than its ``Content-Length``, or one whose stream breaks
        off, is tried again, and at the end raises ``TruncatedDownload``."""

        def attempt() -> int:
            sink.seek(0)
            sink.truncate()
            expected: str | None = None
            try:
                with self.client.stream("GET", url) as response:
                    if not response.is_success:
                        response.read()
                        self._storage_status(what, response, refused)
                    expected = response.headers.get("content-length")
                    for chunk in response.iter_bytes():
                        sink.write(chunk)
                    received = response.num_bytes_downloaded  # as sent: Content-Length counts encoded bytes
            except (httpx.TransportError, httpx.DecodingError) as exc:
                if sink.tell():
                    raise _Retryable(f"the download broke off: {self._network(exc)}", TruncatedDownload) from None
                raise _Retryable(self._network(exc)) from None
            if expected is not None and expected.isdigit() and received != int(expected):
                truncated = f"the download is truncated: {received:,} of {int(expected):,} bytes"
                raise _Retryable(truncated, TruncatedDownload)
            return sink.tell()

        return self._tries(what, attempt)

    def _tries(self, what: str, attempt: Callable[[], T]) -> T:
        failures = limited = 0
        while True:
            try:
                return attempt()
            except _RateLimited as exc:
                limited += 1
                if limited > self.retry.rate_limited:
                    raise JobError(f"{what}: still rate limited (429) after {limited - 1} waits") from None
                wait = self._until_reset(exc.reset)
                self.notify(f"{what}: rate limited (429); waiting {wait:,.0f} s for the limit to reset")
                self.clock.sleep(wait)
            except _Retryable as exc:
                failures += 1
                if failures >= self.retry.attempts:
                    raise exc.final(f"{what}: {exc} (tried {failures} times)") from None
                delay = min(self.retry.first_delay * 2 ** (failures - 1), self.retry.max_delay)
                self.notify(f"{what}: {exc}; trying again in {delay:g} s")
                self.clock.sleep(delay)

    def _until_reset(self, reset: str | None) -> float:
        """Seconds until the epoch second ``reset``, and a margin; the longest delay without one."""
        try:
            seconds = float(reset) - self.clock.time() if reset is not None else None
        except ValueError:
            seconds = None
        if seconds is None:
            return self.retry.max_delay
        return min(max(seconds, 0.0) + self.retry.rate_margin, self.retry.max_rate_wait)

    def _storage_status(self, what: str, response: httpx.Response, refused: str) -> None:
        if response.is_success:
            return
        if response.status_code == 429 or response.status_code >= 500:
            raise _Retryable(f"the storage answered {self._status(response)}")
        code = re.search(r"<Code>([^<]{1,100})</Code>", response.text)  # S3 and Cloud Storage errors are XML
        said = f" {self._clean(code.group(1))}" if code else ""
        raise JobFailed(f"{what}: the storage refused it ({self._status(response)}{said}); {refused}")

    @staticmethod
    def _is_conflict(response: httpx.Response) -> bool:
        # One job per type at a time; how the API says so is not in the batch compliance docs we
        # hold: a 409, a problem typed ".../conflict", or a 400 whose text says a job is running.
        if response.status_code == 409:
            return True
        if response.status_code != 400:
            return False
        problem = _decode_problem(response)
        if problem.type is not None and problem.type.rstrip("/").endswith("/conflict"):
            return True
        text = " ".join([problem.title or "", problem.detail or "", *(e.message or "" for e in problem.errors or [])])
        return bool(re.search(r"already|in progress|concurrent", text, re.IGNORECASE))

    def _problem(self, response: httpx.Response) -> str:
        problem = _decode_problem(response)
        said = [e.message or e.detail or "" for e in problem.errors or []]
        said = [problem.detail or problem.title or "", *said]
        text = "; ".join(dict.fromkeys(s for s in said if s))
        return f": {self._clean(text)}" if text else ""

    def _network(self, exc: Exception) -> str:
        return f"network error ({type(exc).__name__}: {self._clean(str(exc)) or 'no detail'})"

    @staticmethod
    def _status(response: httpx.Response) -> str:
        return f"{response.status_code} {response.reason_phrase}".rstrip()

    def _clean(self, text: str) -> str:
        """Server text fit for one line of a message: no token, no signed query, not too long."""
        text = text.replace(self.token.value, "[token]")
        text = re.sub(r"(https?://[^\s?#]+)[?#]\S*", r"\1?[signed]", text)
        text = " ".join(text.split())
        return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _decode_problem(response: httpx.Response) -> _Problem:
    try:
        return msgspec.json.decode(response.content, type=_Problem)
    except msgspec.DecodeError:
        return _Problem()
