"""Sở Nội vụ's drafting set from both campaigns: conformance, shared facts equal between documents,
forms without an ND30 header, and bad input through the CLI."""
import datetime as dt
import json
import re

import pytest

from data_models import load_campaign
from fixtures import FIXTURES_DIR
from service.cli import main
from service.conformance import check_docx
from service.documents import compose
from service.documents.drafting import council_members
from service.render.docx_writer import render_docx
from service.render.pdf_writer import render_pdf

from .conftest import normalise, open_docx
from .test_outputs import assert_pdf_says_what_docx_says
from .test_result_documents import grid_rows

CAMPAIGNS = ["ha-nam-2023", "ninh-binh-2026"]
KINDS = ["quyet-dinh-hoi-dong", "quyet-dinh-bo-tieu-chi", "huong-dan", "to-trinh-ke-hoach", "to-trinh-hoi-dong",
         "cong-van-don-doc", "phieu-khao-sat"]


@pytest.fixture(scope="module")
def campaigns():
    return {cid: load_campaign(FIXTURES_DIR / cid) for cid in CAMPAIGNS}


@pytest.fixture(scope="module")
def drafted(campaigns):
    out = {}
    for cid, campaign in campaigns.items():
        for kind in KINDS:
            document = compose(campaign, kind)
            out[(cid, kind)] = (document, render_docx(document), render_pdf(document))
        document = compose(campaign, "cong-van-ket-qua-tham-dinh", "sxd")
        out[(cid, "cong-van-ket-qua-tham-dinh")] = (document, render_docx(document), render_pdf(document))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("campaign_id", CAMPAIGNS)
@pytest.mark.parametrize("kind", [k for k in KINDS if k != "phieu-khao-sat"] + ["cong-van-ket-qua-tham-dinh"])
def test_conformance(campaign_id, kind, drafted):
    found = [str(v) for v in check_docx(drafted[(campaign_id, kind)][1]) if "(cảnh báo)" not in v.message]
    assert found == []


@pytest.mark.parametrize("campaign_id", CAMPAIGNS)
@pytest.mark.parametrize("kind", KINDS + ["cong-van-ket-qua-tham-dinh"])
def test_pdf_says_what_docx_says(campaign_id, kind, drafted):
    assert_pdf_says_what_docx_says(*drafted[(campaign_id, kind)])


@pytest.mark.parametrize("campaign_id", CAMPAIGNS)
def test_council_in_decision_equals_council_in_submission(campaign_id, campaigns, drafted):
    decision = grid_rows(drafted[(campaign_id, "quyet-dinh-hoi-dong")][1], "STT")
    submission = grid_rows(drafted[(campaign_id, "to-trinh-hoi-dong")][1], "STT")
    assert decision == submission
    campaign = campaigns[campaign_id]
    expected = [[str(n), m.name, m.title, m.role] for body in ("council", "secretariat")
                for n, m in enumerate(council_members(campaign, body), start=1)]
    assert decision == expected and decision[0][3] == "Chủ tịch"


@pytest.mark.parametrize("campaign_id", CAMPAIGNS)
def test_guidance_deadlines_equal_the_plan(campaign_id, campaigns, drafted):
    text = [normalise(p.text) for p in open_docx(drafted[(campaign_id, "huong-dan")][1]).paragraphs]
    found = [dt.datetime.strptime(m, "%d/%m/%Y").date() for line in text
             for m in re.findall(r": hạn (\d\d/\d\d/\d{4})[;.]$", line)]
    plan = [t.deadline for t in campaigns[campaign_id].plan.tasks.items if t.deadline]
    assert found == plan and len(found) >= 3


@pytest.mark.parametrize("campaign_id", CAMPAIGNS)
def test_reminder_goes_to_exactly_the_late_units(campaign_id, campaigns, drafted):
    campaign = campaigns[campaign_id]
    header = campaign.documents["cong-van-don-doc"].header.date
    as_of = dt.date(header.year, header.month, header.day)
    late = []
    for unit in campaign.units():
        assessment = campaign.assessment(unit.id)
        report = assessment.report if assessment else None
        if report is None or dt.date(report.date.year, report.date.month, report.date.day) > as_of:
            late.append(unit.name)
    text = [normalise(p.text) for p in open_docx(drafted[(campaign_id, "cong-van-don-doc")][1]).paragraphs]
    addressed = [line[2:].rstrip(";.") for line in text if line.startswith("- ")]
    assert sorted(addressed) == sorted(late) and late
    if campaign_id == "ninh-binh-2026":
        assert sorted(late) == ["Ủy ban nhân dân xã Lý Nhân", "Ủy ban nhân dân xã Phát Diệm"]
    header_cells = [normalise(c.text) for c in open_docx(drafted[(campaign_id, "cong-van-don-doc")][1]).tables[0].rows[1].cells]
    assert re.match(r"^Số: \d+/SNV-CCHC V/v đôn đốc gửi Báo cáo tự đánh giá", header_cells[0])


