"""A news outlet on 127.0.0.1 for the fetching tests: feed, sitemap, robots.txt, pages and hostile answers."""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOutlet:
    """Serves ``routes``: path -> (status, headers, body) or a callable(handler) for special behaviour."""

    def __init__(self, address: str = "127.0.0.1", port: int = 0):
        self.routes: dict[str, object] = {}
        self.hits: list[tuple[str, dict]] = []
        outlet = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                outlet.hits.append((self.path, dict(self.headers)))
                route = outlet.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if callable(route):
                    route(self)
                    return
                status, headers, body = route
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer((address, port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://{self.server.server_address[0]}:{self.port}"

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def page(self, path: str, html: str, etag: str | None = None):
        if etag:
            self.conditional(path, html.encode("utf-8"), "text/html; charset=utf-8", etag)
        else:
            self.routes[path] = (200, {"Content-Type": "text/html; charset=utf-8"}, html.encode("utf-8"))

    def conditional(self, path: str, body: bytes, content_type: str, etag: str):
        """Serve ``body`` with an ETag, and 304 Not Modified to a request that sends it back."""

        def respond(handler):
            if handler.headers.get("If-None-Match") == etag:
                handler.send_response(304)
                handler.end_headers()
                return
            handler.send_response(200)
            handler.send_header("Content-Type", content_type)
            handler.send_header("ETag", etag)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        self.routes[path] = respond

    def xml(self, path: str, xml: str):
        self.routes[path] = (200, {"Content-Type": "application/xml"}, xml.encode("utf-8"))


def slow_drip(handler, seconds: float = 5.0):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            handler.wfile.write(b"<p>")
            handler.wfile.flush()
        except OSError:
            return
        time.sleep(0.2)


def drip_in_headers(handler, seconds: float = 60.0):
    """A status line, then one byte of an endless header every second: the headers never end."""
    handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Drip: ")
    _drip(handler, seconds)


def drip_in_body(handler, seconds: float = 60.0):
    """Headers at once, then one byte of body every second."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    _drip(handler, seconds)


def _drip(handler, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            handler.wfile.write(b"a")
            handler.wfile.flush()
        except OSError:  # the client gave up
            return
        time.sleep(1.0)
    handler.close_connection = True


def gzip_bomb(handler, size: int = 50 * 1024 * 1024):
    body = gzip.compress(b"\0" * size)
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Encoding", "gzip")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
