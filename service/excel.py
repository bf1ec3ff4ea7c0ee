"""Excel round trip (openpyxl): criteria sets, a unit's score sheet, survey answers and last year's
results in; a unit's score sheet and the campaign's result table out. Sheets carry Vietnamese
headings; errors name the sheet, cell and problem; numbers keep their values."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from data_models import Campaign
from data_models.criteria import CriteriaSet
from service.domain.scoring import CampaignResults, compute_unit
from service.safe_files import BrokenArchive, UnsafeFile, ZipLimits, check_zip
from service.vietnamese import round_half_up

CRITERIA_HEADINGS = ["Mã", "Nội dung", "Điểm tối đa", "Cách chấm", "Cơ quan thẩm định", "Cơ quan phối hợp",
                     "Nhóm khảo sát", "Cách tính điểm", "Tài liệu kiểm chứng", "Mức trả lời riêng",
                     "Trường hợp không áp dụng"]
#: Columns added later that an older sheet may lack (its rows read as empty there).
CRITERIA_OPTIONAL = 2
SCORING_WORDS = {"appraised": "Thẩm định", "survey": "ĐTXHH"}
SCORE_HEADINGS = ["Mã", "Tiêu chí", "Điểm tối đa", "Cách chấm", "Không áp dụng", "Điểm tự đánh giá", "Thuyết minh",
                  "Thẩm định lần 1", "Nhận xét thẩm định", "Giải trình", "Thẩm định lần 2", "Điểm tính"]
RESULT_HEADINGS = ["STT", "Đơn vị", "Mã đơn vị", "Điểm tự đánh giá", "Điểm thẩm định", "Điểm ĐTXHH", "Điểm thưởng",
                   "Điểm trừ", "Tổng điểm", "Điểm tối đa", "Chỉ số (%)", "Xếp hạng", "Xếp loại"]
SURVEY_HEADINGS = ["Mã đơn vị", "Nhóm khảo sát", "Số phiếu", "Mã tiêu chí", "Giá trị trả lời", "Số lượng"]
PREVIOUS_HEADINGS = ["Mã đơn vị", "Chỉ số (%)", "Xếp hạng"]
MAX_ROWS = 100_000
#: An uploaded workbook is bounded before openpyxl opens it (a 400 kB sheet can inflate to 400 MB).
IMPORT_LIMITS = ZipLimits(total=50 * 1024 * 1024, ratio=100, members=500)
#: Characters that make a spreadsheet program read a cell as a formula (OWASP 'CSV injection').
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class SheetError(ValueError):
    """A problem in an uploaded workbook, located by sheet and cell."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


# ------------------------------------------------------------------------------------ helpers
def _sheet(ws, headings: list[str], rows: list[list], widths: dict[int, int] | None = None, title: str | None = None):
    if title:
        ws.append([title])
        ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    ws.append(headings)
    header_row = ws.max_row
    for column in range(1, len(headings) + 1):
        cell = ws.cell(row=header_row, column=column)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            as_text(cell)
    for column, width in (widths or {}).items():
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)


