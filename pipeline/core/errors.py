"""The one way a document leaves the pipeline early: rejected, with a reason."""

from __future__ import annotations


class DocumentRejected(Exception):
    """A document that cannot be ingested.

    ``stage`` names where it failed (read, decode, extract, validate) and
    ``reason`` is a sentence a person can act on; both land in
    ``rejected_documents``.
    """

    def __init__(self, stage: str, reason: str):
        super().__init__(f"{stage}: {reason}")
        self.stage = stage
        self.reason = reason

    def __reduce__(self):
        # Raised in the extraction worker, it crosses to the run's process pickled.
        return DocumentRejected, (self.stage, self.reason)
