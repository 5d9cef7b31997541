"""Film-news pipeline: article files -> clean text and metadata -> DuckDB, run by Dagster."""
