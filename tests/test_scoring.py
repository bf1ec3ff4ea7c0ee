"""The computation: hand-checked values, the fixture's engineered cases, and properties."""
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_models import InvalidCampaign, load_campaign, parse_campaign
from fixtures import FIXTURES_DIR
from service.cli import main
from service.domain.scoring import compute_campaign, compute_unit

from .scoring_helpers import APPRAISED_LEAVES, small_campaign, small_campaign_data

D = Decimal


@pytest.fixture(scope="module")
def ninh_binh():
    return load_campaign(FIXTURES_DIR / "ninh-binh-2026")


@pytest.fixture(scope="module")
def results(ninh_binh):
    return compute_campaign(ninh_binh)


def test_hand_computed_unit():
    campaign = small_campaign(
        {"a": {"1.1.1": {"self_score": 1.5, "round1": 1}, "1.1.2": {"self_score": 2.5, "round1": 1.5,
                                                                    "remark": "Thiếu tài liệu", "round2": 2},
               "2.1.1": {"self_score": 3, "round1": 3}, "2.1.2": {"self_score": 1}}},
        survey={"a": {"4": 6, "3": 3, "2": 1}})
    result = compute_unit(campaign, "a")
    survey = (D(4) * 6 + D(3) * 3 + D(2)) / 10 / 4 * 2                         # mean 3,5 of 4 → 1,75
    assert result.survey_points == survey == D("1.75")
    assert result.appraised_points == D(1) + D(2) + D(3) + D(1)               # round 2 replaces round 1
    assert result.pending == 1                                                 # 2.1.2 not yet appraised
    assert result.self_points == D(8)
    assert result.total == D("8.75") and result.maximum == D(10) and result.index == D("87.5")
    assert result.nodes["1"].achieved == D(1) + D(2) + survey and result.nodes["1"].maximum == D(6)
    assert result.nodes["1.1"].index == D(3) / D(4) * 100


def test_not_applicable_lowers_the_maximum():
    campaign = small_campaign({"a": {"1.1.1": {"self_score": 1.5, "round1": 1.5}, "1.1.2": {"not_applicable": True},
                                     "2.1.1": {"round1": 3}, "2.1.2": {"round1": 1}}}, survey={"a": {"4": 2}})
    result = compute_unit(campaign, "a")
    assert result.maximum == D("7.5") and result.total == D("7.5") and result.index == D(100)
    assert result.nodes["1.1"].maximum == D("1.5")


def test_bonus_cap_deduction_and_over_100():
    rows = {code: {"round1": float(top)} for code, top in APPRAISED_LEAVES.items()}
    data = small_campaign_data({"a": rows}, survey={"a": {"4": 5}})
    data["assessments"][0]["adjustments"] = [{"code": "T1", "self_score": 2, "appraised": 2}]
    capped = compute_unit(parse_campaign(data), "a")
    assert capped.bonus == D(1) and capped.total == D(11) and capped.index == D(100)   # cap 1; index capped at 100
    data["settings"] = {"allow_over_100": True}
    assert compute_unit(parse_campaign(data), "a").index == D(110)
    data["assessments"][0]["adjustments"] = [{"code": "TR1", "appraised": 1.5}]
    assert compute_unit(parse_campaign(data), "a").total == D("8.5")


def test_competition_ranking_and_tie_break():
    full = {code: {"round1": float(top)} for code, top in APPRAISED_LEAVES.items()}
    lower = dict(full, **{"2.1.2": {"round1": 0.5}})
    units = {"a": full, "b": full, "c": lower, "d": full}
    survey = {"a": {"4": 1}, "b": {"4": 1}, "c": {"4": 1}, "d": {"3": 1}}
    # c and d have the same index (9,5 of 10); without a tie-break they share rank 3 (1, 1, 3, 3)
    ranked = compute_campaign(small_campaign(units, survey, tie_break=[])).groups["so-ban-nganh"]
    assert [r.rank for r in ranked] == [1, 1, 3, 3] and ranked[2].index == ranked[3].index
    # with the default tie-break d's higher appraised score puts it ahead
    ranked = compute_campaign(small_campaign(units, survey)).groups["so-ban-nganh"]
    assert [(r.unit_id, r.rank) for r in ranked] == [("a", 1), ("b", 1), ("d", 3), ("c", 4)]


def test_fixture_engineered_cases(ninh_binh, results):
    so = results.groups["so-ban-nganh"]
    ranks = [r.rank for r in so]
    assert ranks.count(7) == 2 and 8 not in ranks and so[6].index == so[7].index          # exact tie shares rank
    xa = results.groups["ubnd-xa"]
    same_display = [(a, b) for a, b in zip(xa, xa[1:]) if round(a.index, 2) == round(b.index, 2) and a.rank != b.rank]
    assert same_display, "two units with the same 2-decimal index at different ranks"
    ward = results.unit("phuong-tam-diep")
    assert ward.maximum == D("98") and ward.leaves["6.1.3"].not_applicable
    assert results.unit("sxd").deduction == D(2)
    assert {r.band for r in so + xa} == {"Tốt", "Khá", "Trung bình", "Yếu"}
    assert len(so) == 20 and len(xa) == 30


