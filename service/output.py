"""Rendering a document kind to files: both outputs in memory first, then written atomically,
so an error never leaves a partial or corrupt file behind."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from data_models import Campaign
from service.documents import compose
from service.render.docx_writer import render_docx
from service.render.pdf_writer import render_pdf


@dataclass(frozen=True)
class RenderedFiles:
    docx: Path
    pdf: Path


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def render_kind(campaign: Campaign, kind: str, out_dir: Path, unit: str | None = None,
                templates: dict[str, str] | None = None) -> RenderedFiles:
    """Compose ``kind`` (worded by ``templates`` where the campaign folder has its own) and write
    ``<kind>[-<unit>].docx`` and ``.pdf`` under ``out_dir``."""
    document = compose(campaign, kind, unit, templates)
    docx_bytes = render_docx(document)
    pdf_bytes = render_pdf(document)
    stem = document.stem
    files = RenderedFiles(out_dir / f"{stem}.docx", out_dir / f"{stem}.pdf")
    write_atomically(files.docx, docx_bytes)
    write_atomically(files.pdf, pdf_bytes)
    return files
