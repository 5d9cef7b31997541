"""The heavy stages on Dask's distributed scheduler: one client, a local cluster or a real one.

Page extraction with the relevance filter (one task per archive file) and the NLP pass (one
task per chunk of articles) are plain functions of their input, so the same tasks run on a
``LocalCluster`` sized to this machine or on the cluster whose scheduler
``FILM_NEWS_DASK_SCHEDULER`` names (``tcp://scheduler:8786``). Workers must have the project
installed (the tasks are this package's functions, sent by reference).

Workers are not daemonic processes: page extraction keeps its time budget by running each page
in a child process that can be killed (``bounded_extraction``), and a daemonic process may not
have children. A ``LocalCluster`` is started so; a ``dask worker`` must be started with
``DASK_DISTRIBUTED__WORKER__DAEMON=False`` in its environment (``WorkerSetupPlugin`` checks it and says so).
"""

from __future__ import annotations

import multiprocessing

import dask
from distributed import Client, LocalCluster, WorkerPlugin

from .bounded_extraction import stop_worker

# The setting a ``dask worker`` needs so page extraction can start its budgeted child process.
NON_DAEMON_WORKERS = {"distributed.worker.daemon": False}


class WorkersCannotKeepBudgets(RuntimeError):
    """A Dask worker is a daemonic process: page extraction could not stop a hostile page."""


class WorkerSetupPlugin(WorkerPlugin):
    """Checks a worker can start the child process page extraction's budget needs and, given a model,
    loads the NLP stage's model (and the rules' data) once per worker, when the worker starts."""

    name = "film-news-worker-setup"

    def __init__(self, model_name: str | None = None):
        self.model_name = model_name

    def setup(self, worker) -> None:
        if multiprocessing.current_process().daemon:
            raise WorkersCannotKeepBudgets(
                "this Dask worker is a daemonic process, so page extraction cannot run a page in a child process "
                "it can stop at the page's time budget; start the workers with DASK_DISTRIBUTED__WORKER__DAEMON=False "
                "in their environment")
        if self.model_name:
            from .nlp.extraction import warm_up  # spaCy: only on workers that read articles

            warm_up(self.model_name)


def start_client(scheduler_address: str = "", n_workers: int = 0, model_name: str | None = None) -> Client:
    """A client of the cluster at ``scheduler_address``, or of a new ``LocalCluster`` of ``n_workers``
    single-threaded worker processes (one per available core when 0) on 127.0.0.1.

    Every worker (those that join later too) is checked for what page extraction needs and, with
    ``model_name``, loads that model once, at start.
    The caller closes the client; a local cluster closes with it.
    """
    if scheduler_address:
        client = Client(scheduler_address, timeout="30s")
    else:
        from .nlp.extraction import available_cores

        # spaCy and lxml hold the GIL for most of their work: one thread a process, one process a core.
        with dask.config.set(NON_DAEMON_WORKERS):
            cluster = LocalCluster(n_workers=n_workers or available_cores(), threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address="127.0.0.1:0")
        client = Client(cluster)
        client.close = _closing_cluster_too(client, cluster)
    try:
        client.register_plugin(WorkerSetupPlugin(model_name))
    except Exception:
        client.close()
        raise
    return client


def _closing_cluster_too(client: Client, cluster: LocalCluster):
    close_client = client.close

    def close(*args, **kwargs):
        try:
            # Each worker's page-extraction process would otherwise hold its worker past the nanny's
            # patience (4 s), on every close.
            client.run(stop_worker)
        except Exception:  # noqa: BLE001 (a worker already gone has nothing to stop)
            pass
        try:
            return close_client(*args, **kwargs)
        finally:
            cluster.close()

    return close


def worker_count(client: Client) -> int:
    return max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
