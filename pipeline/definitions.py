"""The Dagster code location: every definition under ``pipeline/defs/``, loaded by domain.

``dg`` finds this module from ``[tool.dg.project]`` in pyproject.toml (``dg dev``, ``dg check
defs``); ``workspace.yaml`` points ``dagster dev`` at it too. The folders are the domains:
gather (outlets and archives into the landing folder), ingest, nlp, analytics (the SQL models
and the search index) and publish (the read copy); ``jobs.py`` and ``automation.py`` say when
things run, ``resources.py`` what they run against.
"""

from __future__ import annotations

from pathlib import Path

from dagster import load_from_defs_folder

from .defs.analytics.sql_models import SQL_MODELS
from .defs.gather.assets import SOURCES_GROUP
from .resources import build_resources

defs = load_from_defs_folder(path_within_project=Path(__file__).parent)

# The same definitions as lists, for the command line, the tests and the benchmarks, which run them
# against a database and landing folder of their own.
SOURCE_ASSETS = [a for a in defs.assets if SOURCES_GROUP in a.group_names_by_key.values()]
ALL_ASSETS = [a for a in defs.assets if a not in SOURCE_ASSETS]
ALL_CHECKS = list(defs.asset_checks)

__all__ = ["defs", "SOURCE_ASSETS", "ALL_ASSETS", "ALL_CHECKS", "SQL_MODELS", "build_resources"]
