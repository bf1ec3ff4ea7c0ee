"""The whole dossier of a campaign as one ZIP: every kind of the campaign and every unit's documents,
DOCX and PDF — the issued version where there is one (the PDF as last signed), else the draft marked
DỰ THẢO — with a table of contents (MUC-LUC.txt) that says what each file is, and why a document
that cannot be made yet is missing. What it renders is kept by content hash, so a dossier made again
(or taken up again after its worker died) renders only what changed."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from service.document_files import draft_document, draft_mark, file_name, relation_of, rendered, wording_in_force
from service.documents import KINDS
from service.store.campaigns import load_whole_campaign
from service.store.issuing import issued_version
from service.store.lifecycle import state_in, states_of
from service.store.signatures import final_pdf
from service.vietnamese import ascii_slug


@dataclass(frozen=True)
class Item:
    kind: str
    unit: str | None


def items_of(campaign) -> list[Item]:
    """Every document of the dossier, the campaign's first, then each unit's."""
    common = [Item(kind, None) for kind, spec in KINDS.items() if not spec.per_unit]
    per_unit = [Item(kind, unit.id) for unit in campaign.units() for kind, spec in KINDS.items()
                if spec.per_unit and spec.applies(campaign, unit.id)]
    return common + per_unit


def build_dossier(engine: Engine, campaign_id: str, moment: dt.datetime,
                  progress: Callable[[int, int], None] = lambda done, total: None) -> bytes:
    """The ZIP; ``progress(done, total)`` after each document. ``moment`` dates the files in the ZIP
    (the job's creation), so the same data make the same bytes."""
    campaign, _ = load_whole_campaign(engine, campaign_id)
    wording, _ = wording_in_force(engine, campaign_id)
    states = states_of(engine, campaign_id)
    items = items_of(campaign)
    units = {unit.id: unit for unit in campaign.units()}
    stamp = moment.timetuple()[:6]
    root = f"ho-so-{campaign.year}-{ascii_slug(campaign.province)}"
    contents = [f"HỒ SƠ ĐÁNH GIÁ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {campaign.year} — {campaign.province.upper()}",
                f"Lập lúc {moment:%H:%M} ngày {moment:%d/%m/%Y}; {len(items)} văn bản.", "",
                "STT | Văn bản | Đơn vị | Tình trạng | Tệp"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        def add(path: str, data: bytes) -> None:
            info = zipfile.ZipInfo(f"{root}/{path}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)

        for number, item in enumerate(items, 1):
            folder = "chung" if item.unit is None else f"don-vi/{item.unit}"
            state = state_in(states, item.kind, item.unit)
            name = KINDS[item.kind].label
            unit_name = units[item.unit].name if item.unit else "—"
            files, status = _files(engine, campaign, item, state, wording)
            for fmt_name, data in files:
                add(f"{folder}/{fmt_name}", data)
            contents.append(f"{number} | {name} | {unit_name} | {status} | "
                            + (", ".join(f"{folder}/{n}" for n, _ in files) or "—"))
            progress(number, len(items))
        contents.append("")
        add("MUC-LUC.txt", ("\ufeff" + "\r\n".join(contents) + "\r\n").encode("utf-8"))
    return buffer.getvalue()


def _files(engine: Engine, campaign, item: Item, state, wording) -> tuple[list[tuple[str, bytes]], str]:
    """([(file name, bytes)], what the table of contents says of the document)."""
    if state.official and state.current_version_id:
        version = issued_version(engine, state.current_version_id)
        signed = "da-ky" if version.signed_pdf else ""
        return ([(file_name(campaign, item.kind, item.unit, "docx", version.number_line), version.docx),
                 (file_name(campaign, item.kind, item.unit, "pdf", version.number_line, signed), final_pdf(version))],
                f"đã ban hành, {version.number_line}, ngày {version.issued_on:%d/%m/%Y}"
                + (", đã ký số" if version.signed_pdf else ""))
    try:
        document = draft_document(campaign, item.kind, item.unit, wording, relation_of(engine, state))
    except ValueError as error:
        return [], f"chưa lập được: {error}"
    mark = draft_mark(campaign, item.kind, state)
    suffix = "du-thao" if mark else ""
    return ([(file_name(campaign, item.kind, item.unit, fmt, None, suffix), rendered(engine, document, fmt, mark))
             for fmt in ("docx", "pdf")], "dự thảo" if mark else "số, ngày ghi trong dữ liệu")
