"""An issued document as the edXML message its Nơi nhận get through the e-office: the facts come from
the issued version (number, date, files, and the subject, signer and Nơi nhận frozen with it) and the
campaign (the agencies' mã định danh, the documents it answers). Flask-free: the CLI, the API and the
page call it."""
from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from data_models import Campaign
from service.documents import KINDS, compose
from service.domain.calendar import header_of
from service.domain.issuers import issuer_of
from service.store.issuing import TYPES
from service.store.models import DocumentVersion
from service.store.signatures import final_pdf
from service.vietnamese.symbols import document_symbol, document_type, format_number_line

from .addresses import addresses, resolve
from .edxml import Attachment, EdxmlError, Message, Organ, Reference, ascii_name, document_id

#: A document that answers another: the kind it answers (the explanation answers the notice; the
#: round-2 letter answers the explanation).
ANSWERS = {"bao-cao-giai-trinh": "cong-van-ket-qua-tham-dinh", "thong-bao-tham-dinh-lan-2": "bao-cao-giai-trinh"}
AUTHORITIES = ("TM.", "KT.", "Q.", "TL.", "TUQ.")


def _code_parts(number_line: str) -> tuple[str, str]:
    """'Số: 125/KH-UBND' → ('125', 'KH-UBND')."""
    text = number_line.removeprefix("Số:").strip()
    number, _, notation = text.partition("/")
    return number.strip(), notation.strip()


def sender_of(campaign: Campaign, kind: str, unit: str | None) -> Organ:
    """The agency that issues ``kind`` (for ``unit``), with its mã định danh."""
    return _organ(campaign, campaign.agency(issuer_of(campaign, kind, unit)))


def _organ(campaign: Campaign, agency) -> Organ:
    found, _ = resolve(campaign, agency.name)
    if not found:
        raise EdxmlError(f"cơ quan ban hành {agency.name} chưa có mã định danh điện tử ('edoc_codes' của chiến dịch)")
    return Organ(found[0].code, agency.name)


def _answered(campaign: Campaign, kind: str, unit: str | None) -> list[Reference]:
    """ResponseFor: the document this one answers, when the data knows its number and date."""
    if kind not in ANSWERS or unit is None:
        return []
    answered = ANSWERS[kind]
    header = header_of(campaign, answered, unit)
    if header is None or header.number is None or not header.date.complete:
        return []
    organ = sender_of(campaign, answered, unit)
    symbol = document_symbol(TYPES[answered], campaign.agency(header.issuer).abbreviation, *header.symbol_units)
    code = format_number_line(header.number, symbol).removeprefix("Số: ")
    day = dt.date(header.date.year, header.date.month, header.date.day)
    return [Reference(organ.code, code, day, document_id(organ.code, day, code))]


def message_for(campaign: Campaign, version: DocumentVersion, now: dt.datetime) -> tuple[Message, list[tuple[str, str]]]:
    """(the message of an issued version, [(Nơi nhận line, why it does not go through the axis)])."""
    kind, unit = version.kind, version.unit_key or None
    fields = frozen_fields(campaign, version)
    issuer = campaign.agency(issuer_of(campaign, kind, unit))
    sender = _organ(campaign, issuer)
    found, apart = addresses(campaign, fields["noi_nhan"])
    recipients = [Organ(a.code, a.name) for a in found if a.code != sender.code]     # never to itself
    number, notation = _code_parts(version.number_line)
    pdf = final_pdf(version)
    if pdf is None:
        raise EdxmlError("bản PDF của văn bản chưa tạo xong (vài giây sau khi ban hành): thử lại sau")
    signature = fields["chuc_vu_dong"]
    competence = signature[0] if signature and signature[0].startswith(AUTHORITIES) else ""
    position = signature[-1] if signature else ""
    spec = document_type(TYPES[kind])
    base = f"{number}-{notation}-{version.issued_on:%Y}" if number else f"{notation}-{version.issued_on:%Y}"
    files = [Attachment(ascii_name(base, ".pdf"), "application/pdf",
                        "Bản đã ký số" if version.signed_pdf else "Bản ban hành", pdf)]
    message = Message(sender, recipients, number, notation, issuer.place,
                      version.issued_on, spec.abbreviation or "CV", spec.name.capitalize() if spec.name else "Công văn",
                      fields["trich_yeu"] or KINDS[kind].label, competence, position, fields["nguoi_ky"],
                      fields["noi_nhan"], fields["don_vi_soan_thao"], len(PdfReader(io.BytesIO(pdf)).pages), files,
                      _answered(campaign, kind, unit), now)
    return message, apart


def frozen_fields(campaign: Campaign, version: DocumentVersion) -> dict:
    """What the version was issued with (``register_fields``, frozen at issue), or — for a version issued
    before those were kept — the same read from the document the data compose now."""
    import json

    from service.store.issuing import register_fields
    if version.register_fields:
        fields = json.loads(version.register_fields)
    else:
        fields = register_fields(compose(campaign, version.kind, version.unit_key or None))
    fields.setdefault("chuc_vu_dong", [fields["chuc_vu"]] if fields.get("chuc_vu") else [])
    return fields

