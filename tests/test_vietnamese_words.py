"""Numbers in words, against a hand-checked table (Vietnamese usage in financial documents)."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.vietnamese import amount_in_words, amount_in_words_line, parse_vietnamese_number, read_number_vi

TABLE = [
    (0, "không"), (1, "một"), (5, "năm"), (9, "chín"), (10, "mười"), (11, "mười một"), (14, "mười bốn"),
    (15, "mười lăm"), (19, "mười chín"), (20, "hai mươi"), (21, "hai mươi mốt"), (24, "hai mươi bốn"),
    (25, "hai mươi lăm"), (30, "ba mươi"), (31, "ba mươi mốt"), (41, "bốn mươi mốt"), (45, "bốn mươi lăm"),
    (55, "năm mươi lăm"), (71, "bảy mươi mốt"), (85, "tám mươi lăm"), (94, "chín mươi bốn"),
    (99, "chín mươi chín"), (100, "một trăm"), (101, "một trăm linh một"), (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"), (110, "một trăm mười"), (111, "một trăm mười một"),
    (115, "một trăm mười lăm"), (121, "một trăm hai mươi mốt"), (200, "hai trăm"), (305, "ba trăm linh năm"),
    (999, "chín trăm chín mươi chín"), (1000, "một nghìn"), (1001, "một nghìn không trăm linh một"),
    (1005, "một nghìn không trăm linh năm"), (1010, "một nghìn không trăm mười"),
    (1015, "một nghìn không trăm mười lăm"), (1021, "một nghìn không trăm hai mươi mốt"),
    (1100, "một nghìn một trăm"), (1278, "một nghìn hai trăm bảy mươi tám"),
    (1954, "một nghìn chín trăm năm mươi bốn"), (2023, "hai nghìn không trăm hai mươi ba"),
    (10000, "mười nghìn"), (10500, "mười nghìn năm trăm"), (15000, "mười lăm nghìn"),
    (21000, "hai mươi mốt nghìn"), (100000, "một trăm nghìn"), (105000, "một trăm linh năm nghìn"),
    (1000000, "một triệu"), (1000001, "một triệu không trăm linh một"), (1000010, "một triệu không trăm mười"),
    (1000100, "một triệu một trăm"), (1050000, "một triệu không trăm năm mươi nghìn"),
    (1500000, "một triệu năm trăm nghìn"), (2500000, "hai triệu năm trăm nghìn"),
    (12345678, "mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám"),
    (100000000, "một trăm triệu"), (1000000000, "một tỷ"), (1000000001, "một tỷ không trăm linh một"),
    (2005000000, "hai tỷ không trăm linh năm triệu"), (10**12, "một nghìn tỷ"), (10**15, "một triệu tỷ"),
    (10**18, "một tỷ tỷ"),
    (1234567890123456, "một triệu hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy tỷ "
                       "tám trăm chín mươi triệu một trăm hai mươi ba nghìn bốn trăm năm mươi sáu"),
    (-5, "âm năm"), (-1050, "âm một nghìn không trăm năm mươi"),
    (Decimal("12.5"), "mười hai phẩy năm"), (Decimal("2.05"), "hai phẩy không năm"),
    (Decimal("92.83"), "chín mươi hai phẩy tám ba"), (Decimal("0.5"), "không phẩy năm"),
    (Decimal("100.01"), "một trăm phẩy không một"), (Decimal("-0.25"), "âm không phẩy hai năm"),
]


def test_table_is_large_enough():
    assert len(TABLE) >= 60


@pytest.mark.parametrize(("number", "words"), TABLE, ids=[str(n) for n, _ in TABLE])
def test_reading(number, words):
    assert read_number_vi(number) == words


@pytest.mark.parametrize(("number", "options", "words"), [
    (105, {"le": True}, "một trăm lẻ năm"),
    (1001, {"le": True}, "một nghìn không trăm lẻ một"),
    (1050000, {"ngan": True}, "một triệu không trăm năm mươi ngàn"),
    (24, {"tu": True}, "hai mươi tư"),
    (1954, {"tu": True}, "một nghìn chín trăm năm mươi tư"),
    (14, {"tu": True}, "mười bốn"),        # "tư" only after a tens digit of 2 or more
    (104, {"tu": True}, "một trăm linh bốn"),
    (2024, {"le": True, "ngan": True, "tu": True}, "hai ngàn không trăm hai mươi tư"),
])
def test_options(number, options, words):
    assert read_number_vi(number, **options) == words


def test_money_line():
    assert amount_in_words(1050000) == "Một triệu không trăm năm mươi nghìn đồng"
    assert amount_in_words_line(1050000) == "Bằng chữ: Một triệu không trăm năm mươi nghìn đồng."
    assert amount_in_words(Decimal("1499.5")) == "Một nghìn năm trăm đồng"   # half-up, not banker's
    assert amount_in_words(Decimal("2500.5")) == "Hai nghìn năm trăm linh một đồng"
    assert amount_in_words("1.500.000") == "Một triệu năm trăm nghìn đồng"


@pytest.mark.parametrize(("text", "value"), [
    ("1.050.000", Decimal(1050000)), ("2,05", Decimal("2.05")), ("1050000", Decimal(1050000)),
    ("-5", Decimal(-5)), ("1.278", Decimal(1278)), (" 92,83 ", Decimal("92.83")),
])
def test_parse_vietnamese_notation(text, value):
    assert parse_vietnamese_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1.5", "1,2,3", "12.34.5", "NaN", "1,000.5"])
def test_parse_rejects(text):
    with pytest.raises(ValueError):
        parse_vietnamese_number(text)


def test_readings_are_distinct():
    """Every integer up to 20 000 reads differently: no reading loses a digit."""
    readings = [read_number_vi(n) for n in range(20001)]
    assert len(set(readings)) == len(readings)


VOCABULARY = {"không", "một", "mốt", "hai", "ba", "bốn", "năm", "lăm", "sáu", "bảy", "tám", "chín", "mười",
              "mươi", "trăm", "linh", "nghìn", "triệu", "tỷ", "âm", "phẩy"}


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-10**21, max_value=10**21))
def test_reading_properties(number):
    words = read_number_vi(number).split(" ")
    assert set(words) <= VOCABULARY
    assert (words[0] == "âm") == (number < 0)
    assert "mươi một" not in " ".join(words)      # 21 is "hai mươi mốt"
    assert "mười lăm" in " ".join(words) or "mười năm" not in " ".join(words)
    for index, word in enumerate(words):
        if word == "linh":
            assert words[index - 1] == "trăm"
    if abs(number) >= 1000:
        assert words[-1] != "không"


def test_vietnamese_alphabetical_order():
    from service.vietnamese.collation import vietnamese_key
    names = ["Văn phòng Ủy ban nhân dân tỉnh", "Đài Phát thanh và Truyền hình tỉnh", "Ban Quản lý các khu công nghiệp",
             "Ban Quản lý", "Ủy ban nhân dân phường Trung Sơn", "Ủy ban nhân dân phường Đông A", "Sở Y tế", "Sở Âm nhạc",
             "Cục Thuế", "hà", "há", "ha", "hạ"]
    assert sorted(names, key=vietnamese_key) == [
        "Ban Quản lý", "Ban Quản lý các khu công nghiệp", "Cục Thuế", "Đài Phát thanh và Truyền hình tỉnh",
        "ha", "hà", "há", "hạ", "Sở Âm nhạc", "Sở Y tế",
        "Ủy ban nhân dân phường Đông A", "Ủy ban nhân dân phường Trung Sơn", "Văn phòng Ủy ban nhân dân tỉnh"]