def as_text(cell) -> None:
    """A string cell stays text even when it starts like a formula ('=HYPERLINK(…)', '+84…', '- …'):
    written as a string with Excel's quote prefix, never as a live formula."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def _number(value: Decimal | None, places: int = 2):
    """Decimal → float with the displayed rounding (Excel stores binary floats)."""
    return None if value is None else float(round_half_up(value, places))


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


INVALID_SHEET = "tệp không phải bảng tính Excel (.xlsx) hợp lệ"


def _open(data: bytes, data_only: bool = True):
    """A workbook whose zip is bounded (size, ratio, members) and whose XML is parsed by defusedxml
    (no external entities, no entity expansion); SheetError in Vietnamese for anything else."""
    try:
        check_zip(data, "bảng tính", IMPORT_LIMITS)
    except BrokenArchive:
        raise SheetError([INVALID_SHEET]) from None
    except UnsafeFile as error:
        raise SheetError([str(error).replace("tệp 'bảng tính'", "bảng tính")]) from None
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception:
        raise SheetError([INVALID_SHEET]) from None


def _formula_cells(data: bytes, columns: int) -> set[tuple[int, int]]:
    """(row, column) of the formula cells of the first sheet (read only when the file has any)."""
    archive = check_zip(data, "bảng tính", IMPORT_LIMITS)
    if not any(b"<f>" in archive.read(name) or b"<f " in archive.read(name)
               for name in archive.namelist() if name.startswith("xl/worksheets/")):
        return set()
    sheet = _open(data, data_only=False).worksheets[0]
    sheet.reset_dimensions()
    found = set()
    for number, row in enumerate(sheet.iter_rows(max_col=columns), start=1):
        if number > MAX_ROWS:
            break
        found |= {(number, index) for index, cell in enumerate(row) if getattr(cell, "data_type", None) == "f"}
    return found


def _rows(data: bytes, headings: list[str], text: tuple[str, ...] = (), optional: int = 0) -> Iterator[tuple[str, int, dict]]:
    """(sheet name, row number, {heading: value}) for every non-empty row below the heading row.

    Only the sheet's first columns are read, its declared size is ignored, and the rows are capped,
    so a sheet claiming A1:XFD1048576 costs nothing; a formula is accepted only in a number column
    and only with its computed value (``text``: headings of text columns)."""
    workbook = _open(data)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()
    try:
        formulas = _formula_cells(data, len(headings))
        rows = sheet.iter_rows(values_only=True, max_col=len(headings))
        header_at = None
        for number, row in enumerate(rows, start=1):
            cells = [str(c).strip() if c is not None else "" for c in row]
            required = len(headings) - optional          # trailing columns an older sheet may not have
            if cells[:required] == headings[:required] and headings[0] in cells[:1] \
                    and all(c in ("", h) for c, h in zip(cells[required:], headings[required:])):
                header_at = number
                break
            if number > 5:
                break
        if header_at is None:
            raise SheetError([f"{sheet.title}: không thấy hàng tiêu đề ({', '.join(headings)}) trong 5 dòng đầu"])
        for number, row in enumerate(rows, start=header_at + 1):
            if number > MAX_ROWS:
                raise SheetError([f"{sheet.title}: quá nhiều dòng (tối đa {MAX_ROWS})"])
            if row is None or all(c is None or str(c).strip() == "" for c in row):
                continue
            values = {h: (row[i] if i < len(row) else None) for i, h in enumerate(headings)}
            for index, heading in enumerate(headings):
                if (number, index) in formulas and (heading in text or values[heading] is None):
                    raise SheetError([f"{sheet.title}!{get_column_letter(index + 1)}{number}: ô là công thức"
                                      f"{'' if heading in text else ' chưa có giá trị'}; hãy dán giá trị "
                                      "(Dán đặc biệt → Giá trị) rồi nhập lại"])
            yield sheet.title, number, values
    except SheetError:
        raise
    except Exception:
        raise SheetError([INVALID_SHEET]) from None


def _csv_rows(data: bytes, headings: list[str]) -> Iterator[tuple[str, int, dict]]:
    """The same rows from a .csv file (UTF-8, with or without BOM; ',' or ';' as Excel writes it)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(["tệp CSV phải mã hóa UTF-8 (trong Excel: Lưu dưới dạng 'CSV UTF-8')"]) from None
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if len(rows) > MAX_ROWS:
        raise SheetError([f"CSV: quá nhiều dòng (tối đa {MAX_ROWS})"])
    start = next((i for i, row in enumerate(rows[:5]) if [c.strip() for c in row[:1]] == headings[:1]), None)
    if start is None:
        raise SheetError([f"CSV: không thấy hàng tiêu đề ({', '.join(headings)}) trong 5 dòng đầu"])
    for number, row in enumerate(rows[start + 1:], start=start + 2):
        if any(c.strip() for c in row):
            yield "CSV", number, {h: (row[i] if i < len(row) else None) for i, h in enumerate(headings)}


#: Columns read from another tool's export (LimeSurvey, KoboToolbox): questions and their metadata.
EXPORT_COLUMNS = 400


