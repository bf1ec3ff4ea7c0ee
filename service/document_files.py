"""A document's files outside any request: the wording in force, the DỰ THẢO mark, the issued version
a draft replaces, the file's name, and the rendering kept by content hash. The workspace's downloads
and the queue's jobs both come through here, so a file the queue rendered in the background is the
very file a download asks for (same content key)."""
from __future__ import annotations

import hashlib
import unicodedata

from sqlalchemy import Engine

from data_models import Campaign
from service.documents import compose, with_relation
from service.documents.kind_templates import PHRASES
from service.domain.readiness import numbered_in_data
from service.render.content_key import content_key
from service.render.docx_writer import render_docx
from service.render.pdf_writer import render_pdf
from service.store.campaigns import campaign_owner
from service.store.issuing import issued_version
from service.store.lifecycle import history
from service.store.rendered import keep_file, kept_file
from service.store.templates import campaign_templates, texts

DRAFT_MARK = "DỰ THẢO"
WRITERS = {"docx": render_docx, "pdf": render_pdf}


def wording_in_force(engine: Engine, campaign_id: str) -> tuple[dict[str, str], str]:
    """(the texts of the kinds' templates in force for the campaign, their fingerprint): a saved
    template changes the fingerprint, so nothing rendered with the old one is served."""
    _, organisation = campaign_owner(engine, campaign_id)
    in_force = campaign_templates(engine, organisation, campaign_id)
    fingerprint = hashlib.sha256("|".join(t.ref for t in in_force.values()).encode()).hexdigest()[:16]
    return texts(in_force), fingerprint


def draft_mark(campaign: Campaign, kind: str, state) -> str | None:
    """DỰ THẢO on everything that is not an issued document (a document numbered outside the system,
    as the fixtures' signed plans, is not a draft)."""
    return None if state.official or numbered_in_data(campaign, kind, state.unit or None) else DRAFT_MARK


def relation_of(engine: Engine, state) -> tuple | None:
    """(relation, number line, date, reason) when the draft replaces or corrects an issued version."""
    if not state.relation or not state.relates_to_version_id:
        return None
    earlier = issued_version(engine, state.relates_to_version_id, with_pdf=False)
    reason = next((e.comment for e in reversed(history(engine, state.document_id)) if e.action == state.relation), None)
    return (state.relation, earlier.number_line, earlier.issued_on, reason) if earlier else None


def draft_document(campaign: Campaign, kind: str, unit: str | None, wording: dict[str, str], relation: tuple | None):
    """The draft as composed now (ValueError, in Vietnamese, when the data do not make it yet)."""
    document = compose(campaign, kind, unit, wording)
    if relation:
        document = with_relation(document, *relation, phrases=wording.get(PHRASES))
    return document


def rendered(engine: Engine, document, fmt: str, mark: str | None) -> bytes:
    """``document`` as ``fmt`` with ``mark``: read when kept under its content key, else rendered and kept."""
    key = content_key(document, fmt, mark)
    data = kept_file(engine, key)
    if data is None:
        data = WRITERS[fmt](document, mark)
        keep_file(engine, key, fmt, data)
    return data


def file_name(campaign: Campaign, kind: str, unit: str | None, fmt: str, number_line: str | None = None,
              suffix: str = "") -> str:
    """What a download is: year, province, number, kind, unit ('2026-ninh-binh-01-HD-SNV-huong-dan.pdf')."""
    from service.vietnamese import ascii_slug
    number = ""
    if number_line:
        plain = unicodedata.normalize("NFD", number_line.replace("Số:", "").strip().replace("Đ", "D").replace("đ", "d"))
        number = "".join(c for c in plain if unicodedata.category(c) != "Mn").replace("/", "-").replace(" ", "") + "-"
    parts = [str(campaign.year), ascii_slug(campaign.province), f"{number}{kind}", unit or "", suffix]
    return "-".join(p.strip("-") for p in parts if p) + f".{fmt}"
