"""Shared fixtures: the fixture campaigns rendered once per session, and text helpers."""
from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import docx
import pytest

from data_models import load_campaign
from fixtures import FIXTURES_DIR
from service.documents import compose
from service.render.docx_writer import render_docx
from service.render.pdf_writer import render_pdf

SHARED = Path(__file__).resolve().parents[2] / "shared"
CAMPAIGNS = ["ha-nam-2023", "tra-vinh-2023"]


def normalise(text: str) -> str:
    """NFC, dashes to '-', every whitespace run (NBSP included) to one space."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub("[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def docx_units(document) -> list[str]:
    """Paragraph texts of the body and of every table cell, and each table row's cells joined."""
    units = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text for cell in row.cells]
            units += cells
            units += [p.text for cell in row.cells for p in cell.paragraphs]
            units.append(" ".join(cells))
    return [normalise(u) for u in units if u.strip()]


def docx_rows(document) -> list[list[str]]:
    return [[normalise(cell.text) for cell in row.cells] for table in document.tables for row in table.rows]


@pytest.fixture(scope="session")
def campaigns():
    return {cid: load_campaign(FIXTURES_DIR / cid) for cid in CAMPAIGNS}


@pytest.fixture(scope="session")
def rendered(campaigns):
    """{campaign id: (Document, docx bytes, pdf bytes)} for the Kế hoạch."""
    out = {}
    for cid, campaign in campaigns.items():
        document = compose(campaign, "ke-hoach")
        out[cid] = (document, render_docx(document), render_pdf(document))
    return out


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))
