"""Checks a DOCX against the machine-checkable rules of Decree 30 (``shared/spec/nd30-format.md`` §5).

Implemented: R01–R25, R27–R30, R33–R42 where the document has the element they speak of (a rule on
căn cứ, Điều or Kính gửi is silent for a plan that has none). Text comparisons fold NFC and the two
tone placements (HÒA/HOÀ, ỦY/UỶ). Each violation names the rule, so a test or a user can see why.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from service.fonts import text_width_mm
from service.vietnamese import to_roman
from service.vietnamese.symbols import DOCUMENT_TYPES

from .effective import (all_bold, all_italic, any_italic, paragraph_format, paragraph_size, run_format,
                        text_runs)

TWIPS_PER_MM = 1440 / 25.4
#: One line ("single") of Times New Roman / Liberation Serif, in font sizes (ascent + descent + gap).
SINGLE_LINE = 1.15
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
TYPE_NAMES = {t.name: t.abbreviation for t in DOCUMENT_TYPES.values() if t.name}
_TYPE_CODES = "|".join(sorted((t.abbreviation for t in DOCUMENT_TYPES.values() if t.abbreviation), key=len, reverse=True))
NUMBER_LINE = re.compile(r"^Số:(?P<number>[^/]*)/(?P<symbol>.+)$")
NUMBER = re.compile(r"^(0[1-9]|[1-9]\d+)$")
#: ô 4; a draft leaves the day (and month) blank: ``Hà Nam, ngày      tháng     năm 2023``.
DATE_LINE = re.compile(r"^(?P<place>[^,]+), ngày\s+(?P<day>0[1-9]|[12]\d|3[01])?\s+tháng\s+"
                       r"(?P<month>01|02|[3-9]|1[0-2])?\s+năm (?P<year>\d{4})$")
AUTHORITY = re.compile(r"^(TM|KT|Q|TL|TUQ)\. ")
ACADEMIC = re.compile(r"^(GS|PGS|TS|ThS|KS)\.")
LEGACY_FONTS = re.compile(r"^(\.Vn|VNI-)", re.I)
ROMAN = re.compile(r"^(?P<roman>[IVXLC]+)\. (?P<title>.+)$")
DIEU = re.compile(r"^Điều (?P<n>\d+)\.(?P<title>.*)$")


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


def fold(text: str) -> str:
    """NFC, dashes to '-', whitespace collapsed, tone placement folded (HOÀ→HÒA, UỶ→ỦY)."""
    text = unicodedata.normalize("NFC", text)
    for old, new in (("OÀ", "ÒA"), ("oà", "òa"), ("UỶ", "ỦY"), ("uỷ", "ủy"), ("OẢ", "ỎA"), ("oả", "ỏa")):
        text = text.replace(old, new)
    return re.sub(r"\s+", " ", text).strip()


def _mm(twips: float) -> float:
    return twips / TWIPS_PER_MM


def _cell_inner_mm(cell: _Cell) -> float:
    width = cell._tc.tcPr.find(qn("w:tcW")) if cell._tc.tcPr is not None else None
    total = int(width.get(qn("w:w"))) if width is not None else 0
    margins = 0
    tbl_pr = cell._tc.getparent().getparent().tblPr
    cell_mar = tbl_pr.find(qn("w:tblCellMar")) if tbl_pr is not None else None
    for side in ("left", "right"):
        found = cell_mar.find(qn(f"w:{side}")) if cell_mar is not None else None
        margins += int(found.get(qn("w:w"))) if found is not None else 108  # Word's default 0.19 cm
    return _mm(total - margins)


class _Checker:
    def __init__(self, document: DocxDocument, today: dt.date | None):
        self.doc = document
        self.today = today or dt.date.today()
        self.violations: list[Violation] = []
        self.number_symbol = ""          # ký hiệu read from the Số line, checked against the tên loại
        self.minutes = any(fold(p.text) == "BIÊN BẢN" for p in document.paragraphs[:3])
        self.number_row: int | None = None

    def fail(self, rule: str, message: str) -> None:
        self.violations.append(Violation(rule, message))

    # ---------------------------------------------------------------- page and fonts
    def page(self) -> None:
        for index, section in enumerate(self.doc.sections, start=1):
            width, height = section.page_width.mm, section.page_height.mm
            if not (abs(min(width, height) - 210) <= 1 and abs(max(width, height) - 297) <= 1):
                self.fail("R01", f"mục {index}: khổ giấy {width:.0f}×{height:.0f} mm, không phải A4")
            if width > height and not self.doc.tables:
                self.fail("R02", f"mục {index}: trang ngang nhưng không có bảng")
            for rule, name, value, low, high in (
                    ("R03", "lề trên", section.top_margin.mm, 20, 25),
                    ("R04", "lề dưới", section.bottom_margin.mm, 20, 25),
                    ("R05", "lề trái", section.left_margin.mm, 30, 35),
                    ("R06", "lề phải", section.right_margin.mm, 15, 20)):
                if not low - 0.5 <= value <= high + 0.5:
                    self.fail(rule, f"mục {index}: {name} {value:.1f} mm (phải {low}–{high} mm)")

    def all_paragraphs(self):
        yield from self.doc.paragraphs
        for table in self.doc.tables:
            yield from self._table_paragraphs(table)
        for section in self.doc.sections:
            for part in (section.header, section.first_page_header, section.footer):
                if part is not None and not part.is_linked_to_previous:
                    yield from part.paragraphs

    def _table_paragraphs(self, table: Table):
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
                for inner in cell.tables:
                    yield from self._table_paragraphs(inner)

    def fonts_and_text(self) -> None:
        bad_fonts, bad_colour, not_nfc = set(), set(), 0
        for paragraph in self.all_paragraphs():
            for run in text_runs(paragraph):
                fmt = run_format(run, paragraph, self.doc)
                for slot in (fmt.ascii, fmt.h_ansi):
                    if slot != "Times New Roman":
                        bad_fonts.add(str(slot))
                    if slot and LEGACY_FONTS.match(slot):
                        self.fail("R09", f"phông chữ cũ không theo Unicode: {slot}")
                if fmt.color not in (None, "auto", "000000"):
                    bad_colour.add(fmt.color)
                if unicodedata.normalize("NFC", run.text) != run.text:
                    not_nfc += 1
                if "\ufffd" in run.text:
                    self.fail("R09", f"văn bản có ký tự lỗi mã hóa: {run.text[:40]!r}")
        if bad_fonts:
            self.fail("R07", f"có đoạn chữ không dùng Times New Roman (ascii/hAnsi): {sorted(bad_fonts)}")
        if bad_colour:
            self.fail("R08", f"màu chữ không phải màu đen: {sorted(bad_colour)}")
        if not_nfc:
            self.fail("R09", f"{not_nfc} đoạn chữ không ở dạng Unicode dựng sẵn (NFC)")

    def page_numbers(self) -> None:
        for index, section in enumerate(self.doc.sections, start=1):
            if not section.different_first_page_header_footer:
                self.fail("R10", f"mục {index}: chưa đặt trang đầu khác (titlePg): trang 1 không đánh số")
            header_xml = section.header._element.xml if section.header is not None else ""
            if "PAGE" not in header_xml:
                self.fail("R10", f"mục {index}: đầu trang không có trường số trang PAGE")
                continue
            for paragraph in section.header.paragraphs:
                if "PAGE" in paragraph._p.xml:
                    fmt = paragraph_format(paragraph, self.doc)
                    runs = [r for r in paragraph.runs]
                    sizes = {run_format(r, paragraph, self.doc).size_pt for r in runs}
                    if fmt.align != "center":
                        self.fail("R10", "số trang không căn giữa")
                    if not sizes <= {13, 14}:
                        self.fail("R10", f"cỡ chữ số trang {sizes} (phải 13–14)")
                    if any(run_format(r, paragraph, self.doc).italic for r in runs):
                        self.fail("R10", "số trang in nghiêng")
            if section.different_first_page_header_footer and "PAGE" in section.first_page_header._element.xml:
                self.fail("R10", f"mục {index}: trang đầu vẫn hiện số trang")

    # ---------------------------------------------------------------- header block (ô 1–4)
    def header(self) -> dict:
        found: dict = {}
        if not self.doc.tables:
            self.fail("R11", "không có bảng phần đầu văn bản (tên cơ quan | Quốc hiệu)")
            return found
        table = self.doc.tables[0]
        rows = table.rows
        for r_index, row in enumerate(rows):
            for c_index, cell in enumerate(row.cells):
                for p_index, paragraph in enumerate(cell.paragraphs):
                    text = fold(paragraph.text)
                    if text == NATIONAL_NAME:
                        found["national"] = (r_index, c_index, cell, p_index)
                    if text.startswith("Số:"):
                        found["number"] = (r_index, c_index, paragraph)
                    if text.startswith("V/v "):
                        found["subject"] = (r_index, c_index, paragraph)
                    if DATE_LINE.match(unicodedata.normalize("NFC", paragraph.text).strip()):
                        found["date"] = (r_index, c_index, paragraph)
        self._national(found)
        self._agency(table)
        self._number(found)
        self._date(found)
        self._subject(found)
        return found

    def _subject(self, found: dict) -> None:
        """R26: a công văn's 'V/v …' under the number: 12–13 pt, upright, not bold, centred, ~6 pt above;
        R18: its symbol has no type abbreviation."""
        named = any(fold(p.text) in TYPE_NAMES for p in self.doc.paragraphs[:3])
        if named:
            return
        if "subject" not in found:
            self.fail("R26", "công văn (không có tên loại) thiếu dòng 'V/v …' dưới số, ký hiệu")
            return
        _, column, paragraph = found["subject"]
        fmt = paragraph_format(paragraph, self.doc)
        if (column != 0 or paragraph_size(paragraph, self.doc) not in (12, 12.5, 13) or all_bold(paragraph, self.doc)
                or any_italic(paragraph, self.doc) or fmt.align != "center" or not 80 <= fmt.before_twips <= 160):
            self.fail("R26", "dòng 'V/v …' phải ở cột trái dưới số, cỡ 12–13, đứng, không đậm, căn giữa, cách trên 6 pt")
        if self.number_symbol.split("-")[0] in TYPE_NAMES.values():
            self.fail("R18", f"ký hiệu công văn {self.number_symbol!r} không có nhóm chữ viết tắt tên loại")

    def _national(self, found: dict) -> None:
        if "national" not in found:
            self.fail("R11", f"thiếu Quốc hiệu '{NATIONAL_NAME}'")
            return
        _, column, cell, index = found["national"]
        paragraph = cell.paragraphs[index]
        size = paragraph_size(paragraph, self.doc)
        if column != 1:
            self.fail("R11", "Quốc hiệu không ở cột phải")
        if not all_bold(paragraph, self.doc) or any_italic(paragraph, self.doc) or size not in (12, 12.5, 13):
            self.fail("R11", f"Quốc hiệu phải in đậm, đứng, cỡ 12–13 (đang {size})")
        if index + 1 >= len(cell.paragraphs):
            self.fail("R12", "thiếu Tiêu ngữ dưới Quốc hiệu")
            return
        motto = cell.paragraphs[index + 1]
        motto_text = unicodedata.normalize("NFC", motto.text).strip()
        if motto_text != MOTTO:
            rule_message = "dùng gạch ngang dài thay dấu '-'" if fold(motto_text.replace("–", "-")) == MOTTO else "sai chữ"
            self.fail("R12", f"Tiêu ngữ {motto_text!r}: {rule_message} (phải {MOTTO!r}, ngay dưới Quốc hiệu)")
        motto_size = paragraph_size(motto, self.doc)
        if not all_bold(motto, self.doc) or any_italic(motto, self.doc) or motto_size not in (13, 14):
            self.fail("R12", f"Tiêu ngữ phải in đậm, đứng, cỡ 13–14 (đang {motto_size})")
        if paragraph_format(motto, self.doc).align != "center":
            self.fail("R12", "Tiêu ngữ không căn giữa")
        rule = self._rule_after(cell, index + 1)
        if rule is None:
            self.fail("R13", "thiếu đường kẻ dưới Tiêu ngữ")
        else:
            text_width = text_width_mm(MOTTO, motto_size or 14, bold=True)
            if abs(rule - text_width) > 0.15 * text_width:
                self.fail("R13", f"đường kẻ dưới Tiêu ngữ dài {rule:.1f} mm, Tiêu ngữ dài {text_width:.1f} mm")

    def _rule_after(self, cell: _Cell, index: int) -> float | None:
        """Length (mm) of a bordered empty paragraph right after paragraph ``index`` of ``cell``."""
        if index + 1 >= len(cell.paragraphs):
            return None
        paragraph = cell.paragraphs[index + 1]
        fmt = paragraph_format(paragraph, self.doc)
        if paragraph.text.strip() or not fmt.top_border:
            return None
        return _cell_inner_mm(cell) - _mm(fmt.left_twips + fmt.right_twips)

    def _agency(self, table: Table) -> None:
        cell = table.rows[0].cells[0]
        lines = [p for p in cell.paragraphs if p.text.strip()]
        agency = [p for p in lines if not p.text.startswith("Số:")]
        if not agency:
            self.fail("R14", "thiếu tên cơ quan ban hành ở cột trái")
            return
        bold_lines = [p for p in agency if all_bold(p, self.doc)]
        if not bold_lines:
            self.fail("R14", "tên cơ quan ban hành phải in đậm")
        seen_bold = False
        for paragraph in agency:
            size = paragraph_size(paragraph, self.doc)
            text = paragraph.text.strip()
            is_bold = all_bold(paragraph, self.doc)
            if text != text.upper():
                self.fail("R14", f"tên cơ quan phải in hoa: {text!r}")
            if size not in (12, 12.5, 13):
                self.fail("R14", f"tên cơ quan cỡ {size} (phải 12–13): {text!r}")
            if paragraph_format(paragraph, self.doc).align != "center":
                self.fail("R14", f"tên cơ quan không căn giữa: {text!r}")
            if seen_bold and not is_bold:
                self.fail("R14", f"dòng cơ quan chủ quản (không đậm) phải đứng trên tên cơ quan ban hành: {text!r}")
            seen_bold = seen_bold or is_bold
        last_index = [p._p for p in cell.paragraphs].index(agency[-1]._p)
        rule = self._rule_after(cell, last_index)
        longest = max(text_width_mm(p.text.strip(), paragraph_size(p, self.doc) or 13, bold=True) for p in bold_lines or agency)
        if rule is None:
            self.fail("R15", "thiếu đường kẻ dưới tên cơ quan ban hành")
        elif not (longest / 3 * 0.85 <= rule <= longest / 2 * 1.15):
            self.fail("R15", f"đường kẻ dưới tên cơ quan dài {rule:.1f} mm, phải 1/3–1/2 của {longest:.1f} mm")

    def _number(self, found: dict) -> None:
        if "number" not in found:
            self.fail("R16", "thiếu dòng 'Số: …' ở cột trái")
            return
        row, column, paragraph = found["number"]
        text = unicodedata.normalize("NFC", paragraph.text).strip()
        match = NUMBER_LINE.match(text)
        if column != 0:
            self.fail("R16", "dòng Số không ở cột trái")
        if paragraph_size(paragraph, self.doc) != 13 or any_italic(paragraph, self.doc) or all_bold(paragraph, self.doc):
            self.fail("R16", "dòng Số phải cỡ 13, chữ đứng, không đậm")
        if not match:
            self.fail("R17", f"số, ký hiệu sai dạng: {text!r} (ví dụ 'Số: 05/QĐ-UBND')")
            return
        number = match.group("number").strip()
        if number and not (NUMBER.match(number) and match.group("number").startswith(" ")):
            self.fail("R17", f"số {number!r}: số nguyên từ 01, số dưới 10 viết 01–09, sau 'Số: '")
        symbol = match.group("symbol")
        if not re.match(r"^[A-ZĐ][A-Za-zĐđ0-9&]*(-[A-ZĐ][A-Za-zĐđ0-9&]*)+$", symbol):
            self.fail("R19", f"ký hiệu {symbol!r}: các nhóm chữ nối bằng '-', không có dấu cách")
        self.number_symbol = symbol
        self.number_row = row

    def _date(self, found: dict) -> None:
        if "date" not in found:
            if not self.minutes:   # a Biên bản (Mẫu 1.9) has no place-and-date line
                self.fail("R20", "thiếu dòng địa danh, ngày tháng năm ở cột phải")
            return
        row, column, paragraph = found["date"]
        groups = DATE_LINE.match(unicodedata.normalize("NFC", paragraph.text).strip()).groupdict()
        if column != 1:
            self.fail("R20", "dòng ngày tháng không ở cột phải")
        if self.number_row is not None and self.number_row != row:
            self.fail("R20", "dòng ngày tháng không cùng hàng với dòng Số")
        if not all_italic(paragraph, self.doc) or paragraph_size(paragraph, self.doc) not in (13, 14):
            self.fail("R20", "dòng ngày tháng phải in nghiêng, cỡ 13–14")
        if paragraph_format(paragraph, self.doc).align != "center":
            self.fail("R20", "dòng ngày tháng không căn giữa")
        place = groups["place"]
        if not all(word[:1].isupper() or word[:1].isdigit() for word in place.split()):
            self.fail("R22", f"địa danh {place!r}: mỗi chữ phải viết hoa chữ cái đầu")
        day, month = groups["day"], groups["month"]
        if day and month:
            try:
                date = dt.date(int(groups["year"]), int(month), int(day))
            except ValueError:
                self.fail("R21", f"ngày {day}/{month}/{groups['year']} không tồn tại")
            else:
                if date > self.today:
                    self.violations.append(Violation("R21", f"(cảnh báo) ngày ban hành {date:%d/%m/%Y} sau hôm nay"))

    # ---------------------------------------------------------------- title (ô 5a)
    def title(self) -> tuple[int, str] | None:
        body = self.doc.paragraphs
        for index, paragraph in enumerate(body):
            text = fold(paragraph.text)
            if text in TYPE_NAMES:
                size = paragraph_size(paragraph, self.doc)
                if (not all_bold(paragraph, self.doc) or size not in (13, 14)
                        or paragraph_format(paragraph, self.doc).align != "center"):
                    self.fail("R23", f"tên loại {text!r} phải in hoa, đậm, cỡ 13–14, căn giữa")
                symbol = self.number_symbol
                if symbol and symbol.split("-")[0] != TYPE_NAMES[text]:
                    self.fail("R18", f"ký hiệu {symbol!r} không bắt đầu bằng {TYPE_NAMES[text]!r} của {text}")
                if index + 1 >= len(body):
                    self.fail("R24", "thiếu trích yếu")
                    return None
                excerpt = body[index + 1]
                size = paragraph_size(excerpt, self.doc)
                lines = [line for line in excerpt.text.split("\n") if line.strip()]
                if (not all_bold(excerpt, self.doc) or any_italic(excerpt, self.doc) or size not in (13, 14)
                        or paragraph_format(excerpt, self.doc).align != "center" or excerpt.text == excerpt.text.upper()):
                    self.fail("R24", "trích yếu phải in đậm, đứng, cỡ 13–14, căn giữa, chữ thường")
                rule_index = index + 2
                if rule_index < len(body):
                    rule = body[rule_index]
                    fmt = paragraph_format(rule, self.doc)
                    if rule.text.strip() or not fmt.top_border:
                        self.fail("R25", "thiếu đường kẻ dưới trích yếu")
                    else:
                        section = self.doc.sections[0]
                        box = section.page_width.mm - section.left_margin.mm - section.right_margin.mm
                        length = box - _mm(fmt.left_twips + fmt.right_twips)
                        longest = max(text_width_mm(line.strip(), size or 14, bold=True) for line in lines)
                        if not (longest / 3 * 0.85 <= length <= longest / 2 * 1.15):
                            self.fail("R25", f"đường kẻ dưới trích yếu dài {length:.1f} mm, phải 1/3–1/2 của {longest:.1f} mm")
                return rule_index, text
        if self.number_symbol.split("-")[0] in TYPE_NAMES.values():
            self.fail("R23", "thiếu tên loại văn bản (KẾ HOẠCH, QUYẾT ĐỊNH …) dưới phần đầu")
        return None

    # ---------------------------------------------------------------- body (ô 6)
    def _main_and_annexes(self, start: int) -> tuple[list[Paragraph], list[list[Paragraph]]]:
        """Body paragraphs of the main section, and those of each following section (phụ lục)."""
        parts: list[list[Paragraph]] = [[]]
        for paragraph in self.doc.paragraphs[start + 1:]:
            if paragraph.text.strip():
                parts[-1].append(paragraph)
            if paragraph._p.pPr is not None and paragraph._p.pPr.find(qn("w:sectPr")) is not None:
                parts.append([])
        return parts[0], [part for part in parts[1:] if part]

    def annexes(self, annexes: list[list[Paragraph]], main: list[Paragraph]) -> None:
        """R42: each phụ lục starts a section numbered from 1, headed 'Phụ lục', title, '(Kèm theo …)'."""
        for index, section in enumerate(self.doc.sections[1:], start=2):
            start = section._sectPr.find(qn("w:pgNumType"))
            if start is None or start.get(qn("w:start")) != "1":
                self.fail("R42", f"mục {index} (phụ lục): số trang không bắt đầu lại từ 1")
        mentioned = " ".join(p.text for p in main)
        for number, part in enumerate(annexes, start=1):
            head = part[0]
            label = head.text.strip()
            if not re.match(r"^Phụ lục( [IVX]+)?$", label) or paragraph_size(head, self.doc) != 14 \
                    or not all_bold(head, self.doc) or paragraph_format(head, self.doc).align != "center":
                self.fail("R42", f"phụ lục {number}: dòng đầu phải là 'Phụ lục [số La Mã]', cỡ 14, đậm, căn giữa")
                continue
            if len(annexes) > 1 and label == "Phụ lục":
                self.fail("R42", "có từ hai phụ lục thì đánh số La Mã")
            title = part[1] if len(part) > 1 else None
            if title is None or title.text.strip() != title.text.strip().upper() or not all_bold(title, self.doc):
                self.fail("R42", f"{label}: tên phụ lục phải in hoa, đậm")
            note = part[2] if len(part) > 2 else None
            if note is None or not note.text.strip().startswith(("(Kèm theo", "(Ban hành kèm theo")) \
                    or not all_italic(note, self.doc):
                self.fail("R42", f"{label}: thiếu dòng '(Kèm theo …)' in nghiêng")
            if "Phụ lục" not in mentioned:
                self.fail("R42", f"nội dung văn bản không dẫn chiếu {label}")

    def body(self, start: int) -> None:
        paragraphs, annexes = self._main_and_annexes(start)
        self.annexes(annexes, paragraphs)
        previous = None
        romans: list[str] = []
        dieu: list[int] = []
        in_basis = any(fold(p.text) in ("QUYẾT ĐỊNH:", "QUYẾT NGHỊ:") for p in paragraphs)
        basis: list[Paragraph] = []
        for paragraph in paragraphs:
            text = paragraph.text.strip()
            fmt = paragraph_format(paragraph, self.doc)
            size = paragraph_size(paragraph, self.doc)
            if in_basis:
                if fold(text) in ("QUYẾT ĐỊNH:", "QUYẾT NGHỊ:"):
                    in_basis = False
                    self._basis(basis)
                elif fmt.align != "center":
                    basis.append(paragraph)
                continue
            centred_heading = fmt.align == "center"
            if size not in (13, 14):
                self.fail("R27", f"cỡ chữ nội dung {size} (phải 13–14): {text[:50]!r}")
            if not centred_heading:
                if fmt.align != "both":
                    self.fail("R27", f"đoạn nội dung không căn đều hai bên: {text[:50]!r}")
                if round(_mm(fmt.first_line_twips) / 10, 2) not in (1.0, 1.27) and not DIEU.match(text):
                    self.fail("R27", f"thụt đầu dòng {_mm(fmt.first_line_twips) / 10:.2f} cm (phải 1 hoặc 1,27 cm): {text[:50]!r}")
            if previous is not None and (previous.after_twips + fmt.before_twips) < 120:
                self.fail("R28", f"khoảng cách giữa hai đoạn dưới 6 pt: trước {text[:50]!r}")
            if fmt.line_rule == "auto" and fmt.line is not None and not 240 <= fmt.line <= 360:
                self.fail("R29", f"giãn dòng {fmt.line / 240:.2f} (phải 1–1,5): {text[:50]!r}")
            elif fmt.line_rule in ("exact", "atLeast") and fmt.line is not None and size:
                lines = fmt.line / 20 / (size * SINGLE_LINE)      # in lines of the Times-metric font
                if not 0.99 <= lines <= 1.5:
                    self.fail("R29", f"giãn dòng {lines:.2f} dòng ({fmt.line / 20:g} pt, phải 1–1,5): {text[:50]!r}")
            roman = ROMAN.match(text)
            if roman:
                romans.append(roman.group("roman"))
                if roman.group("title") != roman.group("title").upper() or not all_bold(paragraph, self.doc):
                    self.fail("R35", f"tiêu đề mục {text[:50]!r} phải in hoa, đậm")
            article = DIEU.match(text)
            if article:
                dieu.append(int(article.group("n")))
                if not article.group("title").strip():
                    self.fail("R33", f"Điều {article.group('n')} không có tiêu đề")
                if not text_runs(paragraph) or not run_format(text_runs(paragraph)[0], paragraph, self.doc).bold:
                    self.fail("R33", f"'Điều {article.group('n')}.' phải in đậm")
            previous = fmt
        if romans and romans != [to_roman(i) for i in range(1, len(romans) + 1)]:
            self.fail("R35", f"số La Mã các mục không liên tục: {romans}")
        if dieu and dieu != list(range(1, len(dieu) + 1)):
            self.fail("R33", f"số Điều không liên tục: {dieu}")

    def _basis(self, basis: list[Paragraph]) -> None:
        for index, paragraph in enumerate(basis):
            text = paragraph.text.strip()
            last = index == len(basis) - 1
            if not all_italic(paragraph, self.doc) or paragraph_size(paragraph, self.doc) not in (13, 14):
                self.fail("R30", f"dòng căn cứ phải in nghiêng, cỡ 13–14: {text[:50]!r}")
            if not text.endswith("." if last else ";"):
                self.fail("R30", f"dòng căn cứ phải kết thúc bằng {'.' if last else ';'}: {text[-30:]!r}")

    # ---------------------------------------------------------------- closing (ô 7, 9b)
    def closing(self) -> None:
        tables = [t for t in self.doc.tables if any(fold(p.text) == "Nơi nhận:" for c in t.rows[0].cells for p in c.paragraphs)]
        if not tables:
            self.fail("R38", "thiếu bảng Nơi nhận | chữ ký")
            return
        row = tables[-1].rows[0]
        left, right = row.cells[0], row.cells[-1]
        lines = [p for p in right.paragraphs if p.text.strip()]
        if not lines:
            self.fail("R36", "thiếu quyền hạn, chức vụ người ký")
        else:
            titles, name = lines[:-1], lines[-1]
            for paragraph in titles:
                text = paragraph.text.strip()
                if (text != text.upper() or not all_bold(paragraph, self.doc)
                        or paragraph_size(paragraph, self.doc) not in (13, 14)
                        or paragraph_format(paragraph, self.doc).align != "center"):
                    self.fail("R36", f"dòng chức vụ {text!r} phải in hoa, đậm, cỡ 13–14, căn giữa")
            prefixes = [AUTHORITY.match(p.text.strip()).group(1) for p in titles if AUTHORITY.match(p.text.strip())]
            if titles and not (AUTHORITY.match(titles[0].text.strip()) or len(titles) == 1):
                self.fail("R36", f"dòng đầu khối chữ ký phải là TM./KT./Q./TL./TUQ. hoặc chức vụ: {titles[0].text!r}")
            if prefixes.count("KT") > 1:
                self.fail("R36", "KT. xuất hiện quá một lần")
            if "KT" in prefixes:
                after = titles[[AUTHORITY.match(p.text.strip()) and AUTHORITY.match(p.text.strip()).group(1) for p in titles].index("KT") + 1:]
                if not after or not re.match(r"^(PHÓ |THỨ TRƯỞNG)", after[0].text.strip()):
                    self.fail("R36", "sau KT. phải là chức vụ cấp phó (PHÓ …/THỨ TRƯỞNG)")
            text = name.text.strip()
            if (text == text.upper() or not all_bold(name, self.doc) or any_italic(name, self.doc)
                    or paragraph_size(name, self.doc) not in (13, 14)
                    or paragraph_format(name, self.doc).align != "center"):
                self.fail("R37", f"họ tên người ký {text!r} phải in đậm, đứng, cỡ 13–14, căn giữa, không in hoa toàn bộ")
            if ACADEMIC.match(text):
                self.fail("R37", f"không ghi học hàm, học vị trước họ tên: {text!r}")
        recipients = [p for p in left.paragraphs if p.text.strip()]
        heads = [i for i, p in enumerate(recipients) if fold(p.text) == "Nơi nhận:"]
        if self.minutes and heads:   # Mẫu 1.9: THƯ KÝ signs on the left, Nơi nhận below
            recipients = recipients[heads[0]:]
        head = recipients[0]
        if (fold(head.text) != "Nơi nhận:" or paragraph_size(head, self.doc) != 12
                or not all_bold(head, self.doc) or not all_italic(head, self.doc)
                or paragraph_format(head, self.doc).align not in ("left", "start")):
            self.fail("R38", "'Nơi nhận:' phải cỡ 12, đậm nghiêng, căn trái")
        items = recipients[1:]
        for index, paragraph in enumerate(items):
            text = paragraph.text.strip()
            last = index == len(items) - 1
            if (paragraph_size(paragraph, self.doc) != 11 or all_bold(paragraph, self.doc)
                    or any_italic(paragraph, self.doc) or not text.startswith("- ")
                    or (not last and not text.endswith(";"))):
                self.fail("R39", f"dòng nơi nhận {text!r}: cỡ 11, chữ đứng, bắt đầu '- ', kết thúc ';'")
        if not items or not re.match(r"^- Lưu: VT(, .+)?\.$", items[-1].text.strip()):
            self.fail("R40", "dòng cuối Nơi nhận phải là '- Lưu: VT, <đơn vị soạn thảo>.'")
        elif items[-1].text.strip() == "- Lưu: VT.":
            self.violations.append(Violation("R40", "(cảnh báo) thiếu chữ viết tắt đơn vị soạn thảo sau 'Lưu: VT'"))
        kinh_gui = [p for p in self.doc.paragraphs if p.text.strip().startswith("Kính gửi:")]
        if kinh_gui and not any(p.text.strip() == "- Như trên;" for p in items):
            self.fail("R41", "có 'Kính gửi:' nhưng Nơi nhận thiếu '- Như trên;'")
        self.kinh_gui_dashes()

    def kinh_gui_dashes(self) -> None:
        """R42 (PL I, II.9.b): several recipients — one '- …;' line each, left-aligned, all at one
        indent under the colon of 'Kính gửi:'; never each line centred on its own."""
        paragraphs = self.doc.paragraphs
        for index, paragraph in enumerate(paragraphs):
            if paragraph.text.strip() != "Kính gửi:":
                continue
            lines = []
            for following in paragraphs[index + 1:]:
                if not following.text.strip().startswith("- "):
                    break
                lines.append(following)
            indents = {round((p.paragraph_format.left_indent or 0) / 36000, 1) for p in lines}   # EMU → mm
            label = round((paragraph.paragraph_format.left_indent or 0) / 36000, 1)
            if not lines or any(paragraph_format(p, self.doc).align not in ("left", "start", "both") for p in lines) \
                    or len(indents) != 1 or min(indents) <= label:
                self.fail("R42", "Kính gửi nhiều nơi: mỗi nơi một dòng '- …;' căn trái, các gạch đầu dòng thẳng hàng "
                                 "dưới dấu hai chấm của 'Kính gửi:'")

    def run(self) -> list[Violation]:
        self.page()
        self.fonts_and_text()
        self.page_numbers()
        self.header()
        title = self.title()
        if title is not None:
            self.body(title[0])
        self.closing()
        return self.violations


def check_docx(source, today: dt.date | None = None) -> list[Violation]:
    """Every Decree 30 violation found in a DOCX (path, bytes or file object); warnings say '(cảnh báo)'."""
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    return _Checker(docx.Document(source), today).run()