def export_table(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(headings, [(row number, cells)]) of another tool's export, .xlsx or .csv: the first row names
    the columns, whatever they are; cells as text (a number 4.0 as '4'); empty rows left out."""
    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()
    if filename.lower().endswith(".csv"):
        try:
            decoded = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SheetError(["tệp CSV phải mã hóa UTF-8"]) from None
        first = decoded.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        table = [[text(c) for c in row[:EXPORT_COLUMNS]] for row in csv.reader(io.StringIO(decoded), delimiter=delimiter)]
    elif filename.lower().endswith(".xlsx"):
        sheet = _open(data).worksheets[0]
        sheet.reset_dimensions()
        table = []
        try:
            for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=EXPORT_COLUMNS), start=1):
                if number > MAX_ROWS + 1:
                    break
                table.append([text(c) for c in row])
        except Exception:
            raise SheetError([INVALID_SHEET]) from None
    else:
        raise SheetError([f"tệp {filename!r}: chỉ nhận .xlsx hoặc .csv"])
    if len(table) > MAX_ROWS + 1:
        raise SheetError([f"quá nhiều dòng (tối đa {MAX_ROWS})"])
    if not table or not any(table[0]):
        raise SheetError(["tệp không có hàng tiêu đề (tên các cột) ở dòng đầu"])
    return table[0], [(n, row) for n, row in enumerate(table[1:], start=2) if any(row)]


def table_rows(data: bytes, filename: str, headings: list[str], optional: int = 0) -> Iterator[tuple[str, int, dict]]:
    """Rows of an uploaded .xlsx or .csv table, by the extension of its name (``optional``: trailing
    columns an older sheet may lack)."""
    if filename.lower().endswith(".csv"):
        return _csv_rows(data, headings)
    if filename.lower().endswith(".xlsx"):
        return _rows(data, headings, text=tuple(headings), optional=optional)
    raise SheetError([f"tệp {filename!r}: chỉ nhận .xlsx hoặc .csv"])


def _decimal(value, where: str, problems: list[str], required: bool = False) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(f"{where}: thiếu số")
        return None
    try:
        text = str(value).strip().replace(",", ".") if isinstance(value, str) else repr(value)
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        problems.append(f"{where}: {value!r} không phải là số")
        return None
    return number.normalize() if number == number.to_integral() else number


def _text(value) -> str | None:
    return None if value is None or str(value).strip() == "" else str(value).strip()


def _cell(sheet: str, row: int, headings: list[str], heading: str) -> str:
    return f"{sheet}!{get_column_letter(headings.index(heading) + 1)}{row}"


# ------------------------------------------------------------------------------------ criteria
def write_criteria(criteria: CriteriaSet) -> bytes:
    appraisers = {node.code: node for node in criteria.nodes()}
    rows = [[node.code, node.title, _number(node.max_points, 4),
             SCORING_WORDS[node.scoring] if node.is_leaf else "", node.appraiser or "",
             ", ".join(node.coordinators), ", ".join(node.survey_groups), node.rule or "", node.evidence or "",
             "; ".join(node.answer_labels), node.not_applicable_when or ""]
            for node in appraisers.values()]
    workbook = Workbook()
    _sheet(workbook.active, CRITERIA_HEADINGS, rows, {1: 8, 2: 60, 8: 40, 9: 40, 10: 40, 11: 40},
           title=criteria.name)
    workbook.active.title = "Tiêu chí"
    return _save(workbook)


def read_criteria(data: bytes) -> list[dict]:
    """The fields of a criteria set (JSON for ``criteria_sets[].fields``), nested by their codes."""
    problems: list[str] = []
    nodes: dict[str, dict] = {}
    roots: list[dict] = []
    for sheet, number, row in _rows(data, CRITERIA_HEADINGS, text=("Mã", "Nội dung", "Cách chấm", "Cơ quan thẩm định",
                                                                   "Cơ quan phối hợp", "Nhóm khảo sát", "Cách tính điểm",
                                                                   "Tài liệu kiểm chứng", "Mức trả lời riêng",
                                                                   "Trường hợp không áp dụng"),
                                    optional=CRITERIA_OPTIONAL):
        where = lambda heading: _cell(sheet, number, CRITERIA_HEADINGS, heading)  # noqa: E731
        code = _text(row["Mã"])
        if code is None:
            problems.append(f"{where('Mã')}: thiếu mã tiêu chí")
            continue
        scoring = _text(row["Cách chấm"])
        node = {"code": code, "title": _text(row["Nội dung"]) or "",
                "max_points": _decimal(row["Điểm tối đa"], where("Điểm tối đa"), problems, required=True),
                "children": []}
        if scoring:
            reverse = {v: k for k, v in SCORING_WORDS.items()}
            if scoring not in reverse:
                problems.append(f"{where('Cách chấm')}: '{scoring}' (chỉ 'Thẩm định' hoặc 'ĐTXHH')")
            else:
                node["scoring"] = reverse[scoring]
        for key, heading in (("appraiser", "Cơ quan thẩm định"), ("rule", "Cách tính điểm"), ("evidence", "Tài liệu kiểm chứng"),
                             ("not_applicable_when", "Trường hợp không áp dụng")):
            if _text(row[heading]):
                node[key] = _text(row[heading])
        for key, heading, separator in (("coordinators", "Cơ quan phối hợp", ","), ("survey_groups", "Nhóm khảo sát", ","),
                                        ("answer_labels", "Mức trả lời riêng", ";")):
            if _text(row[heading]):
                node[key] = [part.strip() for part in _text(row[heading]).split(separator) if part.strip()]
        if code in nodes:
            problems.append(f"{where('Mã')}: mã {code} bị trùng")
            continue
        nodes[code] = node
        parent = code.rsplit(".", 1)[0] if "." in code else None
        if parent is None:
            roots.append(node)
        elif parent in nodes:
            nodes[parent]["children"].append(node)
        else:
            problems.append(f"{where('Mã')}: mã {code} đứng trước mã cha {parent}")
    if problems:
        raise SheetError(problems)
    for node in nodes.values():
        if not node["children"]:
            del node["children"]
        node["max_points"] = str(node["max_points"]) if node["max_points"] is not None else None
    return roots


# ------------------------------------------------------------------------------------ scores
def write_unit_scores(campaign: Campaign, unit_id: str) -> bytes:
    criteria = campaign.criteria_for(campaign.group_of(unit_id).id)
    assessment = campaign.assessment(unit_id)
    scores = {s.code: s for s in assessment.scores} if assessment else {}
    result = compute_unit(campaign, unit_id)
    rows = []
    for leaf in criteria.leaves():
        score = scores.get(leaf.code)
        counted = result.leaves[leaf.code]
        rows.append([leaf.code, leaf.title, _number(leaf.max_points, 4), SCORING_WORDS[leaf.scoring],
                     "x" if counted.not_applicable else "",
                     _number(score.self_score, 4) if score else None, score.explanation if score else None,
                     _number(score.round1, 4) if score else None, score.remark if score else None,
                     score.response if score else None, _number(score.round2, 4) if score else None,
                     None if counted.not_applicable else _number(counted.points, 4)])
    workbook = Workbook()
    _sheet(workbook.active, SCORE_HEADINGS, rows, {2: 55, 7: 40, 9: 40, 10: 40},
           title=f"Bảng điểm: {campaign.unit(unit_id).name}")
    workbook.active.title = "Bảng điểm"
    return _save(workbook)


def read_unit_scores(data: bytes) -> list[dict]:
    """LeafScore JSON rows from a score sheet (survey-only leaves and empty rows are skipped)."""
    problems: list[str] = []
    out = []
    for sheet, number, row in _rows(data, SCORE_HEADINGS, text=("Mã", "Tiêu chí", "Cách chấm", "Không áp dụng", "Thuyết minh",
                                                                "Nhận xét thẩm định", "Giải trình")):
        where = lambda heading: _cell(sheet, number, SCORE_HEADINGS, heading)  # noqa: E731
        code = _text(row["Mã"])
        if code is None:
            problems.append(f"{where('Mã')}: thiếu mã tiêu chí")
            continue
        item: dict = {"code": code}
        if _text(row["Không áp dụng"]):
            item["not_applicable"] = True
        for key, heading in (("self_score", "Điểm tự đánh giá"), ("round1", "Thẩm định lần 1"), ("round2", "Thẩm định lần 2")):
            value = _decimal(row[heading], where(heading), problems)
            if value is not None:
                item[key] = str(value)
        for key, heading in (("explanation", "Thuyết minh"), ("remark", "Nhận xét thẩm định"), ("response", "Giải trình")):
            if _text(row[heading]):
                item[key] = _text(row[heading])
        if len(item) > 1:
            out.append(item)
    if problems:
        raise SheetError(problems)
    return out


# ------------------------------------------------------------------------------------ survey, previous
def read_survey(data: bytes) -> list[dict]:
    problems: list[str] = []
    grouped: dict[tuple[str, str], dict] = {}
    for sheet, number, row in _rows(data, SURVEY_HEADINGS, text=("Mã đơn vị", "Nhóm khảo sát", "Mã tiêu chí")):
        where = lambda heading: _cell(sheet, number, SURVEY_HEADINGS, heading)  # noqa: E731
        unit, group, code = _text(row["Mã đơn vị"]), _text(row["Nhóm khảo sát"]), _text(row["Mã tiêu chí"])
        forms = _decimal(row["Số phiếu"], where("Số phiếu"), problems, required=True)
        value = _decimal(row["Giá trị trả lời"], where("Giá trị trả lời"), problems, required=True)
        count = _decimal(row["Số lượng"], where("Số lượng"), problems, required=True)
        if not (unit and group and code):
            problems.append(f"{sheet}!A{number}: cần mã đơn vị, nhóm khảo sát và mã tiêu chí")
            continue
        if None in (forms, value, count):
            continue
        entry = grouped.setdefault((unit, group), {"unit": unit, "respondent_group": group, "forms": int(forms), "answers": {}})
        entry["answers"].setdefault(code, {})[str(value)] = int(count)
    if problems:
        raise SheetError(problems)
    return list(grouped.values())


def read_previous_results(data: bytes) -> list[dict]:
    problems: list[str] = []
    out = []
    for sheet, number, row in _rows(data, PREVIOUS_HEADINGS, text=("Mã đơn vị",)):
        where = lambda heading: _cell(sheet, number, PREVIOUS_HEADINGS, heading)  # noqa: E731
        index = _decimal(row["Chỉ số (%)"], where("Chỉ số (%)"), problems, required=True)
        rank = _decimal(row["Xếp hạng"], where("Xếp hạng"), problems, required=True)
        if _text(row["Mã đơn vị"]) and index is not None and rank is not None:
            out.append({"unit": _text(row["Mã đơn vị"]), "index": str(index), "rank": int(rank)})
    if problems:
        raise SheetError(problems)
    return out


# ------------------------------------------------------------------------------------ units and accounts
UNIT_HEADINGS = ["Mã nhóm", "Mã đơn vị", "Tên đơn vị", "Chữ viết tắt", "Địa danh", "Chức vụ người ký",
                 "Họ tên người ký", "Tên đăng nhập", "Họ tên người dùng",
                 # the signature's authority (walk U3: a round trip kept 'KT. GIÁM ĐỐC' nowhere); blank
                 # in an older sheet keeps what the unit has
                 "Thẩm quyền ký (TM, KT, Q, TL, TUQ)", "Chức vụ người đứng đầu (khi ký KT., Q., TL., TUQ.)"]
AUTHORITY_HEADING, PRINCIPAL_HEADING = UNIT_HEADINGS[9], UNIT_HEADINGS[10]
#: The authority a units sheet may name, as ND30 writes it.
AUTHORITIES = ("", "TM", "KT", "Q", "TL", "TUQ")


def authority_of(value: str | None) -> str:
    """The authority typed in a units sheet, as the data keeps it: 'kt.' → 'KT', blank → ''."""
    return (value or "").upper().rstrip(".")


def write_list(title: str, headings: list[str], rows: list[list], widths: dict[int, int] | None = None) -> bytes:
    """A list shown in the workspace (units with their steps, the register) as a sheet a clerk can sort
    and file: a title row, bold headings, frozen panes, text that never turns into a formula."""
    workbook = Workbook()
    _sheet(workbook.active, headings, rows, widths, title=title)
    workbook.active.title = "Danh sách"
    return _save(workbook)


def write_units_template(campaign: Campaign) -> bytes:
    """The sheet a province fills to add its units and their accounts (the current units as examples)."""
    workbook = Workbook()
    rows = [[campaign.group_of(u.id).id, u.id, u.name, u.abbreviation or (campaign.agency(u.agency).abbreviation if u.agency else ""),
             campaign.agency(u.agency).place if u.agency else "", u.signature.title if u.signature else "",
             u.signature.name if u.signature else "", "", "", u.signature.authority if u.signature else "",
             (u.signature.principal or "") if u.signature else ""] for u in campaign.units()]
    _sheet(workbook.active, UNIT_HEADINGS, rows, {3: 40, 7: 24, 9: 28, 10: 18, 11: 28}, title="Danh sách đơn vị và tài khoản")
    workbook.active.title = "Đơn vị"
    return _save(workbook)


def _read_list(data: bytes, filename: str, headings: list[str], required: int, what: str,
               row_problems=None, optional: int = 0) -> list[dict]:
    """The rows of a list sheet (.xlsx or .csv), each its values by heading, ``row`` ('Sheet, dòng 3')
    and ``cells`` (heading → 'Sheet!C3'); the first ``required`` headings must be filled, and
    ``row_problems(values, cell)`` names a row's own problems. Every bad cell is named; nothing is
    half-read."""
    problems: list[str] = []
    out = []
    for sheet, number, row in table_rows(data, filename, headings, optional):
        values = {h: _text(row[h]) for h in headings}
        cells = {h: _cell(sheet, number, headings, h) for h in headings}
        problems += [f"{cells[h]}: thiếu {h.lower()}" for h in headings[:required] if values[h] is None]
        problems += row_problems(values, cells) if row_problems else []
        out.append({"row": f"{sheet}, dòng {number}", "cells": cells, **values})
    if problems:
        raise SheetError(problems)
    if not out:
        raise SheetError([f"bảng không có dòng {what} nào"])
    return out


def read_units(data: bytes, filename: str) -> list[dict]:
    """Units (and optional accounts) from .xlsx or .csv; every bad cell named, nothing half-read."""
    def login_needs_a_name(values: dict, cells: dict) -> list[str]:
        problems = [f"{cells['Họ tên người dùng']}: có tên đăng nhập thì cần họ tên người dùng"] \
            if values["Tên đăng nhập"] and not values["Họ tên người dùng"] else []
        authority = authority_of(values[AUTHORITY_HEADING])
        if authority not in AUTHORITIES:
            problems.append(f"{cells[AUTHORITY_HEADING]}: thẩm quyền ký {values[AUTHORITY_HEADING]!r} không có "
                            "(chỉ TM, KT, Q, TL, TUQ hoặc để trống)")
        elif authority in ("KT", "Q", "TL", "TUQ") and not values[PRINCIPAL_HEADING]:
            problems.append(f"{cells[PRINCIPAL_HEADING]}: ký {authority}. cần chức vụ người đứng đầu (ví dụ 'Giám đốc')")
        return problems
    return _read_list(data, filename, UNIT_HEADINGS, 7, "đơn vị", login_needs_a_name, optional=2)


ACCOUNT_HEADINGS = ["Tên đăng nhập", "Họ tên", "Vai trò", "Mã đơn vị", "Mã cơ quan thẩm định", "Thư điện tử"]


def read_accounts(data: bytes, filename: str) -> list[dict]:
    """Accounts of any role from .xlsx or .csv (one per row); every missing cell named, nothing
    half-read. The role is its name as the workspace shows it ('Lãnh đạo') or its key ('leader')."""
    return _read_list(data, filename, ACCOUNT_HEADINGS, 3, "tài khoản")


# ------------------------------------------------------------------------------------ results
def write_results(campaign: Campaign, results: CampaignResults) -> bytes:
    """The campaign's result table: one sheet per group, the same figures as the decision's annex."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for group in campaign.groups:
        if group.id not in results.groups:
            continue
        rows = [[n, r.unit_name, r.unit_id, _number(r.self_points), _number(r.appraised_points), _number(r.survey_points),
                 _number(r.bonus), _number(r.deduction), _number(r.total), _number(r.maximum), _number(r.index),
                 r.rank, r.band] for n, r in enumerate(results.groups[group.id], start=1)]
        sheet = workbook.create_sheet(group.id[:31])
        _sheet(sheet, RESULT_HEADINGS, rows, {2: 50, 3: 18},
               title=f"Chỉ số CCHC năm {campaign.year}: {group.name}")
        for row in sheet.iter_rows(min_row=3, min_col=4, max_col=11):
            for cell in row:
                cell.number_format = "0.00"
    return _save(workbook)
