"""Files: written so that a reader (or a re-run after a kill) never sees half of one,
and hashed for provenance."""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[str]:
    """Yield a temporary path beside `path`; on success it is renamed to `path`.

    The temporary file gets the permissions a plainly created file would, and it
    is removed if anything is raised once it exists, SIGTERM's SystemExit too.
    It is created inside the `try` for that: `tempfile.mkstemp` creates its file
    before the `try` can be entered, and a SIGTERM landing in between left it
    behind (a `--jobs 2` batch stopped by SIGTERM, once in about fifteen runs of the tests).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # 96 random bits: never the name of another file, so the cleanup below
    # removes only what this call created
    tmp = path.parent / f".{path.name}.{secrets.token_hex(12)}.tmp"
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        yield str(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def file_sha256(path: str | os.PathLike) -> str:
    """The hex sha256 of a file's bytes, read in 1 MiB chunks (model cards, corpus manifests)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
