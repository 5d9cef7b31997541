"""The Dagster definitions, one folder a domain, loaded by ``load_from_defs_folder`` (dg's layout).

Thin: each asset loads, calls ``pipeline.core``, validates with the Pandera schemas, writes and reports.
"""
