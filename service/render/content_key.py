"""The content hash of a rendering: what the writers are given (the composed document, its mark),
the format, and the writers themselves (their code and their frame templates). Equal keys render
equal files, so a file kept under its key is never rendered again — whoever asks, on any machine."""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import doc_templates

from service import pdf_profile

from . import docx_writer, pdf_writer


@functools.cache
def writers_fingerprint() -> str:
    """SHA-256 of the writers' code and of the frame templates they fill (docx/, html/): a change of
    layout makes every key new."""
    digest = hashlib.sha256()
    frames = Path(doc_templates.__file__).parent
    paths = [Path(docx_writer.__file__), Path(pdf_writer.__file__), Path(pdf_profile.__file__)]
    paths += sorted(p for folder in ("docx", "html") for p in (frames / folder).rglob("*") if p.is_file())
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def content_key(document, fmt: str, watermark: str | None) -> str:
    """The key of ``document`` rendered as ``fmt`` ('docx' or 'pdf') with ``watermark``. The
    document is a tree of frozen dataclasses, so its repr says everything it holds, charts' bytes
    included."""
    digest = hashlib.sha256()
    for part in (writers_fingerprint(), fmt, watermark or "", repr(document)):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()
