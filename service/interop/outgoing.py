"""An issued document as the edXML message its Nơi nhận get through the e-office: the facts come from
the issued version (number, date, files) and the campaign (issuer, signer, Kính gửi, Nơi nhận, the
agencies' mã định danh); a version whose text no longer matches the data is refused (its metadata
would not be the issued document's). Flask-free: the CLI, the API and the page call it."""
from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from data_models import Campaign
from service.documents import KINDS, compose
from service.domain.issuers import issuer_of, unit_letter
from service.store.issuing import TYPES
from service.store.models import DocumentVersion
from service.store.signatures import final_pdf
from service.vietnamese.symbols import document_type

from .addresses import Address, addresses, resolve
from .edxml import Attachment, EdxmlError, Message, Organ, Reference, document_id

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
    agency = campaign.agency(issuer_of(campaign, kind, unit))
    found, why = resolve(campaign, agency.name)
    if not found:
        raise EdxmlError(f"cơ quan ban hành {agency.name} chưa có mã định danh điện tử ('edoc_codes' của chiến dịch)")
    return Organ(found[0].code, agency.name)


def _answered(campaign: Campaign, kind: str, unit: str | None) -> list[Reference]:
    """ResponseFor: the document this one answers, when the data knows its number and date."""
    if kind not in ANSWERS or unit is None:
        return []
    answered = ANSWERS[kind]
    assessment = campaign.assessment(unit)
    header = unit_letter(assessment, answered) if answered in ("cong-van-ket-qua-tham-dinh",) else \
        (assessment.explanation_report if assessment else None)
    if header is None or header.number is None or not header.date.complete:
        return []
    organ = sender_of(campaign, answered, unit)
    agency = campaign.agency(header.issuer)
    from service.vietnamese.symbols import document_symbol
    code = f"{header.number:02d}/{document_symbol(TYPES[answered], agency.abbreviation, *header.symbol_units)}"
    day = dt.date(header.date.year, header.date.month, header.date.day)
    return [Reference(organ.code, code, day, document_id(organ.code, day, code))]


def message_for(campaign: Campaign, version: DocumentVersion, now: dt.datetime) -> tuple[Message, list[tuple[str, str]]]:
    """(the message of an issued version, [(Nơi nhận line, why it does not go through the axis)])."""
    kind, unit = version.kind, version.unit_key or None
    document = compose(campaign, kind, unit)
    frame = document.frame
    sender = sender_of(campaign, kind, unit)
    lines = [*frame.addressees, *(line for line in frame.recipient_lines)]
    found, apart = addresses(campaign, lines)
    recipients = [Organ(a.code, a.name) for a in found if a.code != sender.code]     # never to itself
    number, notation = _code_parts(version.number_line)
    pdf = final_pdf(version)
    if pdf is None:
        raise EdxmlError("bản PDF của văn bản chưa tạo xong (vài giây sau khi ban hành): thử lại sau")
    signature = list(frame.signature_lines)
    competence = signature[0] if signature and signature[0].startswith(AUTHORITIES) else ""
    position = signature[-1] if signature else ""
    spec = document_type(TYPES[kind])
    archive = next((line for line in frame.recipient_lines if line.strip("- ").startswith("Lưu")), "")
    typer = archive.split(",")[-1].strip(" .;") if "," in archive else ""
    base = f"{number}-{notation}-{version.issued_on:%Y}" if number else f"{notation}-{version.issued_on:%Y}"
    from .edxml import ascii_name
    files = [Attachment(ascii_name(base, ".pdf"), "application/pdf",
                        "Bản đã ký số" if version.signed_pdf else "Bản ban hành", pdf)]
    message = Message(sender, recipients, number, notation, campaign.agency(issuer_of(campaign, kind, unit)).place,
                      version.issued_on, spec.abbreviation or "CV", spec.name.capitalize() if spec.name else "Công văn",
                      " ".join(frame.title_lines) or (frame.subject_line or KINDS[kind].label),
                      competence, position, frame.signer_name,
                      [line.strip("-;. ") for line in frame.recipient_lines if not line.strip("- ").startswith("Lưu")],
                      typer, len(PdfReader(io.BytesIO(pdf)).pages), files, _answered(campaign, kind, unit), now)
    return message, apart


__all__ = ["message_for", "sender_of", "Address"]
