"""Run options shared by the incremental stages (ingest, entities, quotes)."""

from dagster import Config


class StageConfig(Config):
    full_refresh: bool = False
    """Forget what this stage processed and process everything again (after changing rules or models)."""
    batch_size: int = 100
    """Items read, processed and written per batch: memory is bounded by this, not by the corpus."""
