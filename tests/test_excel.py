"""Excel round trip: what goes out comes back with the same numbers; bad sheets name the cell and
change nothing."""
import io
import shutil

import pytest
from openpyxl import Workbook, load_workbook

from data_models import load_campaign
from data_models.criteria import CriteriaSet
from fixtures import FIXTURES_DIR
from service import excel
from service.cli import main
from service.domain.scoring import compute_campaign
from service.vietnamese import format_number


@pytest.fixture()
def campaign_dir(tmp_path):
    target = tmp_path / "ninh-binh-2026"
    shutil.copytree(FIXTURES_DIR / "ninh-binh-2026", target)
    return target


@pytest.fixture(scope="module")
def campaign():
    return load_campaign(FIXTURES_DIR / "ninh-binh-2026")


def test_criteria_round_trip(campaign):
    for criteria in campaign.criteria_sets:
        fields = excel.read_criteria(excel.write_criteria(criteria))
        assert CriteriaSet.model_validate({**criteria.model_dump(mode="json"), "fields": fields}) == criteria


def test_unit_scores_round_trip(campaign):
    rows = excel.read_unit_scores(excel.write_unit_scores(campaign, "sxd"))
    original = {s.code: s for s in campaign.assessment("sxd").scores}
    assert {r["code"] for r in rows} == set(original)
    for row in rows:
        score = original[row["code"]]
        for key in ("self_score", "round1", "round2"):
            value = getattr(score, key)
            assert (row.get(key) is None) == (value is None) and (value is None or float(row[key]) == float(value))
        assert row.get("remark") == score.remark and row.get("response") == score.response


def test_results_export_equals_the_ranking(campaign):
    results = compute_campaign(campaign)
    book = load_workbook(io.BytesIO(excel.write_results(campaign, results)))
    for group, ranked in results.groups.items():
        rows = list(book[group].iter_rows(min_row=3, values_only=True))
        assert [(r[2], r[11], r[12]) for r in rows] == [(u.unit_id, u.rank, u.band) for u in ranked]
        assert [format_number(str(r[10]), 2) for r in rows] == [format_number(u.index, 2) for u in ranked]
        assert book[group].cell(row=3, column=11).number_format == "0.00"


def test_cli_export_then_import_scores(campaign_dir, tmp_path, capsys):
    out = tmp_path / "xlsx"
    assert main(["export", str(campaign_dir), "-o", str(out), "--unit", "sxd"]) == 0
    assert {p.name for p in out.iterdir()} == {"ket-qua.xlsx", "tieu-chi-so-ban-nganh.xlsx", "tieu-chi-ubnd-xa.xlsx",
                                               "bang-diem-sxd.xlsx"}
    book = load_workbook(out / "bang-diem-sxd.xlsx")
    sheet = book.active
    row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == "1.1.2")
    row[7].value = 0.25                       # round 1 lowered …
    row[8].value = "Thiếu văn bản chứng minh"  # … with a remark
    book.save(out / "bang-diem-sxd.xlsx")
    before = load_campaign(campaign_dir)
    assert main(["import", str(campaign_dir), "--scores", str(out / "bang-diem-sxd.xlsx"), "--unit", "sxd"]) == 0
    after = load_campaign(campaign_dir)
    changed = {s.code: s for s in after.assessment("sxd").scores}["1.1.2"]
    assert float(changed.round1) == 0.25 and changed.remark == "Thiếu văn bản chứng minh"
    assert changed.evidence == {s.code: s for s in before.assessment("sxd").scores}["1.1.2"].evidence
    assert compute_campaign(after).unit("sxd").index < compute_campaign(before).unit("sxd").index


def test_bad_sheet_names_the_cell_and_keeps_the_campaign(campaign_dir, tmp_path, capsys):
    original = (campaign_dir / "campaign.json").read_bytes()
    book = Workbook()
    book.active.append(excel.SCORE_HEADINGS)
    book.active.append(["1.1.1", "x", 1, "Thẩm định", None, "nhiều", None, None, None, None, None, None])
    book.active.append(["1.1.2", "x", 1, "Thẩm định", None, 99, None, None, None, None, None, None])
    book.save(tmp_path / "bad.xlsx")
    assert main(["import", str(campaign_dir), "--scores", str(tmp_path / "bad.xlsx"), "--unit", "sxd"]) == 2
    err = capsys.readouterr().err
    assert "Sheet!F2: 'nhiều' không phải là số" in err and "không có thay đổi nào được lưu" in err
    assert (campaign_dir / "campaign.json").read_bytes() == original
    book.active.delete_rows(2)
    book.save(tmp_path / "bad.xlsx")
    assert main(["import", str(campaign_dir), "--scores", str(tmp_path / "bad.xlsx"), "--unit", "sxd"]) == 2
    assert "vượt điểm tối đa" in capsys.readouterr().err
    assert (campaign_dir / "campaign.json").read_bytes() == original
    (tmp_path / "not.xlsx").write_bytes(b"PK\x03\x04 not really")
    assert main(["import", str(campaign_dir), "--survey", str(tmp_path / "not.xlsx")]) == 2
    assert "không phải bảng tính Excel" in capsys.readouterr().err
    assert (campaign_dir / "campaign.json").read_bytes() == original


def test_import_survey_and_previous(campaign_dir, tmp_path):
    book = Workbook()
    book.active.append(excel.SURVEY_HEADINGS)
    for value, count in (("4", 30), ("3", 10)):
        book.active.append(["sxd", "nguoi-dan", 40, "3.3.1", value, count])
    book.save(tmp_path / "survey.xlsx")
    previous = Workbook()
    previous.active.append(excel.PREVIOUS_HEADINGS)
    previous.active.append(["sxd", 80.5, 7])
    previous.save(tmp_path / "previous.xlsx")
    assert main(["import", str(campaign_dir), "--survey", str(tmp_path / "survey.xlsx"),
                 "--previous", str(tmp_path / "previous.xlsx")]) == 0
    campaign = load_campaign(campaign_dir)
    answers = next(a for a in campaign.survey_answers if a.unit == "sxd" and a.respondent_group == "nguoi-dan")
    assert answers.answers == {"3.3.1": {"4": 30, "3": 10}} and answers.forms == 40
    assert next(p for p in campaign.previous_results if p.unit == "sxd").rank == 7


def test_a_criteria_sheet_from_before_the_answer_wording_column_still_imports(campaign):
    """An older sheet has no 'Mức trả lời riêng' column: it imports, its questions use the set's scale."""
    import io
    from openpyxl import load_workbook
    criteria = campaign.criteria_sets[0]
    book = load_workbook(io.BytesIO(excel.write_criteria(criteria)))
    book.active.delete_cols(len(excel.CRITERIA_HEADINGS) - 1, 2)     # nor the later 'Trường hợp không áp dụng'
    out = io.BytesIO()
    book.save(out)
    fields = excel.read_criteria(out.getvalue())
    older = CriteriaSet.model_validate({**criteria.model_dump(mode="json"), "fields": fields})
    assert [leaf.answer_labels for leaf in older.leaves()] == [[] for _ in older.leaves()]
    assert all(leaf.not_applicable_when is None for leaf in older.leaves())
    assert [leaf.code for leaf in older.leaves()] == [leaf.code for leaf in criteria.leaves()]
