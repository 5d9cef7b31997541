"""Resources: the DuckDB warehouse and the landing folder, configured from the environment.

``FILM_NEWS_DB`` and ``FILM_NEWS_LANDING`` set them for the UI, the schedule
and the sensor; the command line passes its own ``--db`` and ``--input``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
from dagster import ConfigurableResource, InitResourceContext
from pydantic import PrivateAttr

from . import warehouse
from .core.nlp import DEFAULT_SPACY_MODEL, spacy_model_from_env  # noqa: F401 (the project's settings, in one place)
from .core.reading import SourceFile, discover_source_files

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_PATH = PROJECT_ROOT / "data" / "film_news.duckdb"
DEFAULT_LANDING_PATH = PROJECT_ROOT / "data" / "raw"
DEFAULT_OUTLETS_PATH = PROJECT_ROOT / "outlets.yaml"
DEFAULT_WARC_FOLDER = PROJECT_ROOT / "data" / "warc"


def database_path_from_env() -> str:
    return os.environ.get("FILM_NEWS_DB") or str(DEFAULT_DATABASE_PATH)


def landing_path_from_env() -> str:
    return os.environ.get("FILM_NEWS_LANDING") or str(DEFAULT_LANDING_PATH)


class DuckDBWarehouse(ConfigurableResource):
    """The DuckDB file every asset writes through, one connection per materialization.

    A run holds the warehouse from its first connection to its end (``warehouse.holding_the_run_lock``):
    a second run of the same file, started from the UI, the schedule or the command line, waits for it
    rather than interleaving its steps with it. Gathering (outlets, archives: one run per archive in a
    backfill) connects with ``for_the_run=False``: it holds the file only to look up and record what it
    gathered, never while a server answers or an archive is read, and its runs can run side by side.
    """

    database_path: str
    # How long a run waits for another run of the same file to end before it gives up, changing nothing.
    run_wait_seconds: float = 3600
    _held_for_the_run: contextlib.ExitStack | None = PrivateAttr(default=None)
    _who: str = PrivateAttr(default="")

    @property
    def snapshot_path(self) -> Path:
        return warehouse.snapshot_path_for(self.database_path)

    @contextlib.contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator["DuckDBWarehouse"]:
        run = context.dagster_run
        with contextlib.ExitStack() as held_for_the_run:
            # Released when the run (or the sensor, or the test) is done with the resource.
            self._held_for_the_run = held_for_the_run
            self._who = (f"Dagster run {run.run_id[:8]} of {run.job_name}, process {os.getpid()}" if run
                         else f"process {os.getpid()}")
            try:
                yield self
            finally:
                self._held_for_the_run = None

    @contextlib.contextmanager
    def connect(self, for_the_run: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        if for_the_run and self._held_for_the_run is not None:
            self._held_for_the_run.enter_context(
                warehouse.holding_the_run_lock(self.database_path, self.run_wait_seconds, self._who))
            self._held_for_the_run = None  # held until the run ends: taken once
        # A damaged file is usually found mid-step, on the first read of a bad block: reported as such.
        with warehouse.reporting_damage(self.database_path):
            con = warehouse.connect(self.database_path)
            try:
                yield con
            finally:
                con.close()


class LandingFolder(ConfigurableResource):
    """The folder where article files are dropped (HTML, HTML.gz, text)."""

    path: str

    def list_files(self) -> list[SourceFile]:
        return discover_source_files(Path(self.path))

    @staticmethod
    def listing_frame(files: list[SourceFile]) -> pl.DataFrame:
        """Path, size and modification time of already-listed files (the folder is walked once per run)."""
        return pl.DataFrame(
            {
                "relative_path": [f.relative_path for f in files],
                "size": [f.size for f in files],
                "mtime_ns": [f.mtime_ns for f in files],
            },
            schema={"relative_path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64},
        )


class NlpSettings(ConfigurableResource):
    """Which spaCy model reads the articles, and how many processes run it."""

    model_name: str = DEFAULT_SPACY_MODEL
    # Worker processes for the NLP pass; 0 means one per available core. Runs of few
    # articles are read in the run's own process (starting workers would cost more).
    n_process: int = 0
    batch_size: int = 32
    # The English model reads English text only; other languages are landed
    # but not passed through it (their entities would be noise).
    languages: list[str] = ["en"]

    def prepare_workers(self, articles: int) -> None:
        """Start the fork server the NLP workers come from when a pass over ``articles`` would use them;
        returns at once.

        Ingest calls this as soon as it knows how many files are new, so the server loads spaCy and
        the model on the core ingest leaves idle. A run with nothing new (or too little to be worth
        workers) starts none: the model would be loaded for nothing (2.75 CPU s, docs/deployment.md).
        """
        from .core.nlp.extraction import MIN_ARTICLES_FOR_WORKERS, available_cores, start_worker_server

        # With a Dask cluster configured, its workers read the articles (they keep the model themselves).
        if (articles >= MIN_ARTICLES_FOR_WORKERS and (self.n_process or available_cores()) > 1
                and not dask_scheduler_from_env()):
            start_worker_server()


def sources_config_from_env() -> str:
    return os.environ.get("FILM_NEWS_OUTLETS") or str(DEFAULT_OUTLETS_PATH)


def dask_scheduler_from_env() -> str:
    return os.environ.get("FILM_NEWS_DASK_SCHEDULER", "").strip()


def warc_folder_from_env() -> str:
    return os.environ.get("FILM_NEWS_WARC") or str(DEFAULT_WARC_FOLDER)


class NewsSources(ConfigurableResource):
    """Where news comes from: the outlets file (feeds, sitemaps) and the folder of WARC archives."""

    outlets_path: str
    warc_folder: str
    # Where each archive's partition (its pages as Parquet) is written: a folder or an fsspec URL that the
    # Dask workers and the run both reach. Empty: `partitions/` inside the archive folder.
    archive_partitions: str = ""

    @property
    def partitions_path(self) -> str:
        return self.archive_partitions or str(Path(self.warc_folder) / "partitions")


class DaskCluster(ConfigurableResource):
    """Where the heavy stages run: the Dask cluster at ``scheduler_address`` (FILM_NEWS_DASK_SCHEDULER), or,
    when it is empty, this machine: a LocalCluster of ``n_workers`` processes (0: one per core) for archives,
    and the fork server for the NLP pass (measured faster on one machine: docs/deployment.md)."""

    scheduler_address: str = ""
    n_workers: int = 0

    @contextlib.contextmanager
    def client_for(self, tasks: int, model_name: str | None = None) -> Iterator[object | None]:
        """A Dask client for ``tasks`` independent tasks, or None where the run's own process should do them.

        A configured cluster is always used. A LocalCluster is started only for two tasks or more and
        two workers or more: it costs seconds to start, which one archive (or a nightly run with no
        new archive) would pay for nothing.
        """
        from .core.nlp.extraction import available_cores

        local_workers = self.n_workers or available_cores()
        if tasks <= 0 or (not self.scheduler_address and (tasks < 2 or local_workers < 2)):
            yield None
            return
        from .core.distributed import start_client  # dask and distributed cost ~1 s to import: only when used

        client = start_client(self.scheduler_address, min(local_workers, tasks), model_name)
        try:
            yield client
        finally:
            client.close()

    @contextlib.contextmanager
    def client_for_nlp(self, articles: int, model_name: str) -> Iterator[object | None]:
        """The cluster's client for the NLP pass, or None: on one machine the fork server reads the articles."""
        if not self.scheduler_address or articles <= 0:
            yield None
            return
        with self.client_for(articles, model_name) as client:
            yield client


