"""Dagster assets: thin wrappers that load, call the core, validate, write and report."""
