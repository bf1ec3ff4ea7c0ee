"""Document types (Decree 30, Điều 7 and Phụ lục III), numbers and symbols (số, ký hiệu)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import BLANK


@dataclass(frozen=True)
class DocumentType:
    """One administrative document type: its name as printed (tên loại) and its abbreviation."""
    key: str
    name: str            # as printed in the title, upper case (ô 5a)
    abbreviation: str | None  # Phụ lục III; None for công văn / thư công


#: Phụ lục III of Decree 30, case-exact (QyĐ, CTr, TTr keep their lower-case letters).
DOCUMENT_TYPES: dict[str, DocumentType] = {t.key: t for t in [
    DocumentType("nghi-quyet", "NGHỊ QUYẾT", "NQ"),
    DocumentType("quyet-dinh", "QUYẾT ĐỊNH", "QĐ"),
    DocumentType("chi-thi", "CHỈ THỊ", "CT"),
    DocumentType("quy-che", "QUY CHẾ", "QC"),
    DocumentType("quy-dinh", "QUY ĐỊNH", "QyĐ"),
    DocumentType("thong-cao", "THÔNG CÁO", "TC"),
    DocumentType("thong-bao", "THÔNG BÁO", "TB"),
    DocumentType("huong-dan", "HƯỚNG DẪN", "HD"),
    DocumentType("chuong-trinh", "CHƯƠNG TRÌNH", "CTr"),
    DocumentType("ke-hoach", "KẾ HOẠCH", "KH"),
    DocumentType("phuong-an", "PHƯƠNG ÁN", "PA"),
    DocumentType("de-an", "ĐỀ ÁN", "ĐA"),
    DocumentType("du-an", "DỰ ÁN", "DA"),
    DocumentType("bao-cao", "BÁO CÁO", "BC"),
    DocumentType("bien-ban", "BIÊN BẢN", "BB"),
    DocumentType("to-trinh", "TỜ TRÌNH", "TTr"),
    DocumentType("hop-dong", "HỢP ĐỒNG", "HĐ"),
    DocumentType("cong-dien", "CÔNG ĐIỆN", "CĐ"),
    DocumentType("ban-ghi-nho", "BẢN GHI NHỚ", "BGN"),
    DocumentType("ban-thoa-thuan", "BẢN THỎA THUẬN", "BTT"),
    DocumentType("giay-uy-quyen", "GIẤY ỦY QUYỀN", "GUQ"),
    DocumentType("giay-moi", "GIẤY MỜI", "GM"),
    DocumentType("giay-gioi-thieu", "GIẤY GIỚI THIỆU", "GGT"),
    DocumentType("giay-nghi-phep", "GIẤY NGHỈ PHÉP", "GNP"),
    DocumentType("phieu-gui", "PHIẾU GỬI", "PG"),
    DocumentType("phieu-chuyen", "PHIẾU CHUYỂN", "PC"),
    DocumentType("phieu-bao", "PHIẾU BÁO", "PB"),
    DocumentType("cong-van", "", None),
    DocumentType("thu-cong", "", None),
]}

#: Printed in citations ("Kế hoạch số …"): the type name in sentence case.
CITATION_NAMES: dict[str, str] = {
    key: (t.name[:1] + t.name[1:].lower()) if t.name else "Văn bản" for key, t in DOCUMENT_TYPES.items()
}
CITATION_NAMES["cong-van"] = "Công văn"
CITATION_NAMES["thu-cong"] = "Thư công"
CITATION_NAMES["luat"] = "Luật"
CITATION_NAMES["nghi-dinh"] = "Nghị định"
CITATION_NAMES["thong-tu"] = "Thông tư"

_ABBREVIATION = re.compile(r"^[A-ZĐ][A-Za-zĐđ0-9&]*$")
#: Blank number of a draft (the văn thư writes the number after signing).
NUMBER_BLANK = "\u00a0" * 8


#: A số/ký hiệu or a short date in running text: ``3403/KH-UBND``, ``30/2020/NĐ-CP``, ``15/12/2022``.
UNBREAKABLE = re.compile(r"\d+/(?:\d{4}/)?[A-ZĐ][A-Za-zĐđ0-9&]*(?:-[A-ZĐ][A-Za-zĐđ0-9&]*)+|\b\d{1,2}/\d{1,2}/\d{4}\b")


def unbreakable_segments(text: str) -> list[tuple[str, bool]]:
    """Split text into (segment, keep_together) so writers never break a line inside a số/ký hiệu
    (``1952/QĐ-`` | ``UBND`` misreads) or a date."""
    segments, position = [], 0
    for match in UNBREAKABLE.finditer(text):
        if match.start() > position:
            segments.append((text[position:match.start()], False))
        segments.append((match.group(0), True))
        position = match.end()
    if position < len(text) or not segments:
        segments.append((text[position:], False))
    return segments


def document_type(key: str) -> DocumentType:
    """The type for a key such as ``ke-hoach``; ValueError (Vietnamese) for an unknown key."""
    try:
        return DOCUMENT_TYPES[key]
    except KeyError:
        raise ValueError(f"loại văn bản không hợp lệ: {key!r}") from None


def check_abbreviation(text: str) -> str:
    """An agency or unit abbreviation: starts upper case, letters/digits/&, no spaces (``UBND``, ``SNV``)."""
    if not _ABBREVIATION.match(text):
        raise ValueError(f"chữ viết tắt {text!r} không hợp lệ (chữ in hoa, không dấu cách, ví dụ UBND, SNV)")
    return text


def document_symbol(type_key: str, issuer: str, *units: str) -> str:
    """Ký hiệu: ``KH-UBND``, ``QĐ-UBND-NC``; công văn has no type group: ``UBND-NC``."""
    kind = document_type(type_key)
    groups = ([kind.abbreviation] if kind.abbreviation else []) + [check_abbreviation(issuer)]
    groups += [check_abbreviation(u) for u in units]
    if kind.abbreviation is None and len(groups) < 2:
        raise ValueError("ký hiệu công văn cần chữ viết tắt của đơn vị soạn thảo hoặc lĩnh vực (ví dụ UBND-NC)")
    return "-".join(groups)


def format_document_number(number: int | None) -> str:
    """The number part: 1–9 as ``01``–``09``; None (a draft) as a blank."""
    if number is None:
        return NUMBER_BLANK
    if number < 1:
        raise ValueError(f"số văn bản phải từ 1 trở lên, không phải {number}")
    return f"{number:02d}"


def format_number_line(number: int | None, symbol: str) -> str:
    """The ô 3 line: ``Số: 3403/KH-UBND``, ``Số: 05/QĐ-UBND``; a draft ``Số:        /KH-UBND``."""
    return f"Số: {format_document_number(number)}/{symbol}"


def format_reference_number(number: int, symbol: str) -> str:
    """Số/ký hiệu as cited in running text: ``3403/KH-UBND``."""
    return f"{format_document_number(number)}/{symbol}"


__all__ = ["BLANK", "DOCUMENT_TYPES", "CITATION_NAMES", "DocumentType", "document_type",
           "document_symbol", "format_document_number", "format_number_line",
           "format_reference_number", "check_abbreviation", "NUMBER_BLANK", "unbreakable_segments"]
