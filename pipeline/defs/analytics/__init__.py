"""Analytics: one asset per SQL model of dbt_like_sql/, and the full-text search index."""
