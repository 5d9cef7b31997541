"""A polite, defensive HTTP fetcher for outlet feeds, sitemaps and article pages.

Polite: robots.txt is obeyed, each host gets at most one request per
``min_interval`` seconds, 429 and 5xx are retried with backoff (honouring
Retry-After), and pages already seen are asked for conditionally (ETag,
Last-Modified). Defensive: every URL, redirects included, passes the guard
in ``urls``, and the connection goes to the address the guard checked (a
second DNS answer is never asked for); each URL has a wall-clock deadline
covering connecting, headers and body, enforced by closing the socket, so a
server dripping a byte a second is cut off at the deadline; each fetcher
(one outlet, one run) has a budget of requests; bodies are capped in bytes
on the wire and after decompression (gzip bombs). A wrong content type or a
redirect loop is a rejection with a reason, never a crash.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from .urls import Resolver, UrlRefused, checked_addresses, system_resolver

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml")


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = "film-news-pipeline/0.1 (news research crawler; contact: data-team@film-news.invalid)"
    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # of one read; the deadline below bounds them all together
    # Wall-clock seconds for one URL: connecting, headers and body, its redirects, retries and waits.
    deadline_per_url: float = 30.0
    # Per fetcher, i.e. per outlet and run: requests (robots.txt, feeds, sitemaps, pages, retries, redirects),
    # and wall-clock seconds, after which no request is started (the one under way keeps its own deadline).
    max_requests: int = 400
    max_seconds: float = 600.0
    max_bytes: int = 5 * 1024 * 1024  # on the wire
    max_decoded_bytes: int = 20 * 1024 * 1024  # after gzip/deflate
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 1.0  # seconds, doubled per retry
    max_retry_after: float = 60.0
    min_interval: float = 2.0  # seconds between two requests to one host
    allow_private_address: bool = False  # an outlet's opt-in, for a local or staging server


@dataclass
class FetchResult:
    url: str
    status: str  # fetched | not_modified | rejected
    final_url: str | None = None
    http_status: int | None = None
    content: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    reason: str | None = None


class Rejected(Exception):
    pass


class BudgetSpent(Rejected):
    """The fetcher made as many requests as it may in one run."""


class _Deadline:
    """Shuts a URL's sockets down when its time is up, whatever the connection is waiting for.

    Socket timeouts bound one read each, so a server sending a byte every second (in the
    headers, the TLS handshake or the body) never trips them; a timer that shuts the socket
    does, and the blocked read returns at once. The deadline keeps a duplicate of each
    socket's descriptor: shutting it stops the connection however the HTTP client has
    wrapped or handed on the socket (TLS, a response that outlives its connection), and the
    number cannot be reused by another file before ``cancel`` closes it.
    """

    def __init__(self, expires_at: float, clock: Callable[[], float]):
        self.expires_at = expires_at
        self._clock = clock
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.expired = False
        self._timer = threading.Timer(max(0.0, expires_at - clock()), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return self.expires_at - self._clock()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                raise TimeoutError("the deadline passed while connecting")
            self._sockets.append(sock.dup())

    def cancel(self) -> None:
        self._timer.cancel()
        with self._lock:
            for duplicate in self._sockets:
                duplicate.close()
            self._sockets.clear()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for duplicate in self._sockets:
                try:
                    duplicate.shutdown(socket.SHUT_RDWR)
                except OSError:  # already closed by the other end
                    pass


class _PinnedConnectionMixin:
    """A connection to the addresses the guard checked, not to what the name resolves to now.

    The Host header, TLS SNI and certificate check still use the URL's host name.
    """

    def __init__(self, *args, pinned_addresses: list[str], deadline: _Deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self._pinned_addresses = pinned_addresses
        self._deadline = deadline

    def _new_conn(self) -> socket.socket:
        failure: OSError | None = None
        for address in self._pinned_addresses:
            timeout = min(self.timeout, self._deadline.remaining()) if isinstance(self.timeout, (int, float)) else (
                self._deadline.remaining())
            if timeout <= 0:
                raise ConnectTimeoutError(self, "the deadline passed before a connection was made")
            try:
                sock = socket.create_connection((address, self.port), timeout=timeout)
            except OSError as error:
                failure = error
                continue
            try:
                self._deadline.watch(sock)
            except TimeoutError as error:
                sock.close()
                raise ConnectTimeoutError(self, str(error)) from None
            return sock
        if isinstance(failure, TimeoutError):
            raise ConnectTimeoutError(self, f"connecting to {self.host} ({', '.join(self._pinned_addresses)}) timed out")
        raise NewConnectionError(self, f"could not connect to {self.host} ({', '.join(self._pinned_addresses)}): {failure}")


class _PinnedHTTPConnection(_PinnedConnectionMixin, HTTPConnection):
    pass


class _PinnedHTTPSConnection(_PinnedConnectionMixin, HTTPSConnection):
    pass


class _PinnedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PinnedHTTPConnection


class _PinnedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PinnedHTTPSConnection


@dataclass
class PoliteFetcher:
    allowed_hosts: Iterable[str]
    settings: FetchSettings = field(default_factory=FetchSettings)
    resolve: Resolver = system_resolver
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self):
        self.allowed_hosts = list(self.allowed_hosts)
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self.requests_made = 0
        self._started = self.clock()

    @property
    def budget_spent(self) -> bool:
        return (self.requests_made >= self.settings.max_requests
                or self.clock() - self._started >= self.settings.max_seconds)

    def budget_description(self) -> str:
        return f"{self.settings.max_requests} requests and {self.settings.max_seconds:.0f} seconds per outlet and run"

    # -------------------------------------------------------------- public

    def fetch(self, url: str, accept: tuple[str, ...] = HTML_TYPES, etag: str | None = None,
              last_modified: str | None = None, check_robots: bool = True) -> FetchResult:
        try:
            if check_robots and not self.allowed_by_robots(url):
                raise Rejected("robots.txt disallows this URL for our user agent")
            return self._fetch_following_redirects(url, accept, etag, last_modified)
        except Rejected as rejection:
            return FetchResult(url=url, status="rejected", reason=str(rejection))

    def allowed_by_robots(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            result = self._fetch_following_redirects(origin + "/robots.txt", ("text/plain",), None, None, strict_type=False,
                                                     robots=True)
            if result.status == "fetched" and result.http_status == 200:
                parser = urllib.robotparser.RobotFileParser()
                parser.parse((result.content or b"").decode("utf-8", "replace").splitlines())
                self._robots[origin] = parser
            elif result.http_status is not None and 400 <= result.http_status < 500:
                self._robots[origin] = None  # no robots.txt: everything allowed (RFC 9309, 2.3.1.3)
            else:
                raise Rejected(f"robots.txt of {origin} could not be read ({result.reason}); not fetching until it can")
        parser = self._robots[origin]
        return parser is None or parser.can_fetch(self.settings.user_agent, url)

    # ------------------------------------------------------------ internal

    def _fetch_following_redirects(self, url, accept, etag, last_modified, strict_type=True, robots=False) -> FetchResult:
        deadline_at = self.clock() + self.settings.deadline_per_url
        seen = []
        current = url
        for _ in range(self.settings.max_redirects + 1):
            try:
                addresses = checked_addresses(current, self.allowed_hosts, self.resolve, self.settings.allow_private_address)
            except UrlRefused as refusal:
                raise Rejected(str(refusal)) from None
            if current in seen:
                raise Rejected(f"redirect loop at {current}")
            seen.append(current)
            result = self._get_with_retries(current, addresses, deadline_at, accept, etag, last_modified, strict_type, robots)
            if result.http_status in (301, 302, 303, 307, 308):
                current = urljoin(current, result.final_url or "")
                continue
            result.url = url
            result.final_url = current
            return result
        raise Rejected(f"more than {self.settings.max_redirects} redirects")

    def _get_with_retries(self, url, addresses, deadline_at, accept, etag, last_modified, strict_type, robots) -> FetchResult:
        attempt = 0
        while True:
            self._wait_for_host(url)
            result = self._get_once(url, addresses, deadline_at, accept, etag, last_modified, strict_type, robots)
            retryable = result.http_status == 429 or (result.http_status or 0) >= 500
            if not retryable or attempt >= self.settings.retries:
                if retryable:
                    raise Rejected(f"HTTP {result.http_status} after {attempt + 1} attempts; try again later")
                return result
            delay = self.settings.backoff * (2 ** attempt)
            retry_after = result.reason if result.reason and result.reason.startswith("retry-after:") else None
            if retry_after:
                delay = max(delay, min(self._retry_after_seconds(retry_after.split(":", 1)[1]), self.settings.max_retry_after))
            if self.clock() + delay >= deadline_at:
                raise Rejected(f"HTTP {result.http_status}, and waiting {delay:.0f} s to try again would pass the "
                               f"{self.settings.deadline_per_url:.0f}-second deadline of a URL; the next run tries again")
            self.sleep(delay)
            attempt += 1

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc
        last = self._last_request.get(host)
        if last is not None:
            wait = self.settings.min_interval - (self.clock() - last)
            if wait > 0:
                self.sleep(wait)
        self._last_request[host] = self.clock()

    def _deadline_passed(self) -> Rejected:
        return Rejected(f"gave up at the {self.settings.deadline_per_url:.0f}-second deadline of a URL (connecting, "
                        "headers and body): the server is too slow or drips its answer")

    def _get_once(self, url, addresses, deadline_at, accept, etag, last_modified, strict_type, robots) -> FetchResult:
        if self.budget_spent:
            raise BudgetSpent(f"the budget of {self.budget_description()} is spent; the next run tries again")
        if self.clock() >= deadline_at:
            raise self._deadline_passed()
        headers = {"User-Agent": self.settings.user_agent, "Accept-Encoding": "gzip, deflate",
                   "Accept": ", ".join(accept) + ", */*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self.requests_made += 1
        parts = urlsplit(url)
        deadline = _Deadline(deadline_at, self.clock)
        pool_class = _PinnedHTTPSPool if parts.scheme == "https" else _PinnedHTTPPool
        pool = pool_class(parts.hostname, parts.port, maxsize=1, retries=False,
                          timeout=urllib3.Timeout(connect=self.settings.connect_timeout, read=self.settings.read_timeout),
                          pinned_addresses=addresses, deadline=deadline)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        response = None
        try:
            try:
                response = pool.urlopen("GET", target, headers=headers, redirect=False, retries=False,
                                        preload_content=False, decode_content=False, assert_same_host=False)
            except urllib3.exceptions.HTTPError as error:
                if deadline.expired:
                    raise self._deadline_passed() from None
                raise Rejected(f"request failed: {type(error).__name__}: {error}") from None
            return self._read_response(url, response, deadline, accept, etag, last_modified, strict_type, robots)
        finally:
            deadline.cancel()
            if response is not None:
                response.release_conn()
            pool.close()

    def _read_response(self, url, response, deadline, accept, etag, last_modified, strict_type, robots) -> FetchResult:
        status = response.status
        if status in (301, 302, 303, 307, 308):
            return FetchResult(url, "redirect", final_url=response.headers.get("Location", ""), http_status=status)
        if status == 304:
            return FetchResult(url, "not_modified", http_status=304, etag=etag, last_modified=last_modified)
        if status == 429 or status >= 500:
            retry_after = response.headers.get("Retry-After")
            return FetchResult(url, "retry", http_status=status, reason=f"retry-after:{retry_after}" if retry_after else None)
        if status != 200:
            if robots:
                return FetchResult(url, "rejected", http_status=status, reason=f"HTTP {status}")
            raise Rejected(f"HTTP {status}")
        content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if strict_type and content_type not in accept:
            raise Rejected(f"unexpected content type {content_type or 'none'} (wanted {', '.join(accept)})")
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.settings.max_bytes:
            raise Rejected(f"declared size {int(declared)} bytes is over the {self.settings.max_bytes}-byte limit")
        body = self._read_capped(response, deadline)
        return FetchResult(url, "fetched", http_status=200, content=body, content_type=content_type,
                           etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"))

    def _read_capped(self, response, deadline: _Deadline) -> bytes:
        decoder = _decoder_for(response.headers.get("Content-Encoding"))
        wire = 0
        chunks: list[bytes] = []
        decoded = 0
        while True:
            try:
                chunk = response.read(8192)
            except (urllib3.exceptions.HTTPError, OSError) as error:
                if deadline.expired:
                    raise self._deadline_passed() from None
                raise Rejected(f"reading the body failed: {type(error).__name__}") from None
            # A socket shut at the deadline reads as the end of the body: the page is cut, not complete.
            if deadline.expired:
                raise self._deadline_passed()
            if not chunk:
                break
            wire += len(chunk)
            if wire > self.settings.max_bytes:
                raise Rejected(f"the page is over the {self.settings.max_bytes}-byte limit")
            data = decoder(chunk, self.settings.max_decoded_bytes - decoded + 1)
            decoded += len(data)
            if decoded > self.settings.max_decoded_bytes:
                raise Rejected(f"the page decompresses to over {self.settings.max_decoded_bytes} bytes (a compression bomb?)")
            chunks.append(data)
        return b"".join(chunks)

    @staticmethod
    def _retry_after_seconds(value: str) -> float:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return 0.0


def _decoder_for(encoding: str | None):
    import zlib

    encoding = (encoding or "").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decompressor = zlib.decompressobj()
    else:
        return lambda chunk, limit: chunk

    def decode(chunk: bytes, limit: int) -> bytes:
        # max_length bounds what one small chunk may expand to.
        out = decompressor.decompress(chunk, max(1, limit))
        if decompressor.unconsumed_tail:
            return out + b"\0" * limit  # more than the limit is waiting: over the cap
        return out

    return decode
