"""Dates, numbers, symbols, signature blocks and Nơi nhận as Decree 30 writes them."""
import calendar
from decimal import Decimal

import pytest

from service.vietnamese import (BLANK, unbreakable_segments, document_symbol, format_citation_date, format_count, format_money,
                                format_nd30_date, format_number, format_number_line, format_place_date,
                                recipient_lines, round_half_up, signature_title_lines, to_roman)


def test_examples_of_the_decree():
    assert format_place_date("Hà Nam", 2024, 2, 5) == "Hà Nam, ngày 05 tháng 02 năm 2024"
    assert format_nd30_date(2023, 12, 15) == "ngày 15 tháng 12 năm 2023"
    assert format_place_date("Thành phố Hồ Chí Minh", 2019, 6, 29) == "Thành phố Hồ Chí Minh, ngày 29 tháng 6 năm 2019"


@pytest.mark.parametrize("month", range(1, 13))
def test_padding_every_day_of_every_month(month):
    for day in range(1, calendar.monthrange(2024, month)[1] + 1):
        text = format_nd30_date(2024, month, day)
        expected_day = f"0{day}" if day < 10 else str(day)
        expected_month = f"0{month}" if month <= 2 else str(month)
        assert text == f"ngày {expected_day} tháng {expected_month} năm 2024"


def test_drafts_leave_blanks():
    assert format_place_date("Hà Nam", 2023) == f"Hà Nam, ngày {BLANK} tháng {BLANK} năm 2023"
    assert format_place_date("Trà Vinh", 2023, 5) == f"Trà Vinh, ngày {BLANK} tháng 5 năm 2023"
    assert BLANK.strip() == "" and len(BLANK) >= 5


@pytest.mark.parametrize(("year", "month", "day"), [(2023, 2, 29), (2023, 2, 31), (2024, 4, 31), (2024, 13, 1), (2024, 0, 1)])
def test_impossible_dates(year, month, day):
    with pytest.raises(ValueError, match="không"):
        format_nd30_date(year, month, day)


def test_day_without_month_is_refused():
    with pytest.raises(ValueError, match="thiếu tháng"):
        format_nd30_date(2024, None, 5)


def test_citation_forms():
    assert format_citation_date(2022, 12, 15, "short") == "15/12/2022"
    assert format_citation_date(2022, 10, 1, "short") == "01/10/2022"
    assert format_citation_date(2023, 4, 17, "long") == "17 tháng 4 năm 2023"
    assert format_citation_date(2023, 1, 7, "long") == "07 tháng 01 năm 2023"
    with pytest.raises(ValueError):
        format_citation_date(2023, 4, 17, "medium")


def test_numbers_with_babel_vi():
    assert format_number(1278) == "1.278"
    assert format_number(Decimal("92.834"), 2) == "92,83"
    assert format_number(Decimal("92.835"), 2) == "92,84"          # half-up
    assert format_number(Decimal("92.8"), 2) == "92,80"
    assert format_number(Decimal("1234567.5")) == "1.234.567,5"
    assert format_money(1500000) == "1.500.000 đồng"
    assert format_money(Decimal("2500.5")) == "2.501 đồng"
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert round_half_up(2.675, 2) == Decimal("2.68")              # float through its shortest repr
    assert format_count(3) == "03" and format_count(18) == "18" and format_count(9, pad=False) == "9"


@pytest.mark.parametrize(("value", "roman"), [(1, "I"), (4, "IV"), (5, "V"), (9, "IX"), (14, "XIV"), (40, "XL"), (1990, "MCMXC")])
def test_roman(value, roman):
    assert to_roman(value) == roman


