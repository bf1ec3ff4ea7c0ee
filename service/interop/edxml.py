"""edXML messages (QCVN 102:2016/BTTTT as amended by TT 01/2022): an issued document as the message
the e-office and the national exchange axis take — its header (From/To by mã định danh, số và ký hiệu,
promulgation, type, subject, signer, Nơi nhận, trace) and its files base64 with names of at most 50
ASCII characters — and a status message read back (01–06, 13, 15, 16). Both are checked against the
schema in ``edxml.xsd`` (written from the standard: none is published). A writer: it is given what
to write, it knows no document kind and nothing of Flask."""
from __future__ import annotations

import base64
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
SCHEMA = Path(__file__).with_name("edxml.xsd")
#: A message the e-office takes (Ninh Bình QĐ 161/2025: at most 50 MB).
MAX_MESSAGE_BYTES = 50 * 1024 * 1024
#: What each status code says, as the workspace shows it.
STATUS_CODES = {"01": "đã đến hệ thống của nơi nhận", "02": "nơi nhận từ chối tiếp nhận", "03": "nơi nhận đã tiếp nhận",
                "04": "đã phân công xử lý", "05": "đang xử lý", "06": "đã xử lý xong",
                "13": "nơi gửi đề nghị lấy lại văn bản", "15": "nơi nhận đồng ý lấy lại, cập nhật",
                "16": "nơi nhận từ chối lấy lại, cập nhật"}
#: Codes that mean the document came back to the sender (shown as returned).
RETURNED = {"02", "15"}


class EdxmlError(ValueError):
    """A message that cannot be written or read, said in Vietnamese."""


@dataclass(frozen=True)
class Organ:
    code: str
    name: str


@dataclass(frozen=True)
class Reference:
    """ResponseFor: the document this one answers (or a status is about)."""
    organ_code: str
    code: str                 # '45/BC-SXD'
    date: dt.date
    document_id: str


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    description: str
    data: bytes


@dataclass(frozen=True)
class Message:
    sender: Organ
    recipients: list[Organ]
    number: str               # '125' ('' when the document has none)
    notation: str             # 'KH-UBND'
    place: str
    date: dt.date
    type_code: str            # 'KH', 'QĐ', 'CV'
    type_name: str
    subject: str
    competence: str           # 'KT. CHỦ TỊCH' ('' when the signer signs in their own name)
    position: str
    signer: str
    places: list[str]         # the Nơi nhận lines as printed
    typer: str                # the archive line's drafting unit ('CCHC')
    pages: int
    attachments: list[Attachment]
    responds_to: list[Reference]
    sent_at: dt.datetime

    @property
    def document_id(self) -> str:
        return document_id(self.sender.code, self.date, self.code_line)

    @property
    def code_line(self) -> str:
        return f"{self.number}/{self.notation}" if self.number else self.notation


@dataclass(frozen=True)
class Status:
    about: Reference
    sender: Organ
    code: str
    description: str
    at: dt.datetime
    staff: str

    @property
    def meaning(self) -> str:
        return STATUS_CODES[self.code]


def document_id(organ_code: str, date: dt.date, code_line: str) -> str:
    """The document's identity on the axis: the sender's code, the date and its số, ký hiệu."""
    return f"{organ_code},{date:%Y/%m/%d},{code_line}"


def ascii_name(text: str, suffix: str) -> str:
    """A file name an e-office takes: ASCII letters, digits, '-', '_' and '.', at most 50 characters."""
    plain = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    plain = re.sub(r"[^A-Za-z0-9]+", "-", plain.encode("ascii", "ignore").decode()).strip("-") or "van-ban"
    return plain[:50 - len(suffix)].rstrip("-") + suffix


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def _element(parent, name: str, text: str | None = None):
    node = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    if text is not None:
        node.text = text
    return node


def _organ(parent, name: str, organ: Organ) -> None:
    node = _element(parent, name)
    _element(node, "OrganId", organ.code)
    _element(node, "OrganName", organ.name)


