"""The pure core: plain functions over bytes, strings and Polars frames.

Nothing in this package imports Dagster or opens the database, so every step can
be tested directly and reused by the command line, the assets and the benchmarks.
"""
