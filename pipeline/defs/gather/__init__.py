"""Gathering: outlet feeds and sitemaps, and WARC archives, into the landing folder."""