def test_document_numbers_and_symbols():
    assert format_number_line(3403, document_symbol("ke-hoach", "UBND")) == "Số: 3403/KH-UBND"
    assert format_number_line(5, document_symbol("quyet-dinh", "UBND")) == "Số: 05/QĐ-UBND"
    assert format_number_line(12, document_symbol("cong-van", "UBND", "NC")) == "Số: 12/UBND-NC"
    assert format_number_line(125, document_symbol("cong-van", "SNV", "CCHC")) == "Số: 125/SNV-CCHC"
    draft = format_number_line(None, document_symbol("ke-hoach", "UBND"))
    assert draft.startswith("Số: ") and draft.endswith("/KH-UBND") and draft[4:-8].strip() == ""
    for key, code in [("huong-dan", "HD"), ("bao-cao", "BC"), ("bien-ban", "BB"), ("to-trinh", "TTr"),
                      ("thong-bao", "TB"), ("quy-dinh", "QyĐ"), ("chuong-trinh", "CTr"),
                      ("ban-ghi-nho", "BGN"), ("ban-thoa-thuan", "BTT")]:
        assert document_symbol(key, "SNV") == f"{code}-SNV"


@pytest.mark.parametrize("bad", [lambda: document_symbol("cong-van", "UBND"), lambda: document_symbol("ke-hoach", "ubnd"),
                                 lambda: document_symbol("ke-hoach", "UB ND"), lambda: document_symbol("xyz", "UBND"),
                                 lambda: format_number_line(0, "KH-UBND")])
def test_bad_symbols(bad):
    with pytest.raises(ValueError):
        bad()


def test_signature_blocks():
    assert signature_title_lines("TM", "Chủ tịch", collective="Ủy ban nhân dân") == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert signature_title_lines("TM", "Phó Chủ tịch", collective="Ủy ban nhân dân", principal="Chủ tịch") == [
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert signature_title_lines("KT", "Phó Giám đốc", principal="Giám đốc") == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert signature_title_lines("Q", "Giám đốc") == ["Q. GIÁM ĐỐC"]
    assert signature_title_lines("TL", "Chánh Văn phòng", principal="Chủ tịch") == ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]
    assert signature_title_lines("TL", "Phó Chánh Văn phòng", principal="Chủ tịch", deputy_of="Chánh Văn phòng") == [
        "TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"]
    assert signature_title_lines("TUQ", "Trưởng phòng Tổ chức cán bộ", principal="Giám đốc") == [
        "TUQ. GIÁM ĐỐC", "TRƯỞNG PHÒNG TỔ CHỨC CÁN BỘ"]
    assert signature_title_lines("", "Giám đốc") == ["GIÁM ĐỐC"]


@pytest.mark.parametrize("call", [
    lambda: signature_title_lines("TM", "Chủ tịch"),                                   # no collective
    lambda: signature_title_lines("TM", "Phó Chủ tịch", collective="Ủy ban nhân dân"),  # deputy without KT.
    lambda: signature_title_lines("KT", "Giám đốc", principal="Giám đốc"),              # KT. by a non-deputy
    lambda: signature_title_lines("KT", "Phó Giám đốc"),
    lambda: signature_title_lines("TUQ", "Trưởng phòng", principal="Giám đốc", deputy_of="Trưởng phòng"),
    lambda: signature_title_lines("XX", "Giám đốc"),
])
def test_bad_signature_blocks(call):
    with pytest.raises(ValueError):
        call()


def test_recipients():
    lines = recipient_lines([("TT Tỉnh ủy, TT HĐND tỉnh", "để b/c"), ("BCĐ CCHC tỉnh;", None)], ["TCDNC"])
    assert lines == ["- TT Tỉnh ủy, TT HĐND tỉnh (để b/c);", "- BCĐ CCHC tỉnh;", "- Lưu: VT, TCDNC."]
    assert recipient_lines([("Như trên", None)], []) == ["- Như trên;", "- Lưu: VT."]


def test_symbols_and_dates_are_kept_together():
    text = "kèm theo Quyết định số 1952/QĐ-UBND ngày 21/10/2022 và Nghị định số 30/2020/NĐ-CP; tháng 6-7/2023"
    kept = [segment for segment, keep in unbreakable_segments(text) if keep]
    assert kept == ["1952/QĐ-UBND", "21/10/2022", "30/2020/NĐ-CP"]
    assert "".join(segment for segment, _ in unbreakable_segments(text)) == text
    assert unbreakable_segments("") == [("", False)]
