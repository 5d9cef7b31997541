"""Publishing: the read-only copy readers open."""
