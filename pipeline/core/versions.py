"""Versions of the code that produced a stage's rows: a changed rule re-processes what it produced.

A stage records the version it ran with beside each row's key; the next run compares it with the
version of the code it is about to run, and re-processes what differs without a full refresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType


def code_version(*sources: ModuleType | Path | str, also: Iterable[str] = ()) -> str:
    """A short hash of the given modules' and data files' source, and of ``also`` (library versions,
    settings): anything whose change changes the rows."""
    digest = hashlib.sha256()
    for source in sources:
        path = Path(source.__file__) if isinstance(source, ModuleType) else Path(source)
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    for part in also:
        digest.update(b"\0" + part.encode("utf-8"))
    return digest.hexdigest()[:12]
