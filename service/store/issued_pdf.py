"""The PDF of an issued version, typeset after the issue commits.

Issuing freezes a document's DOCX, HTML and text inside its transaction, and with them the print HTML
the PDF is typeset from (``pdf_source``); the typesetting — a second or more, the costly part — runs
on the job queue, so the campaign's lock is held for the numbering, not for weasyprint. Whoever needs
the PDF first (the job, or a reader that comes before it) typesets it; the first to store it wins and
every later reader gets those same bytes, so the job is idempotent and a job run twice (a worker
killed and its message delivered again) changes nothing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from service.render.pdf_writer import pdf_from_html

from .models import DocumentVersion

log = logging.getLogger(__name__)


def pdf_source(html: str, seal_place: bool) -> str:
    """What a version keeps to be typeset later (see ``render_pdf``)."""
    return json.dumps({"html": html, "seal_place": seal_place}, ensure_ascii=False)


def typeset(engine: Engine, version_id: int) -> bool:
    """Typeset and store the PDF of one version still without it; False when it already had one (or is
    unknown). Two callers at once both typeset, and the second's bytes are dropped."""
    with Session(engine) as session:
        source = session.scalar(select(DocumentVersion.pdf_source)
                                .where(DocumentVersion.id == version_id, DocumentVersion.pdf.is_(None)))
    if source is None:
        return False
    spec = json.loads(source)
    pdf = pdf_from_html(spec["html"], seal_place=spec["seal_place"])
    with Session(engine) as session, session.begin():
        stored = session.execute(update(DocumentVersion)
                                 .where(DocumentVersion.id == version_id, DocumentVersion.pdf.is_(None))
                                 .values(pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest(), pdf_source=None))
    return stored.rowcount == 1


def pending(engine: Engine, campaign_id: str | None = None, unit_id: str | None = None,
            older_than: dt.datetime | None = None) -> list[int]:
    """Ids of the issued versions still without their PDF (of one campaign, one unit's, or issued
    before ``older_than``), oldest first."""
    query = select(DocumentVersion.id).where(DocumentVersion.pdf.is_(None)).order_by(DocumentVersion.id)
    if campaign_id is not None:
        query = query.where(DocumentVersion.campaign_id == campaign_id)
    if unit_id is not None:
        query = query.where(DocumentVersion.unit_key == unit_id)
    if older_than is not None:
        query = query.where(DocumentVersion.created_at < older_than)
    with Session(engine) as session:
        return list(session.scalars(query))


def campaigns_pending(engine: Engine, older_than: dt.datetime) -> list[str]:
    """Campaigns with a version issued before ``older_than`` still without its PDF."""
    with Session(engine) as session:
        return list(session.scalars(select(DocumentVersion.campaign_id).distinct()
                                    .where(DocumentVersion.pdf.is_(None), DocumentVersion.created_at < older_than)
                                    .order_by(DocumentVersion.campaign_id)))


def typeset_pending(engine: Engine, campaign_id: str) -> int:
    """Typeset every version of the campaign still without its PDF (the job's body); how many."""
    done = 0
    for version_id in pending(engine, campaign_id):
        done += typeset(engine, version_id)
    return done