def _setting(variable: str, default: str):
    """Dagster's ``EnvVar`` when the variable is set, so the UI shows where the value comes from
    (and never stores it); the project's default otherwise."""
    from dagster import EnvVar

    return EnvVar(variable) if os.environ.get(variable) else default


def build_resources(database_path: str | None = None, landing_path: str | None = None) -> dict:
    """The resources, configured from the environment (README: environment variables) unless
    the command line passes the paths."""
    return {
        "warehouse_db": DuckDBWarehouse(database_path=database_path or _setting("FILM_NEWS_DB", str(DEFAULT_DATABASE_PATH))),
        "landing_folder": LandingFolder(path=landing_path or _setting("FILM_NEWS_LANDING", str(DEFAULT_LANDING_PATH))),
        "nlp": NlpSettings(model_name=_setting("FILM_NEWS_SPACY_MODEL", DEFAULT_SPACY_MODEL)),
        "news_sources": NewsSources(outlets_path=_setting("FILM_NEWS_OUTLETS", str(DEFAULT_OUTLETS_PATH)),
                                    warc_folder=_setting("FILM_NEWS_WARC", str(DEFAULT_WARC_FOLDER)),
                                    archive_partitions=_setting("FILM_NEWS_ARCHIVE_PARTITIONS", "")),
        "dask_cluster": DaskCluster(scheduler_address=_setting("FILM_NEWS_DASK_SCHEDULER", "")),
    }