def test_field_maxima_and_survey_weight(ninh_binh):
    for criteria in ninh_binh.criteria_sets:
        assert len(criteria.fields) == 8 and sum(f.max_points for f in criteria.fields) == 100
        assert sum(l.max_points for l in criteria.leaves() if l.scoring == "survey") == 30
        appraisers = criteria.appraisers()
        assert all(appraisers[l.code][0] for l in criteria.leaves())


# ------------------------------------------------------------------ properties
leaf_scores = st.fixed_dictionaries({code: st.integers(0, int(top * 4)).map(lambda q: q / 4)
                                     for code, top in APPRAISED_LEAVES.items()})
survey_counts = st.fixed_dictionaries({"1": st.integers(0, 5), "2": st.integers(0, 5), "3": st.integers(0, 5),
                                       "4": st.integers(0, 5)})


def _campaign(units, surveys, **settings):
    return small_campaign({uid: {c: {"round1": v} for c, v in rows.items()} for uid, rows in units.items()},
                          survey={uid: {k: v for k, v in counts.items() if v} or {"1": 0} for uid, counts in surveys.items()},
                          **settings)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(leaf_scores, survey_counts), min_size=1, max_size=6))
def test_index_within_bounds_and_ranking_consistent(units):
    ids = [f"u{i}" for i in range(len(units))]
    ranked = compute_campaign(_campaign({i: u[0] for i, u in zip(ids, units)},
                                        {i: u[1] for i, u in zip(ids, units)})).groups["so-ban-nganh"]
    assert sorted(r.unit_id for r in ranked) == sorted(ids)                       # a permutation
    for r in ranked:
        assert D(0) <= r.index <= D(100)
        assert r.rank == 1 + sum(1 for o in ranked if (o.index, o.appraised_points) > (r.index, r.appraised_points))
    for a, b in zip(ranked, ranked[1:]):
        assert a.index >= b.index and a.rank <= b.rank


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(leaf_scores, survey_counts), min_size=2, max_size=5), st.data())
def test_raising_a_leaf_never_lowers_index_or_rank(units, data):
    ids = [f"u{i}" for i in range(len(units))]
    scores = {i: dict(u[0]) for i, u in zip(ids, units)}
    surveys = {i: u[1] for i, u in zip(ids, units)}
    before = {r.unit_id: r for r in compute_campaign(_campaign(scores, surveys)).groups["so-ban-nganh"]}
    unit = data.draw(st.sampled_from(ids))
    code = data.draw(st.sampled_from(sorted(APPRAISED_LEAVES)))
    top = float(APPRAISED_LEAVES[code])
    scores[unit][code] = data.draw(st.integers(int(scores[unit][code] * 4), int(top * 4))) / 4
    after = {r.unit_id: r for r in compute_campaign(_campaign(scores, surveys)).groups["so-ban-nganh"]}
    assert after[unit].index >= before[unit].index
    assert after[unit].rank <= before[unit].rank


# ------------------------------------------------------------------ validation
def _problems(data):
    with pytest.raises(InvalidCampaign) as error:
        parse_campaign(data)
    return [str(p) for p in error.value.problems]


@pytest.mark.parametrize(("rows", "path", "words"), [
    ({"1.1.1": {"self_score": 2}}, "assessments[0].scores[0].self_score", "vượt điểm tối đa 1,5"),
    ({"1.1.1": {"self_score": -1}}, "assessments[0].scores[0].self_score", "lớn hơn hoặc bằng 0"),
    ({"1.1.1": {"round1": 1, "round2": 1.5}}, "assessments[0].scores[0]", "chưa có nhận xét thẩm định lần 1"),
    ({"1.2.1": {"self_score": 1}}, "assessments[0].scores[0].self_score", "chỉ chấm qua điều tra"),
    ({"9.9.9": {"self_score": 1}}, "assessments[0].scores[0].code", "không có trong bộ tiêu chí"),
    ({"1.1": {"self_score": 1}}, "assessments[0].scores[0].code", "không phải tiêu chí lá"),
    ({"1.1.1": {"self_score": "nhiều"}}, "assessments[0].scores[0].self_score", "phải là số"),
])
def test_score_errors(rows, path, words):
    found = _problems(small_campaign_data({"a": rows}))
    assert any(p.startswith(path + ":") and words in p for p in found), found


def test_evidence_after_report_date():
    data = small_campaign_data({"a": {"1.1.1": {"self_score": 1, "evidence": [
        {"number": "12/BC-SNV", "date": "2023-11-02", "title": "Báo cáo"}]}}})
    data["assessments"][0]["report"] = {"issuer": "snv", "number": 5, "date": {"year": 2023, "month": 10, "day": 30}}
    found = _problems(data)
    assert any(p.startswith("assessments[0].scores[0].evidence[0].date:") and "sau ngày báo cáo 30/10/2023" in p
               for p in found), found


