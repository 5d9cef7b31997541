"""Article extraction in a worker process, each file under a time budget.

Files are extracted inside the ingest transaction, which holds the warehouse's write
lock, and fetched pages while gathering; what extraction costs depends on the page,
and a hostile page can keep trafilatura's tree passes busy for minutes. Only a
process can be stopped whatever it is doing (in lxml's C code no signal handler or
thread gets a say), so extraction runs in a worker process: a file that is not done
within its budget has its worker killed (a new one takes its place), is rejected
with that reason, and the run goes on.

The worker is spawned, not forked: it inherits no thread or lock of Dagster's and
has nothing to do with the NLP stage's fork server. It starts once per process, on
first use, with trafilatura and the language model loaded before any budget runs,
and serves every file after that, so the normal cost of a file rises by one round
trip between processes.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading

from pebble import ProcessExpired, ProcessPool

from .cleaning import CleanArticle, ExtractionSettings, extract_article, extract_html_article, warm_up
from .errors import DocumentRejected
from .reading import SourceDocument

_pool: ProcessPool | None = None
_pool_pid: int | None = None
_pool_lock = threading.Lock()


def _worker_pool() -> ProcessPool:
    global _pool, _pool_pid
    with _pool_lock:
        # A pool belongs to the process that started it: a forked child starts its own.
        if _pool is None or _pool_pid != os.getpid():
            _pool = ProcessPool(max_workers=1, initializer=warm_up, context=multiprocessing.get_context("spawn"))
            _pool_pid = os.getpid()
        return _pool


def stop_worker() -> None:
    """Stop the extraction worker, if this process started one (a later extraction starts another)."""
    global _pool
    with _pool_lock:
        if _pool is not None and _pool_pid == os.getpid():
            _pool.stop()
            _pool.join()
        _pool = None


atexit.register(stop_worker)


def _within_budget(function, argument, settings: ExtractionSettings) -> CleanArticle:
    future = _worker_pool().schedule(function, args=(argument, settings), timeout=settings.time_budget_seconds)
    try:
        return future.result()
    except TimeoutError:
        raise DocumentRejected(
            "extract",
            f"extracting the article took longer than {settings.time_budget_seconds:g} s, the budget of one file "
            "(a news page takes well under a second): the page is built to be slow or is not an article page; "
            "save the article page again, or leave the file out of the landing folder",
        ) from None
    except ProcessExpired as crash:
        raise DocumentRejected(
            "extract",
            f"the extractor process died on this page (exit code {crash.exitcode}; out of memory?); "
            "save the article page again, or leave the file out of the landing folder",
        ) from None


def extract_article_within_budget(document: SourceDocument, settings: ExtractionSettings = ExtractionSettings()) -> CleanArticle:
    """``extract_article`` in the worker, given ``settings.time_budget_seconds`` at most."""
    return _within_budget(extract_article, document, settings)


def extract_html_article_within_budget(html: bytes, settings: ExtractionSettings = ExtractionSettings()) -> CleanArticle:
    """``extract_html_article`` in the worker, given ``settings.time_budget_seconds`` at most."""
    return _within_budget(extract_html_article, html, settings)
