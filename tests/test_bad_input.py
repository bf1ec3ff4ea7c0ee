"""Bad input: a clear Vietnamese error naming the field, or a correct document — never a corrupt one."""
import copy
import json
import unicodedata

import pytest

from data_models import InvalidCampaign, parse_campaign
from fixtures import FIXTURES_DIR
from service.conformance import check_docx
from service.documents import compose
from service.render.docx_writer import render_docx
from service.render.pdf_writer import render_pdf

from .conftest import docx_units, normalise, open_docx
from .test_outputs import pdf_pages_text


@pytest.fixture()
def data():
    return json.loads((FIXTURES_DIR / "ha-nam-2023" / "campaign.json").read_text(encoding="utf-8"))


def problems(data) -> list[str]:
    with pytest.raises(InvalidCampaign) as error:
        parse_campaign(data)
    return [str(p) for p in error.value.problems]


def render_all(data):
    document = compose(parse_campaign(data), "ke-hoach")
    return document, render_docx(document), render_pdf(document)


def test_special_characters_in_names_are_text(data):
    data["agencies"][1]["name"] = 'Sở Nội vụ & "Cải cách" <thử>'
    data["plan"]["signature"]["name"] = "Trương Quốc Huy & <Cộng sự>"
    data["plan"]["recipients"]["items"][0]["name"] = "Sở A&B <khẩn>; 'đặc biệt'"
    _, docx_bytes, pdf_bytes = render_all(data)
    units = docx_units(open_docx(docx_bytes))
    assert '1. Sở Nội vụ & "Cải cách" <thử>' in units
    assert "Trương Quốc Huy & <Cộng sự>" in units
    assert "- Sở A&B <khẩn>; 'đặc biệt' (để b/c);" in units
    pdf_text = " ".join(pdf_pages_text(pdf_bytes))
    assert 'Sở Nội vụ & "Cải cách" <thử>' in pdf_text and "Trương Quốc Huy & <Cộng sự>" in pdf_text
    assert [str(v) for v in check_docx(docx_bytes) if "(cảnh báo)" not in v.message] == []


def test_nfd_text_is_normalised(data):
    nfd = unicodedata.normalize("NFD", "Tổ chức đánh giá và xếp loại")
    data["plan"]["opening"] = [nfd + " theo kế hoạch."]
    _, docx_bytes, _ = render_all(data)
    document = open_docx(docx_bytes)
    opening = next(p.text for p in document.paragraphs if p.text.startswith("Tổ chức"))
    assert opening == unicodedata.normalize("NFC", opening) == "Tổ chức đánh giá và xếp loại theo kế hoạch."


def test_long_names_wrap_and_stay_whole(data):
    long_name = "Sở " + "Khoa học, Công nghệ và Đổi mới sáng tạo " * 4   # 170 characters, under the 200 limit
    data["agencies"][6]["name"] = long_name.strip()
    _, docx_bytes, pdf_bytes = render_all(data)
    assert f"6. {long_name.strip()}" in docx_units(open_docx(docx_bytes))
    assert "Đổi mới sáng tạo Sở" not in " ".join(pdf_pages_text(pdf_bytes))   # nothing cut or merged
    assert normalise(" ".join(pdf_pages_text(pdf_bytes))).count("Công nghệ và Đổi mới") >= 4


