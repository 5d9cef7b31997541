"""A polite, defensive HTTP fetcher for outlet feeds, sitemaps and article pages.

Polite: robots.txt is obeyed, each host gets at most one request per
``min_interval`` seconds, 429 and 5xx are retried with backoff (honouring
Retry-After), and pages already seen are asked for conditionally (ETag,
Last-Modified). Defensive: every URL, redirects included, passes the guard
in ``urls``; bodies are read in small chunks with caps on bytes on the wire,
bytes after decompression (gzip bombs) and total time (slow drips); a wrong
content type or a redirect loop is a rejection with a reason, never a crash.
"""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import urllib3

from .urls import Resolver, refusal_reason, system_resolver

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml")


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = "film-news-pipeline/0.1 (news research crawler; contact: data-team@film-news.invalid)"
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # whole request, so a server dripping a byte a second is cut off
    max_bytes: int = 5 * 1024 * 1024  # on the wire
    max_decoded_bytes: int = 20 * 1024 * 1024  # after gzip/deflate
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 1.0  # seconds, doubled per retry
    max_retry_after: float = 60.0
    min_interval: float = 2.0  # seconds between two requests to one host
    allow_loopback: bool = False  # tests against a server on 127.0.0.1 only


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


@dataclass
class PoliteFetcher:
    allowed_hosts: Iterable[str]
    settings: FetchSettings = field(default_factory=FetchSettings)
    resolve: Resolver = system_resolver
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self):
        self.allowed_hosts = list(self.allowed_hosts)
        self._pool = urllib3.PoolManager(retries=False, maxsize=4)
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self.requests_made = 0

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
        seen = []
        current = url
        for _ in range(self.settings.max_redirects + 1):
            reason = refusal_reason(current, self.allowed_hosts, self.resolve, self.settings.allow_loopback)
            if reason:
                raise Rejected(reason)
            if current in seen:
                raise Rejected(f"redirect loop at {current}")
            seen.append(current)
            result = self._get_with_retries(current, accept, etag, last_modified, strict_type, robots)
            if result.http_status in (301, 302, 303, 307, 308):
                current = urljoin(current, result.final_url or "")
                continue
            result.url = url
            result.final_url = current
            return result
        raise Rejected(f"more than {self.settings.max_redirects} redirects")

    def _get_with_retries(self, url, accept, etag, last_modified, strict_type, robots) -> FetchResult:
        attempt = 0
        while True:
            self._wait_for_host(url)
            result = self._get_once(url, accept, etag, last_modified, strict_type, robots)
            retryable = result.http_status == 429 or (result.http_status or 0) >= 500
            if not retryable or attempt >= self.settings.retries:
                if retryable:
                    raise Rejected(f"HTTP {result.http_status} after {attempt + 1} attempts; try again later")
                return result
            delay = self.settings.backoff * (2 ** attempt)
            retry_after = result.reason if result.reason and result.reason.startswith("retry-after:") else None
            if retry_after:
                delay = max(delay, min(self._retry_after_seconds(retry_after.split(":", 1)[1]), self.settings.max_retry_after))
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

    def _get_once(self, url, accept, etag, last_modified, strict_type, robots) -> FetchResult:
        headers = {"User-Agent": self.settings.user_agent, "Accept-Encoding": "gzip, deflate",
                   "Accept": ", ".join(accept) + ", */*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = self.clock()
        self.requests_made += 1
        try:
            response = self._pool.request(
                "GET", url, headers=headers, redirect=False, preload_content=False, decode_content=False,
                timeout=urllib3.Timeout(connect=self.settings.connect_timeout, read=self.settings.read_timeout),
            )
        except urllib3.exceptions.HTTPError as error:
            raise Rejected(f"request failed: {type(error).__name__}: {error}") from None
        try:
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
            body = self._read_capped(response, started)
            return FetchResult(url, "fetched", http_status=200, content=body, content_type=content_type,
                               etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"))
        finally:
            response.release_conn()

    def _read_capped(self, response, started: float) -> bytes:
        decoder = _decoder_for(response.headers.get("Content-Encoding"))
        wire = 0
        chunks: list[bytes] = []
        decoded = 0
        while True:
            if self.clock() - started > self.settings.total_timeout:
                raise Rejected(f"the page took over {self.settings.total_timeout:.0f} s to arrive (slow drip)")
            try:
                chunk = response.read(8192)
            except urllib3.exceptions.HTTPError as error:
                raise Rejected(f"reading the body failed: {type(error).__name__}") from None
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