def test_decision_structure(drafted):
    text = [normalise(p.text) for p in open_docx(drafted[("ninh-binh-2026", "quyet-dinh-hoi-dong")][1]).paragraphs]
    assert text.index("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH NINH BÌNH") < text.index("QUYẾT ĐỊNH:")
    articles = [int(m.group(1)) for line in text for m in [re.match(r"^Điều (\d+)\.", line)] if m]
    assert articles == [1, 2, 3, 4, 5]
    assert [line[:2] for line in text if re.match(r"^[a-đ]\) ", line)] == ["a)", "b)", "c)"]
    assert "Phụ lục I" in text and "Phụ lục II" in text
    cells = " ".join(normalise(c.text) for t in open_docx(drafted[("ninh-binh-2026", "quyet-dinh-hoi-dong")][1]).tables
                     for row in t.rows for c in row.cells)
    assert "- Như Điều 5;" in cells


def test_criteria_decision_annex_lists_every_node(campaigns, drafted):
    campaign = campaigns["ninh-binh-2026"]
    rows = grid_rows(drafted[("ninh-binh-2026", "quyet-dinh-bo-tieu-chi")][1], "Mã")
    codes = [r[0] for r in rows if r[0]]
    expected = [n.code for c in campaign.criteria_sets for n in c.nodes()]
    expected += [a.code for c in campaign.criteria_sets for a in c.adjustments]
    assert sorted(codes) == sorted(expected)


@pytest.mark.parametrize("campaign_id", CAMPAIGNS)
def test_forms_keep_page_and_fonts_but_no_header(campaign_id, campaigns, drafted):
    document = open_docx(drafted[(campaign_id, "phieu-khao-sat")][1])
    text = " ".join(normalise(p.text) for p in document.paragraphs)
    assert "CỘNG HÒA" not in text and "Nơi nhận" not in text and "Họ và tên" not in text
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 30
    fonts = {r.font.name for p in document.paragraphs for r in p.runs if r.text.strip()}
    assert fonts == {"Times New Roman"}
    campaign = campaigns[campaign_id]
    questions = sum(1 for c in campaign.criteria_sets for g in c.respondent_groups
                    for l in c.leaves() if l.scoring == "survey" and g.id in l.survey_groups)
    assert len(grid_rows(drafted[(campaign_id, "phieu-khao-sat")][1], "Câu")) == questions
    if campaign.plan.survey:
        plan_rows = grid_rows(drafted[(campaign_id, "phieu-khao-sat")][1], "STT")
        assert plan_rows[-1][1] == "Tổng cộng" and plan_rows[-1][3] == "4.500"


def _write(tmp_path, data):
    (tmp_path / "campaign.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(tmp_path)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["council"][0].__setitem__("role", "Ủy viên"), "council: Hội đồng thẩm định phải có đúng một Chủ tịch"),
    (lambda d: d["council"].append(dict(d["council"][2], id="trung")), "council[10].name: Phạm Văn Long có tên hai lần"),
    (lambda d: d["criteria_sets"][0]["fields"][1].pop("appraiser"), "criteria_sets[0]: tiêu chí 2.1.1 chưa có cơ quan thẩm định"),
    (lambda d: d["plan"]["tasks"]["items"][2].__setitem__("deadline", "2026-03-01"),
     "plan.tasks.items[2].deadline: hạn 01/03/2026 trước ngày ban hành kế hoạch 10/03/2026"),
    (lambda d: d["council"].__setitem__(4, dict(d["council"][4], agency="ubnd-tinh")),
     "council: cơ quan thẩm định 'stc' (bộ tiêu chí 'bo-tieu-chi-so') chưa có thành viên trong Hội đồng thẩm định"),
])
def test_bad_drafting_input_through_the_cli(tmp_path, capsys, change, message):
    data = json.loads((FIXTURES_DIR / "ninh-binh-2026" / "campaign.json").read_text(encoding="utf-8"))
    change(data)
    folder = _write(tmp_path, data)
    assert main(["render", folder, "--doc", "quyet-dinh-hoi-dong", "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert message in err, err
    assert not (tmp_path / "out").exists()