def _reference(parent, name: str, reference: Reference) -> None:
    node = _element(parent, name)
    _element(node, "OrganId", reference.organ_code)
    _element(node, "Code", reference.code)
    _element(node, "PromulgationDate", reference.date.isoformat())
    _element(node, "DocumentId", reference.document_id)


def write_message(message: Message) -> bytes:
    """The edXML of ``message``, valid against the schema (EdxmlError in Vietnamese otherwise)."""
    if not message.recipients:
        raise EdxmlError("văn bản không có nơi nhận nào có mã định danh điện tử: không gửi được qua trục liên thông")
    root = etree.Element(f"{{{NAMESPACE}}}edXMLEnvelope", nsmap={"edXML": NAMESPACE})
    header = _element(root, "edXMLHeader")
    head = _element(header, "MessageHeader")
    _organ(head, "From", message.sender)
    for recipient in message.recipients:
        _organ(head, "To", recipient)
    _element(head, "DocumentId", message.document_id)
    code = _element(head, "Code")
    _element(code, "CodeNumber", message.number)
    _element(code, "CodeNotation", message.notation)
    promulgation = _element(head, "PromulgationInfo")
    _element(promulgation, "Place", message.place)
    _element(promulgation, "PromulgationDate", message.date.isoformat())
    kind = _element(head, "DocumentType")
    _element(kind, "Type", message.type_code)
    _element(kind, "TypeName", message.type_name)
    _element(head, "Subject", message.subject)
    signer = _element(head, "SignerInfo")
    _element(signer, "Competence", message.competence)
    _element(signer, "Position", message.position)
    _element(signer, "FullName", message.signer)
    places = _element(head, "ToPlaces")
    for place in message.places or [r.name for r in message.recipients]:
        _element(places, "Place", place)
    other = _element(head, "OtherInfo")
    _element(other, "Priority", "0")
    _element(other, "SphereOfPromulgation", "Liên thông văn bản quốc gia")
    _element(other, "TyperNotation", message.typer)
    _element(other, "PromulgationAmount", str(len(message.recipients)))
    _element(other, "PageAmount", str(message.pages))
    for reference in message.responds_to:
        _reference(head, "ResponseFor", reference)
    _element(head, "SteeringType", "0")
    trace = _element(_element(header, "TraceHeaderList"), "TraceHeader")
    _element(trace, "OrganId", message.sender.code)
    _element(trace, "Timestamp", message.sent_at.isoformat(timespec="seconds"))
    body = _element(root, "edXMLBody")
    for number, attachment in enumerate(message.attachments, 1):
        node = _element(body, "Attachment")
        _element(node, "ContentId", f"tep-{number}")
        _element(node, "AttachmentName", attachment.name)
        _element(node, "ContentType", attachment.content_type)
        _element(node, "Description", attachment.description)
        _element(node, "ContentTransferEncoded", base64.b64encode(attachment.data).decode("ascii"))
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    _check(etree.fromstring(data, _parser()))
    if len(data) > MAX_MESSAGE_BYTES:
        raise EdxmlError(f"gói edXML {len(data) // 1048576} MB, quá 50 MB trục liên thông nhận")
    return data


