"""The Dagster code location: assets, checks, the nightly schedule, the sensor and resources."""

from __future__ import annotations

import os

from dagster import Definitions, EnvVar, in_process_executor

from .assets.checks import ENTITY_CHECKS, INGEST_CHECKS, QUOTE_CHECKS
from .assets.ingest import ingest_articles
from .assets.nlp import extract_mentions_and_quotes
from .assets.publish import build_snapshot_asset
from .assets.search import search_index
from .assets.sources import archive_pages, fetched_pages
from .assets.sql_models import build_model_definitions
from .resources import (
    DEFAULT_DATABASE_PATH,
    DEFAULT_LANDING_PATH,
    DEFAULT_OUTLETS_PATH,
    DEFAULT_SPACY_MODEL,
    DEFAULT_WARC_FOLDER,
    DuckDBWarehouse,
    LandingFolder,
    NewsSources,
    NlpSettings,
)
from .schedules import film_news_job, landing_folder_sensor, nightly_schedule, nightly_sources_schedule, sources_job

SQL_MODELS, MODEL_ASSETS = build_model_definitions()
PIPELINE_ASSETS = [ingest_articles, extract_mentions_and_quotes, search_index, *MODEL_ASSETS]
# Published last: it depends on every table and model, so it copies a finished run.
SNAPSHOT_ASSET = build_snapshot_asset([key.to_user_string() for a in PIPELINE_ASSETS for key in a.keys])
ALL_ASSETS = [*PIPELINE_ASSETS, SNAPSHOT_ASSET]
# Gathering runs by day, before the nightly run of everything else (see schedules.py).
SOURCE_ASSETS = [fetched_pages, archive_pages]
# The SQL models' tests are check specs of their assets (see assets/sql_models.py).
ALL_CHECKS = [*INGEST_CHECKS, *ENTITY_CHECKS, *QUOTE_CHECKS]


def _setting(variable: str, default: str):
    """Dagster's ``EnvVar`` when the variable is set, so the UI shows where the value comes from
    (and never stores it); the project's default otherwise."""
    return EnvVar(variable) if os.environ.get(variable) else default


def build_resources(database_path: str | None = None, landing_path: str | None = None) -> dict:
    """The resources, configured from the environment (README: environment variables) unless
    the command line passes the paths."""
    return {
        "warehouse_db": DuckDBWarehouse(database_path=database_path or _setting("FILM_NEWS_DB", str(DEFAULT_DATABASE_PATH))),
        "landing_folder": LandingFolder(path=landing_path or _setting("FILM_NEWS_LANDING", str(DEFAULT_LANDING_PATH))),
        "nlp": NlpSettings(model_name=_setting("FILM_NEWS_SPACY_MODEL", DEFAULT_SPACY_MODEL)),
        "news_sources": NewsSources(outlets_path=_setting("FILM_NEWS_OUTLETS", str(DEFAULT_OUTLETS_PATH)),
                                    warc_folder=_setting("FILM_NEWS_WARC", str(DEFAULT_WARC_FOLDER))),
    }


defs = Definitions(
    assets=[*SOURCE_ASSETS, *ALL_ASSETS],
    asset_checks=ALL_CHECKS,
    jobs=[film_news_job, sources_job],
    schedules=[nightly_sources_schedule, nightly_schedule],
    sensors=[landing_folder_sensor],
    resources=build_resources(),
    # One process per run: DuckDB allows one writer, so steps of a run must not write in parallel.
    executor=in_process_executor,
)