@pytest.mark.parametrize(("change", "path", "words"), [
    (lambda d: d["agencies"][6].__setitem__("name", "Sở " + "x" * 250), "agencies[6].name", "quá dài"),
    (lambda d: d["plan"]["opening"].__setitem__(0, "Kính gửi 🎉 các đơn vị"), "plan.opening[0]", "ký hiệu không dùng được"),
    (lambda d: d["plan"]["opening"].__setitem__(0, "Dòng\x07có ký tự điều khiển"), "plan.opening[0]", "ký tự điều khiển"),
    (lambda d: d["plan"]["header"]["date"].update(day=31, month=2, year=2024), "plan.header.date", "không tồn tại"),
    (lambda d: d["plan"]["tasks"]["items"][3].__setitem__("deadline", "2023-02-31"), "plan.tasks.items[3].deadline", "ngày không hợp lệ"),
    (lambda d: d["plan"]["tasks"]["items"][3].__setitem__("deadline", "2023-10-30"), "plan.tasks.items[3].time", "khác hạn"),
    (lambda d: d["plan"]["tasks"]["items"][3].pop("time"), "plan.tasks.items[3].time", "thiếu trường bắt buộc"),
    (lambda d: d["plan"]["tasks"]["items"][3].__setitem__("time", 12), "plan.tasks.items[3].time", "phải là chuỗi"),
    (lambda d: d["plan"]["tasks"]["items"][3].__setitem__("time", "   "), "plan.tasks.items[3].time", "không được để trống"),
    (lambda d: d["plan"]["header"].__setitem__("number", -3), "plan.header.number", "lớn hơn hoặc bằng 1"),
    (lambda d: d["plan"]["header"].__setitem__("issuer", "so-khong-co"), "plan.header.issuer", "không có cơ quan"),
    (lambda d: d["plan"]["opening"].__setitem__(0, "Thực hiện {ref:kh-9999}."), "plan.opening[0]", "kh-9999"),
    (lambda d: d["plan"]["opening"].__setitem__(0, "Thực hiện {ngay_ky}."), "plan.opening[0]", "trường thay thế không hợp lệ"),
    (lambda d: d["plan"]["opening"].__setitem__(0, "Tổng {survey_total} phiếu"), "plan.opening[0]", "plan.survey"),
    (lambda d: d["plan"]["sections"][0].__setitem__("title", "Mục đích"), "plan.sections[0].title", "in hoa"),
    (lambda d: d["plan"]["sections"][1]["blocks"].append({"type": "bang"}), "plan.sections[1].blocks[1]", "không hợp lệ"),
    (lambda d: d["plan"]["signature"].__setitem__("authority", "KT"), "plan.signature", "principal"),
    (lambda d: d["plan"]["signature"].__setitem__("name", "TS. Trương Quốc Huy"), "plan.signature.name", "học hàm"),
    (lambda d: d["plan"]["recipients"].__setitem__("archive", ["tc dnc"]), "plan.recipients.archive[0]", "chữ viết tắt"),
    (lambda d: d["plan"]["header"].__setitem__("number", 12), "plan.header", "ghi đủ ngày"),
    (lambda d: d["classification"]["bands"][4].__setitem__("min", 10), "classification", "bắt đầu từ 0"),
    (lambda d: d.__setitem__("nam", 2023), "nam", "không có trong lược đồ"),
    (lambda d: d["agencies"].insert(2, copy.deepcopy(d["agencies"][1])), "agencies[2].id", "bị trùng"),
])
def test_invalid_input_names_the_field(data, change, path, words):
    change(data)
    found = problems(data)
    assert any(p.startswith(path + ":") and words in p for p in found), found


def test_all_problems_are_reported_at_once(data):
    data["plan"]["header"]["number"] = "abc"
    data["plan"]["tasks"]["items"][0]["lead"] = None
    found = problems(data)
    assert any(p.startswith("plan.header.number:") and "số nguyên" in p for p in found)
    assert any(p.startswith("plan.tasks.items[0].lead:") for p in found)


def test_negative_survey_count(data):
    tra_vinh = json.loads((FIXTURES_DIR / "tra-vinh-2023" / "campaign.json").read_text(encoding="utf-8"))
    tra_vinh["plan"]["survey"]["levels"][0]["groups"][0]["factors"][0]["count"] = -3
    found = problems(tra_vinh)
    assert any(p.startswith("plan.survey.levels[0].groups[0].factors[0].count:") for p in found), found


def test_issued_plan_prints_number_and_date(data):
    data["plan"]["header"].update(number=5, date={"year": 2023, "month": 2, "day": 7})
    _, docx_bytes, _ = render_all(data)
    units = docx_units(open_docx(docx_bytes))
    assert "Số: 05/KH-UBND" in units and "Hà Nam, ngày 07 tháng 02 năm 2023" in units