def _parser() -> etree.XMLParser:
    """No entities, no network, no huge trees: a message from outside is data."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


def _check(root) -> None:
    schema = _schema()
    if not schema.validate(root):
        first = schema.error_log.filter_from_errors()[0] if schema.error_log.filter_from_errors() else None
        where = f" (dòng {first.line}: {first.message})" if first is not None else ""
        raise EdxmlError("gói edXML không đúng cấu trúc của chuẩn" + where)


def _text(node, path: str) -> str:
    found = node.find(path, {"e": NAMESPACE})
    return (found.text or "").strip() if found is not None else ""


def read_envelope(data: bytes):
    """The parsed, schema-checked envelope of a message from outside (EdxmlError otherwise)."""
    if len(data) > MAX_MESSAGE_BYTES:
        raise EdxmlError("tệp quá 50 MB")
    if b"<!DOCTYPE" in data[:2048] or b"<!ENTITY" in data[:4096]:
        raise EdxmlError("tệp có khai báo DOCTYPE/ENTITY: không nhận")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        raise EdxmlError("tệp không phải XML hợp lệ") from None
    _check(root)
    return root


def _reference_of(node) -> Reference:
    return Reference(_text(node, "e:OrganId"), _text(node, "e:Code"),
                     dt.date.fromisoformat(_text(node, "e:PromulgationDate")), _text(node, "e:DocumentId"))


def read_status(data: bytes) -> Status:
    """A status message (the receiver's step on a document we sent)."""
    root = read_envelope(data)
    status = root.find("e:edXMLHeader/e:Status", {"e": NAMESPACE})
    if status is None:
        raise EdxmlError("tệp là gói văn bản, không phải thông điệp trạng thái")
    sender = status.find("e:From", {"e": NAMESPACE})
    at = dt.datetime.fromisoformat(_text(status, "e:Timestamp"))
    return Status(_reference_of(status.find("e:ResponseFor", {"e": NAMESPACE})),
                  Organ(_text(sender, "e:OrganId"), _text(sender, "e:OrganName")), _text(status, "e:StatusCode"),
                  _text(status, "e:Description"), at if at.tzinfo else at.replace(tzinfo=dt.timezone(dt.timedelta(hours=7))),
                  _text(status, "e:StaffInfo/e:Staff"))


def read_message(data: bytes) -> Message:
    """A document message read back (the round trip of ``write_message``; a message another system sent)."""
    root = read_envelope(data)
    head = root.find("e:edXMLHeader/e:MessageHeader", {"e": NAMESPACE})
    if head is None:
        raise EdxmlError("tệp là thông điệp trạng thái, không phải gói văn bản")
    ns = {"e": NAMESPACE}

    def organ(node):
        return Organ(_text(node, "e:OrganId"), _text(node, "e:OrganName"))
    attachments = [Attachment(_text(a, "e:AttachmentName"), _text(a, "e:ContentType"), _text(a, "e:Description"),
                              base64.b64decode(_text(a, "e:ContentTransferEncoded")))
                   for a in root.findall("e:edXMLBody/e:Attachment", ns)]
    return Message(organ(head.find("e:From", ns)), [organ(n) for n in head.findall("e:To", ns)],
                   _text(head, "e:Code/e:CodeNumber"), _text(head, "e:Code/e:CodeNotation"),
                   _text(head, "e:PromulgationInfo/e:Place"),
                   dt.date.fromisoformat(_text(head, "e:PromulgationInfo/e:PromulgationDate")),
                   _text(head, "e:DocumentType/e:Type"), _text(head, "e:DocumentType/e:TypeName"), _text(head, "e:Subject"),
                   _text(head, "e:SignerInfo/e:Competence"), _text(head, "e:SignerInfo/e:Position"),
                   _text(head, "e:SignerInfo/e:FullName"), [p.text or "" for p in head.findall("e:ToPlaces/e:Place", ns)],
                   _text(head, "e:OtherInfo/e:TyperNotation"), int(_text(head, "e:OtherInfo/e:PageAmount") or 0),
                   attachments, [_reference_of(n) for n in head.findall("e:ResponseFor", ns)],
                   dt.datetime.fromisoformat(_text(root, "e:edXMLHeader/e:TraceHeaderList/e:TraceHeader/e:Timestamp")))


def write_status(status: Status) -> bytes:
    """A status message (what a receiving e-office sends back; the tests play the receiver with it)."""
    root = etree.Element(f"{{{NAMESPACE}}}edXMLEnvelope", nsmap={"edXML": NAMESPACE})
    node = _element(_element(root, "edXMLHeader"), "Status")
    _reference(node, "ResponseFor", status.about)
    _organ(node, "From", status.sender)
    _element(node, "StatusCode", status.code)
    _element(node, "Description", status.description)
    _element(node, "Timestamp", status.at.isoformat(timespec="seconds"))
    if status.staff:
        _element(_element(node, "StaffInfo"), "Staff", status.staff)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    _check(etree.fromstring(data, _parser()))
    return data
