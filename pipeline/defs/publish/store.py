"""Publishing the read copy: the warehouse copied whole beside itself and renamed over the last copy."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from ...warehouse import connect, reporting_damage, snapshot_path_for


def publish_snapshot(database_path: str | Path) -> Path:
    """Copy the warehouse to the read-only snapshot, atomically.

    The writer checkpoints (so the file holds every committed row and no WAL is
    needed), the file is copied beside the snapshot and renamed over it. A
    rename is atomic: a reader opening the snapshot gets the old file or the
    new one, never a half-written one, and a reader already connected keeps
    reading the old file until it reconnects.
    """
    source = Path(database_path)
    target = snapshot_path_for(source)
    con = connect(source)
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with reporting_damage(source):
            con.execute("checkpoint")
        # Copied while the connection (and so the write lock) is held: no run can change the file meanwhile.
        # Staging files of earlier runs that died mid-copy are removed first: under that lock none is in use.
        for stale in target.parent.glob(f".{target.name}.*.tmp"):
            stale.unlink(missing_ok=True)
        shutil.copyfile(source, staging)
        with open(staging, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staging, target)
    except OSError as error:
        staging.unlink(missing_ok=True)
        if error.errno == errno.ENOSPC:
            free = shutil.disk_usage(target.parent).free
            raise PublishFailed(
                f"publishing the read copy {target} needs {source.stat().st_size / 1e6:.1f} MB free in {target.parent} "
                f"and {free / 1e6:.1f} MB are; free some space and run again (the previous copy is intact, "
                "the warehouse is up to date)") from error
        raise PublishFailed(f"publishing the read copy {target} failed ({error}); the previous copy is intact, "
                            "and the next run tries again") from error
    finally:
        con.close()
    return target


class PublishFailed(RuntimeError):
    """The read copy could not be replaced; the warehouse itself is committed and intact."""