@pytest.mark.parametrize(("change", "words"), [
    (lambda c: c["fields"][0].__setitem__("max_points", 7), "tổng điểm tối đa các mục con"),
    (lambda c: c["fields"][1]["children"][0]["children"][1].__setitem__("code", "2.1.1"), "mã tiêu chí bị trùng"),
    (lambda c: c["fields"][1].pop("appraiser"), "tiêu chí 2.1.2 chưa có cơ quan thẩm định"),
    (lambda c: c["fields"][0].__setitem__("appraiser", "so-ma"), "không có cơ quan thẩm định 'so-ma'"),
    (lambda c: c["fields"][0]["children"][1]["children"][0].__setitem__("survey_groups", []), "nhóm đối tượng khảo sát"),
    (lambda c: c.__setitem__("total", 12), "khác tổng của bộ tiêu chí"),
])
def test_criteria_set_errors(change, words):
    data = small_campaign_data({"a": {}})
    change(data["criteria_sets"][0])
    found = _problems(data)
    assert any(p.startswith("criteria_sets[0]") and words in p for p in found), found


def test_survey_answer_errors():
    data = small_campaign_data({"a": {}}, survey={"a": {"5": 2}})
    assert any("giá trị trả lời '5'" in p for p in _problems(data))
    data = small_campaign_data({"a": {}}, survey={"a": {"4": 2}})
    data["survey_answers"][0]["answers"]["1.1.1"] = {"4": 1}
    assert any("survey_answers[0].answers.1.1.1:" in p for p in _problems(data))


def test_cli_compute_and_errors(tmp_path, capsys):
    assert main(["compute", str(FIXTURES_DIR / "ninh-binh-2026")]) == 0
    out = capsys.readouterr().out
    assert "Kết quả Chỉ số CCHC năm 2026: các sở, ban, ngành (20 đơn vị)" in out and "Yếu" in out
    data = small_campaign_data({"a": {"1.1.1": {"self_score": 2}}})
    (tmp_path / "campaign.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["compute", str(tmp_path)]) == 2
    assert "assessments[0].scores[0].self_score: điểm 2 vượt điểm tối đa 1,5 của tiêu chí 1.1.1" in capsys.readouterr().err
    assert main(["render", str(tmp_path), "--doc", "ke-hoach", "-o", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


CLI_ERRORS = [
    ({"1.1.1": {"self_score": 2}}, None, "assessments[0].scores[0].self_score: điểm 2 vượt điểm tối đa 1,5"),
    ({"1.1.1": {"self_score": -1}}, None, "assessments[0].scores[0].self_score: phải lớn hơn hoặc bằng 0"),
    ({"1.2.1": {"self_score": 1}}, None, "assessments[0].scores[0].self_score: tiêu chí 1.2.1 chỉ chấm qua điều tra"),
    ({"1.1.1": {"round1": 1, "round2": 1.5}}, None, "assessments[0].scores[0]: tiêu chí 1.1.1: có điểm thẩm định lần 2 nhưng chưa có nhận xét"),
    ({"7.7.7": {"self_score": 1}}, None, "assessments[0].scores[0].code: mã tiêu chí '7.7.7' không có"),
    ({"1.1.1": {"self_score": 1, "evidence": [{"number": "1/BC-SNV", "date": "2023-12-01", "title": "Báo cáo"}]}},
     {"issuer": "snv", "number": 3, "date": {"year": 2023, "month": 11, "day": 20}},
     "assessments[0].scores[0].evidence[0].date: tài liệu kiểm chứng ngày 01/12/2023 sau ngày báo cáo 20/11/2023"),
]


@pytest.mark.parametrize(("rows", "report", "message"), CLI_ERRORS)
def test_cli_rejects_each_scoring_error(tmp_path, capsys, rows, report, message):
    data = small_campaign_data({"a": rows})
    if report:
        data["assessments"][0]["report"] = report
    (tmp_path / "campaign.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for command in (["compute", str(tmp_path)], ["render", str(tmp_path), "--doc", "ke-hoach", "-o", str(tmp_path / "out")]):
        assert main(command) == 2
        assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_not_applicable_only_where_the_criteria_set_allows_it():
    """Walk N12: a criterion that applies to every unit of the group cannot be marked 'không áp dụng'."""
    assert small_campaign({"a": {"1.1.2": {"not_applicable": True}}})       # the set names a case for 1.1.2
    with pytest.raises(InvalidCampaign) as error:
        parse_campaign(small_campaign_data({"a": {"1.1.1": {"not_applicable": True}}}))
    assert any(p.path.endswith("scores[0].not_applicable") and "tiêu chí 1.1.1 áp dụng cho mọi đơn vị" in p.message
               for p in error.value.problems), error.value.problems
