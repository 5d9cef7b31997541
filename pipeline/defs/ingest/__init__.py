"""Ingest: landing-folder files to clean articles and rejections, and their checks."""
