"""Imported by the fork server the NLP workers are forked from (``extraction.start_worker_server``), never
by the pipeline itself: what every worker needs is loaded here once, before any worker exists."""

from . import spacy_model_from_env
from .extraction import warm_up

try:
    warm_up(spacy_model_from_env())
except Exception:  # noqa: BLE001
    # A model that fails to load here fails again in each worker, where the run reports it; the
    # fork server itself must stay up (it stops on any error its preload raises but ImportError).
    pass
