"""Typeset PDFs kept in a folder by content hash (``CCHC_RENDER_CACHE``), shared by every process of a
machine: the command line's repeated renders (``cchc demo`` run again renders nothing again), the
batch's worker processes and the test suite's processes and subprocesses. Off unless the variable
names a folder.

The key is the SHA-256 of what weasyprint is given (the print HTML and whether the seal has a place)
and of what typesets it (the writers' code and frame templates, weasyprint's version, the font files
found): equal keys make equal files, so a kept file is the file a new typesetting would make. The
database's cache of rendered files (``service.store.rendered``) keeps whole drafts per workspace; this
one sits below it, in the writer, and knows no document, kind or request."""
from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

ENVIRONMENT = "CCHC_RENDER_CACHE"


def cache_folder() -> Path | None:
    """The folder named by CCHC_RENDER_CACHE (created when missing), or None: no cache."""
    value = os.environ.get(ENVIRONMENT, "").strip()
    if not value:
        return None
    folder = Path(value)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@functools.cache
def _typesetter_fingerprint() -> str:
    """What, besides its input, decides a typeset file: the writers and frames, weasyprint, the fonts."""
    import weasyprint

    from service.fonts import font_faces
    from .content_key import writers_fingerprint
    return hashlib.sha256("\x00".join((writers_fingerprint(), weasyprint.__version__, font_faces())).encode()).hexdigest()


def typeset_key(*parts: str) -> str:
    digest = hashlib.sha256(_typesetter_fingerprint().encode())
    for part in parts:
        digest.update(b"\x00")
        digest.update(part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def kept_or_made(parts: tuple[str, ...], make: Callable[[], bytes]) -> bytes:
    """The file kept under the key of ``parts``, else ``make()``, kept for the next asker. A file is
    written whole under a temporary name and renamed, so a reader never sees half of one; a folder
    that cannot be written only means nothing is kept."""
    folder = cache_folder()
    if folder is None:
        return make()
    path = folder / f"{typeset_key(*parts)}.pdf"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = make()
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        pass
    return data
