"""Brings the demo campaigns in line with the drafting review (documents-2026-11): the data a Sở Nội vụ
would recognise. Idempotent; the fixture generators call it last, and run alone it rewrites the three
fixtures in place. Scores, ranks and ties are untouched: only dates, numbers, wording of the frame
(căn cứ, signatures, recipients) and the plan's task → document links change.

    python tools/repair_fixtures.py
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIXTURES = ("ninh-binh-2026", "ha-nam-2023", "tra-vinh-2023")
DOT_DECIMAL = re.compile(r"(?<![\d.,])(\d+)\.(\d{1,2})(?![\d.])(?=\s*(?:điểm|%))")
STRAIGHT_QUOTED = re.compile(r'"([^"\n]+)"')
AMENDING_LAW_2019 = ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính "
                     "quyền địa phương ngày 22 tháng 11 năm 2019;")
#: Hà Nam's task table (its signed plan) and the documents each task produces.
HA_NAM_PRODUCES = [["ke-hoach", "to-trinh-ke-hoach"], ["quyet-dinh-bo-tieu-chi"], ["huong-dan"],
                   ["bao-cao-tu-danh-gia"], ["to-trinh-hoi-dong", "quyet-dinh-hoi-dong"],
                   ["cong-van-ket-qua-tham-dinh", "bao-cao-giai-trinh"], ["bao-cao-ket-qua"], ["bien-ban"],
                   ["to-trinh-ket-qua", "quyet-dinh-cong-bo"]]
DECISIONS_PROPOSED = {"quyet-dinh-hoi-dong", "quyet-dinh-cong-bo"}


def _strings(node, change):
    """Every string of the JSON tree through ``change`` (keys kept)."""
    if isinstance(node, dict):
        return {k: _strings(v, change) for k, v in node.items()}
    if isinstance(node, list):
        return [_strings(v, change) for v in node]
    return change(node) if isinstance(node, str) else node


def _typography(text: str) -> str:
    """D15 '1.5 điểm' → '1,5 điểm'; D36 "…" → “…”."""
    return STRAIGHT_QUOTED.sub(r"“\1”", DOT_DECIMAL.sub(r"\1,\2", text))


def _friday_before(day: dt.date) -> dt.date:
    """D38: a report or letter is not dated on a Saturday or Sunday."""
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _weekday_header(header: dict | None) -> None:
    date = (header or {}).get("date") or {}
    if date.get("day"):
        day = _friday_before(dt.date(date["year"], date["month"], date["day"]))
        date.update(year=day.year, month=day.month, day=day.day)


def _evidence(assessment: dict) -> None:
    """D16: added evidence answers the round-1 notice (dated after it, before the explanation), and the
    numbers of one issuer's documents rise with their dates."""
    notice = (assessment.get("notice") or {}).get("date") or {}
    if notice.get("day"):
        answered = _friday_before(dt.date(notice["year"], notice["month"], notice["day"]) + dt.timedelta(days=2))
        for score in assessment["scores"]:
            for item in score.get("added_evidence", []):
                item["date"] = answered.isoformat()
    for score in assessment["scores"]:
        for item in score.get("evidence", []):
            item["date"] = _friday_before(dt.date.fromisoformat(item["date"])).isoformat()
    series: dict[tuple[str, str], list[dict]] = {}
    for score in assessment["scores"]:
        for item in [*score.get("evidence", []), *score.get("added_evidence", [])]:
            number, _, symbol = item["number"].partition("/")
            if number.strip().isdigit():
                series.setdefault((symbol, item["date"][:4]), []).append(item)
    for (symbol, _), items in series.items():
        numbers = sorted(int(item["number"].partition("/")[0]) for item in items)
        for item, number in zip(sorted(items, key=lambda i: i["date"]), numbers):
            item["number"] = f"{number}/{symbol}"


def _basis(data: dict, kind: str, document: dict) -> None:
    """D7, D8, D9: căn cứ by legal force then date, the campaign's plan cited when it precedes the
    decision, the Tờ trình named in 'Theo đề nghị'."""
    references = {ref["id"]: ref["date"] for ref in data["plan"]["references"]}
    lines = document.get("basis") or []
    laws = [line for line in lines if line.startswith("Căn cứ Luật")]
    if data["year"] < 2025 and laws and AMENDING_LAW_2019 not in laws:
        laws.append(AMENDING_LAW_2019)
    cited = [line for line in lines if re.match(r"^Căn cứ \{ref:", line)]
    cited.sort(key=lambda line: references.get(re.match(r"^Căn cứ \{ref:([a-z0-9-]+)", line)[1], ""))
    plan = data["plan"]["header"]
    header = document["header"]
    plan_first = plan.get("number") is not None and (plan["date"]["year"], plan["date"].get("month") or 0) <= \
        (header["date"]["year"], header["date"].get("month") or 12)
    if kind.startswith("quyet-dinh") and plan_first and "Căn cứ {plan};" not in cited:
        cited.append("Căn cứ {plan};")
    requests = [line for line in lines if line.startswith(("Theo đề nghị", "Xét đề nghị"))]
    if kind in DECISIONS_PROPOSED and requests:
        requests = ["Theo đề nghị của Giám đốc Sở Nội vụ tại {proposal}."]
    document["basis"] = [*laws, *cited, *requests]


def _kim_bang(text: str) -> str:
    """D26: Kim Bảng was a huyện in 2023 (a thị xã from 2024)."""
    return {"tx-kim-bang": "h-kim-bang"}.get(text, text.replace("thị xã Kim Bảng", "huyện Kim Bảng")
                                                     .replace("THỊ XÃ KIM BẢNG", "HUYỆN KIM BẢNG"))


def repair(data: dict) -> dict:
    data = _strings(data, _typography)
    _registers(data)                 # first, as the campaign is parsed (and its registers checked) below
    if data["id"] == "ha-nam-2023":
        data = _strings(data, _kim_bang)
        data = _strings(data, lambda text: "Nguyễn Đức Thịnh" if text == "Lê Văn Hùng" else text)      # D44
    documents = data.get("documents", {})
    tasks = (data["plan"].get("tasks") or {}).get("items", [])
    if data["id"].startswith("ha-nam") and len(tasks) == len(HA_NAM_PRODUCES):
        for task, produces in zip(tasks, HA_NAM_PRODUCES):
            task["produces"] = produces
    # D6: the đôn đốc follows the deadline it chases; a criteria decision already issued (Ninh Bình's
    # 1083/QĐ-UBND of December) is the plan's basis, not one of its tasks.
    issued = {kind for kind, document in documents.items() if document["header"].get("number") is not None}
    for task in tasks:
        if "produces" in task:
            task["produces"] = [k for k in task["produces"] if k != "cong-van-don-doc"
                                and not (k == "quyet-dinh-bo-tieu-chi" and k in issued)]
    if "quyet-dinh-hoi-dong" in documents:          # D1: the Chủ tịch's own act, signed by a deputy
        signature = documents["quyet-dinh-hoi-dong"]["signature"]
        signature.update(authority="KT", principal="Chủ tịch")
        signature.pop("collective", None)
    plan_archive = (data["plan"].get("recipients") or {}).get("archive")
    for kind, document in documents.items():
        if document.get("basis"):
            _basis(data, kind, document)
        if kind.startswith("quyet-dinh") and plan_archive and \
                document["header"]["issuer"] == data["plan"]["header"]["issuer"]:   # D31: one filing code for UBND tỉnh
            document.setdefault("recipients", {})["archive"] = list(plan_archive)
    if "quyet-dinh-bo-tieu-chi" in documents and "qd-1952" in {r["id"] for r in data["plan"]["references"]}:
        documents["quyet-dinh-bo-tieu-chi"]["replaces"] = "qd-1952"     # D10: Hà Nam's plan says the set replaces it
    if "quyet-dinh-bo-tieu-chi" in documents:        # D32: Điều 3 already names the sở, ban, ngành
        items = documents["quyet-dinh-bo-tieu-chi"]["recipients"]["items"]
        items[:] = [item for item in items if item["name"] != "Các sở, ban, ngành"] or items
    if data.get("council"):
        _council_agency(data)
    if "quyet-dinh-cong-bo" in documents:             # issue 13: the province reports its index to the ministry
        publication = documents["quyet-dinh-cong-bo"]
        documents["bao-cao-bo-noi-vu"] = {
            "header": {"issuer": publication["header"]["issuer"], "date": dict(publication["header"]["date"])},
            "addressees": ["Bộ Nội vụ"],
            "signature": {"authority": "TM", "collective": "Ủy ban nhân dân", "principal": "Chủ tịch",
                          "title": "Phó Chủ tịch", "name": documents["quyet-dinh-hoi-dong"]["signature"]["name"]},
            "recipients": {"items": [{"name": "Thường trực Tỉnh ủy", "note": "để b/c"}, {"name": "Sở Nội vụ"}],
                           "archive": list(publication["recipients"].get("archive", []))}}
        documents["cong-van-chan-chinh"] = {     # issue 13: the units rated Yếu are told to remedy
            "header": {"issuer": publication["header"]["issuer"], "date": dict(publication["header"]["date"]),
                       "symbol_units": list(publication["recipients"].get("archive", []))[-1:] or ["NC"]},
            "signature": dict(documents["bao-cao-bo-noi-vu"]["signature"]),
            "recipients": {"items": [{"name": "Chủ tịch, các Phó Chủ tịch UBND tỉnh", "note": "để b/c"},
                                     {"name": "Sở Nội vụ"}],
                           "archive": list(publication["recipients"].get("archive", []))}}
    if "huong-dan" in documents and data["plan"].get("survey") and documents:
        _survey_plan(data, documents)
    if data["id"].startswith("ninh-binh"):
        _survey_sample(data)
        _survey_questions(data)
        for criteria in data.get("criteria_sets", []):       # D29: how each bonus and deduction is scored
            for item in criteria.get("adjustments", []):
                item.setdefault("rule", ADJUSTMENT_RULES.get(item["code"]))
    if "cong-van-ket-qua-tham-dinh" in documents and data.get("criteria_sets"):
        _unit_letters(data, documents)
        _round_two_letters(data)
    if data["id"].startswith("ninh-binh"):
        _summaries(data)
        _remarks(data)
        _edoc_codes(data)
    for assessment in data.get("assessments", []):
        _weekday_header(assessment.get("report"))
        _evidence(assessment)
    _task_months(data)
    _own_unit_appraisers(data)
    _registers(data)
    return data


#: D11: forms per unit evaluated in Ninh Bình's sample, so the plan covers the forms its answers count
#: (respondent group → people asked per sở or per xã).
NINH_BINH_SAMPLE = {"Lãnh đạo phòng, đơn vị thuộc sở": 35, "Lãnh đạo Ủy ban nhân dân cấp xã": 25,
                    ("Cấp tỉnh", "Người dân, tổ chức"): 40, ("Cấp xã", "Người dân, tổ chức"): 35,
                    "Công chức cấp xã": 40}


ADJUSTMENT_RULES = {
    "T1": "Được khen thưởng từ Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh trở lên về cải cách hành chính trong năm: 1 điểm.",
    "T2": "Có mô hình, sáng kiến được Hội đồng sáng kiến cấp tỉnh công nhận và nhân rộng trong năm: 1 điểm.",
    "TR1": "Mỗi vụ việc bị cơ quan có thẩm quyền kết luận sai phạm trong giải quyết thủ tục hành chính: trừ 1 điểm, "
           "tối đa 2 điểm.",
    "TR2": "Mỗi cán bộ, công chức, viên chức bị kỷ luật từ mức cảnh cáo trở lên trong năm: trừ 1 điểm, tối đa 2 điểm.",
}


#: D18: each question's own answer wording (same values as the set's scale), by the words that open it.
ANSWER_LABELS = {
    "Mức độ quyết liệt": ["Rất không quyết liệt", "Không quyết liệt", "Quyết liệt", "Rất quyết liệt"],
    "Tính khả thi": ["Rất không khả thi", "Không khả thi", "Khả thi", "Rất khả thi"],
    "Sự hợp lý": ["Rất không hợp lý", "Không hợp lý", "Hợp lý", "Rất hợp lý"],
    "Tính công khai": ["Rất không công khai", "Không công khai", "Công khai", "Rất công khai"],
    "Sự thuận tiện": ["Rất không thuận tiện", "Không thuận tiện", "Thuận tiện", "Rất thuận tiện"],
    "Chất lượng, hiệu quả": ["Rất kém", "Kém", "Tốt", "Rất tốt"],
}


def _survey_questions(data: dict) -> None:
    def walk(node):
        if node.get("scoring") == "survey":
            labels = next((v for k, v in ANSWER_LABELS.items() if node["title"].startswith(k)), None)
            if labels:
                node["answer_labels"] = labels
        for child in node.get("children", []):
            walk(child)
    for criteria in data.get("criteria_sets", []):
        for field in criteria["fields"]:
            walk(field)
    # D18: citizens are not asked about a sở's internal management (the head's resolve, the feasibility
    # of its drafts, its division of work, its coordination); their answers to those are not kept
    internal = {(criteria["id"], code) for criteria in data.get("criteria_sets", []) if criteria["group"] == "so-ban-nganh"
                for code in ("1.4.1", "2.3.1", "4.3.1", "8.3.1")}
    groups_of = {u["id"]: g["id"] for g in data["groups"] for u in g["units"]}
    set_of = {c["group"]: c["id"] for c in data.get("criteria_sets", [])}

    def restrict(node, set_id):
        if (set_id, node.get("code")) in internal and "nguoi-dan" in node.get("survey_groups", []):
            node["survey_groups"] = [g for g in node["survey_groups"] if g != "nguoi-dan"]
        for child in node.get("children", []):
            restrict(child, set_id)
    for criteria in data.get("criteria_sets", []):
        for field in criteria["fields"]:
            restrict(field, criteria["id"])
    for answers in data.get("survey_answers", []):
        set_id = set_of.get(groups_of.get(answers["unit"]))
        if answers["respondent_group"] == "nguoi-dan":
            answers["answers"] = {code: counts for code, counts in answers["answers"].items() if (set_id, code) not in internal}


def _survey_sample(data: dict) -> None:
    for level in data["plan"]["survey"]["levels"]:
        for group in level["groups"]:
            people = NINH_BINH_SAMPLE.get(group["respondents"]) or next(
                (n for key, n in NINH_BINH_SAMPLE.items() if isinstance(key, tuple) and level["heading"].startswith(key[0])
                 and key[1] == group["respondents"]), None)
            if people is not None:
                group["factors"][0]["count"] = people


TTHC_REMARK = "Số liệu báo cáo chưa khớp với số liệu trên Hệ thống thông tin giải quyết thủ tục hành chính."


def _remarks(data: dict) -> None:
    """D43: the remark about the TTHC information system only on the criteria of the TTHC field."""
    tthc = {f["code"] for c in data["criteria_sets"] for f in c["fields"] if "thủ tục hành chính" in f["title"].lower()}
    for assessment in data.get("assessments", []):
        for score in assessment["scores"]:
            if score.get("remark") == TTHC_REMARK and score["code"].split(".")[0] not in tthc:
                score["remark"] = "Số liệu báo cáo chưa khớp với tài liệu kiểm chứng kèm theo."


def _summaries(data: dict) -> None:
    """D37: each unit's own summary says what its scores say (not 'đầy đủ' at 68 %), naming its weakest
    field."""
    from data_models import parse_campaign
    from service.domain.scoring import compute_unit, weakest_fields
    campaign = parse_campaign(data)
    year = campaign.year
    for assessment in data.get("assessments", []):
        if not assessment.get("report"):
            continue
        result = compute_unit(campaign, assessment["unit"])
        maximum = sum(l.node.max_points for l in result.leaves.values()
                      if l.node.scoring == "appraised" and not l.not_applicable)
        rate = result.self_points / maximum * 100 if maximum else 0
        weakest = weakest_fields(campaign, result)        # N9: as the report's own table rates them
        title = weakest[0].field.title if weakest else ""
        weakest = title[:1].lower() + title[1:]
        if rate >= 90:
            first = (f"Năm {year}, đơn vị đã triển khai đầy đủ các nhiệm vụ cải cách hành chính theo kế hoạch của "
                     "Ủy ban nhân dân tỉnh")
        elif rate >= 80:
            first = (f"Năm {year}, đơn vị cơ bản hoàn thành các nhiệm vụ cải cách hành chính theo kế hoạch; còn một "
                     f"số tiêu chí chưa đạt điểm tối đa, nhất là lĩnh vực {weakest}")
        else:
            first = (f"Năm {year}, đơn vị còn nhiều nhiệm vụ cải cách hành chính chưa hoàn thành đúng kế hoạch, "
                     f"nhất là lĩnh vực {weakest}; đơn vị sẽ xây dựng giải pháp khắc phục trong năm tiếp theo")
        assessment["summary"] = [f"{first}; kết quả tự đánh giá, chấm điểm được tổng hợp tại Phụ lục kèm theo."]


def _produced_with(data: dict, kind: str, new: str) -> None:
    """The task that produces ``kind`` produces ``new`` too (once)."""
    for task in (data["plan"].get("tasks") or {}).get("items", []):
        if kind in task.get("produces", []) and new not in task["produces"]:
            task["produces"].append(new)


def _survey_plan(data: dict, documents: dict) -> None:
    """Issue 13: the Sở Nội vụ's own Kế hoạch điều tra xã hội học, dated in the survey task's first month."""
    guidance = documents["huong-dan"]
    task = next((t for t in (data["plan"].get("tasks") or {}).get("items", []) if "phieu-khao-sat" in t.get("produces", [])), None)
    if task is None:
        return
    month = re.search(r"[Tt]háng\s+(\d{1,2})", task["time"])
    documents["ke-hoach-dieu-tra-xhh"] = {
        "header": {"issuer": guidance["header"]["issuer"],
                   "date": {"year": guidance["header"]["date"]["year"], **({"month": int(month[1])} if month else {})}},
        "signature": dict(guidance["signature"]),
        "recipients": {"items": [{"name": "UBND tỉnh", "note": "để b/c"}, {"name": "Hội đồng thẩm định"}],
                       "archive": list(guidance["recipients"].get("archive", []))}}
    _produced_with(data, "phieu-khao-sat", "ke-hoach-dieu-tra-xhh")


def _unit_letters(data: dict, documents: dict) -> None:
    """Issue 13: the round-2 result and the unit's index are each a THÔNG BÁO of the Sở Nội vụ to one
    unit, signed as its round-1 letter; round 2 belongs to the appraisal task."""
    notice = documents["cong-van-ket-qua-tham-dinh"]
    issuer, year = notice["header"]["issuer"], notice["header"]["date"]["year"]
    publication = documents.get("quyet-dinh-cong-bo", notice)["header"]["date"]
    for kind, month in (("thong-bao-tham-dinh-lan-2", notice["header"]["date"].get("month")),
                        ("thong-bao-ket-qua-chi-so", publication.get("month"))):
        documents[kind] = {"header": {"issuer": issuer, "date": {"year": publication["year"] if kind.endswith("chi-so")
                                                                  else year, **({"month": month} if month else {})}},
                           "signature": dict(notice["signature"]),
                           "recipients": {"items": [{"name": "Hội đồng thẩm định", "note": "để b/c"}],
                                          "archive": list(notice["recipients"].get("archive", []))}}
    _produced_with(data, "cong-van-ket-qua-tham-dinh", "thong-bao-tham-dinh-lan-2")


def _edoc_codes(data: dict) -> None:
    """Issue 27: demo mã định danh điện tử (the form of QĐ 20/2020/QĐ-TTg, clearly not real: level 2
    'DT', dùng thử) for every agency and unit and the bodies outside the province the documents go
    to; the council's mail goes to its standing agency's e-office. Idempotent."""
    codes = data.setdefault("edoc_codes", {})
    names = [a["name"] for a in data["agencies"] if a["id"] != data.get("council_agency")]
    names += [u["name"] for g in data["groups"] for u in g["units"]] + ["Bộ Nội vụ", "Thường trực Tỉnh ủy"]
    used = set(codes.values())
    number = 1
    for name in names:
        if name in codes:
            continue
        while f"000.DT.{number:02d}.NB" in used:
            number += 1
        codes[name] = f"000.DT.{number:02d}.NB"
        used.add(codes[name])
    council = next((a for a in data["agencies"] if a["id"] == data.get("council_agency")), None)
    standing = data.get("documents", {}).get("cong-van-ket-qua-tham-dinh", {}).get("header", {}).get("issuer")
    if council and standing:
        codes.setdefault(council["name"], codes[next(a["name"] for a in data["agencies"] if a["id"] == standing)])


def _round_two_letters(data: dict) -> None:
    """Walk U23: a unit appraised again after its explanation has its Thông báo kết quả thẩm định lần 2,
    issued on the Monday after the explanations, in the register its round-1 notice took (the council's
    for the standing agency), numbered after the notices. Idempotent: a letter already there stays."""
    explained = [a for a in data.get("assessments", []) if a.get("notice") and a.get("explanation_report")]
    if not explained:
        return
    last = max(_day(a["explanation_report"]) for a in explained)
    monday = last + dt.timedelta(days=7 - last.weekday())
    used: dict[tuple, int] = {}
    for assessment in data["assessments"]:
        for header in [assessment.get("notice"), *(assessment.get("letters") or {}).values()]:
            if header and header.get("number") is not None:
                key = (header["issuer"], tuple(header.get("symbol_units", [])))
                used[key] = max(used.get(key, 0), header["number"])
    for assessment in explained:
        letters = assessment.setdefault("letters", {})
        if "thong-bao-tham-dinh-lan-2" in letters:
            continue
        notice = assessment["notice"]
        key = (notice["issuer"], tuple(notice.get("symbol_units", [])))
        used[key] += 1
        letters["thong-bao-tham-dinh-lan-2"] = {
            "issuer": notice["issuer"], "number": used[key], "symbol_units": list(key[1]),
            "date": {"year": monday.year, "month": monday.month, "day": monday.day}}


def _council_agency(data: dict) -> None:
    """D4, D20: the council stands as its own issuer (header 'UBND TỈNH … / HỘI ĐỒNG THẨM ĐỊNH', its
    own register 'Số: …/BB-HĐTĐ'): it signs the Biên bản and the notice to the standing agency."""
    province = data["province"]
    data["agencies"] = [a for a in data["agencies"] if a["id"] != "hdtd"]
    ubnd = next(a for a in data["agencies"] if a["id"] == data["plan"]["header"]["issuer"])
    data["agencies"].append({"id": "hdtd", "name": f"Hội đồng thẩm định Chỉ số cải cách hành chính tỉnh {province}",
                                "header_lines": ["HỘI ĐỒNG THẨM ĐỊNH", "CHỈ SỐ CCHC"],
                                "parent": ubnd["id"], "abbreviation": "HĐTĐ", "place": ubnd["place"]})
    data["council_agency"] = "hdtd"
    standing = data.get("documents", {}).get("cong-van-ket-qua-tham-dinh", {}).get("header", {}).get("issuer")
    for assessment in data.get("assessments", []):
        unit_agency = next((u.get("agency") for g in data["groups"] for u in g["units"] if u["id"] == assessment["unit"]), None)
        if assessment.get("notice") and unit_agency == standing:
            assessment["notice"].update(issuer="hdtd", symbol_units=["TTK"])
    if data.get("meeting"):
        data["meeting"]["header"]["issuer"] = "hdtd"
        chair = next(m for m in data["council"] if m["id"] == data["meeting"]["chair"])
        start = data["meeting"]["start"][:10]
        day = dt.date.fromisoformat(start) - dt.timedelta(days=7)      # a week before the meeting
        day = _friday_before(day)
        data.setdefault("documents", {})["giay-moi-hop-hoi-dong"] = {
            "header": {"issuer": "hdtd", "date": {"year": day.year, "month": day.month}},
            "signature": {"authority": "", "title": "Chủ tịch Hội đồng", "name": chair["name"]},
            "recipients": {"items": [{"name": "Chủ tịch, các Phó Chủ tịch UBND tỉnh", "note": "để b/c"}],
                           "archive": ["HĐTĐ"]}}
        deputy = next((m for m in data["council"] if m.get("role") == "Phó Chủ tịch"), chair)
        data["documents"]["thong-bao-ket-luan"] = {
            "header": {"issuer": "hdtd", "date": {"year": int(start[:4]), "month": int(start[5:7])}},
            "signature": {"authority": "KT", "principal": "Chủ tịch", "title": "Phó Chủ tịch", "name": deputy["name"]},
            "recipients": {"items": [{"name": "Ủy ban nhân dân tỉnh", "note": "để b/c"},
                                     {"name": "Các cơ quan, đơn vị được đánh giá"}], "archive": ["HĐTĐ"]}}
        data["meeting"].setdefault("recipients", {})["archive"] = ["HĐTĐ"]
    secretariat = [m for m in data["council"] if m.get("body") == "secretariat"]
    notice = data.get("documents", {}).get("cong-van-ket-qua-tham-dinh")
    if data.get("meeting") and secretariat and notice is not None:   # issue 13: the Tổ Thư ký meets first
        council_day = dt.date.fromisoformat(data["meeting"]["start"][:10])
        day = _friday_before(council_day - dt.timedelta(days=2))
        leader = next((m for m in secretariat if m["role"] == "Tổ trưởng"), secretariat[0])
        data["secretariat_meeting"] = {
            "start": f"{day.isoformat()}T14:00:00", "place": data["meeting"]["place"], "chair": leader["id"],
            "agenda": ["Tổng hợp kết quả thẩm định lần 2 của các cơ quan được phân công thẩm định.",
                       "Rà soát các kiến nghị của cơ quan, đơn vị; dự thảo báo cáo kết quả thẩm định.",
                       "Chuẩn bị tài liệu cuộc họp Hội đồng thẩm định."]}
        letter_day = _friday_before(day - dt.timedelta(days=3))
        data["documents"]["giay-moi-hop-to-thu-ky"] = {
            "header": {"issuer": notice["header"]["issuer"], "date": {"year": letter_day.year, "month": letter_day.month}},
            "signature": dict(notice["signature"]),
            "recipients": {"items": [{"name": "Giám đốc Sở Nội vụ", "note": "để b/c"}],
                           "archive": list(notice["recipients"].get("archive", []))}}
        _produced_with(data, "cong-van-ket-qua-tham-dinh", "giay-moi-hop-to-thu-ky")
    council_decision = data.get("documents", {}).get("quyet-dinh-hoi-dong")
    if council_decision is not None:          # issue 13: the council's working rules, its first own act
        chair = next(m for m in data["council"] if m.get("role") == "Chủ tịch" and m.get("body", "council") == "council")
        data["documents"]["quyet-dinh-quy-che"] = {
            "header": {"issuer": "hdtd", "date": {k: v for k, v in council_decision["header"]["date"].items() if k != "day"}},
            "authority": f"CHỦ TỊCH HỘI ĐỒNG THẨM ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH TỈNH {province.upper()}",
            "signature": {"authority": "", "title": "Chủ tịch", "name": chair["name"]},
            "recipients": {"items": [{"name": "Ủy ban nhân dân tỉnh", "note": "để b/c"}], "archive": ["HĐTĐ"]}}
        _produced_with(data, "quyet-dinh-hoi-dong", "quyet-dinh-quy-che")


def _task_months(data: dict) -> None:
    """D6: a draft's month is its task's (the Hướng dẫn in April, not October)."""
    from data_models import parse_campaign
    from service.domain.calendar import date_problems, suggested_month
    campaign = parse_campaign(data)
    for kind, document in data.get("documents", {}).items():
        header = document["header"]
        if header.get("number") is None and date_problems(campaign, kind):
            suggestion = suggested_month(campaign, kind)
            if suggestion:
                header["date"] = {"year": suggestion[0], "month": suggestion[1]}


#: D16: the explanation's added evidence that answers the appraisal cannot predate it.
ANSWERS_APPRAISAL = "theo yêu cầu thẩm định"


def _day(part: dict | None) -> dt.date | None:
    if part and part.get("number") is not None and part["date"].get("day"):
        return dt.date(part["date"]["year"], part["date"]["month"], part["date"]["day"])
    return None


def _own_unit_appraisers(data: dict) -> None:
    """N5: the Sở Nội vụ's own criteria are appraised by the Văn phòng UBND tỉnh, the other appraising
    sở's own criteria by the Sở Nội vụ (the Quy chế: nobody appraises the agency where they work)."""
    def appraisers(node, found):
        if node.get("appraiser"):
            found.add(node["appraiser"])
        for child in node.get("children", []):
            appraisers(child, found)
        return found
    for criteria in data.get("criteria_sets", []):
        found = set()
        for field in criteria["fields"]:
            appraisers(field, found)
        group = next(g for g in data["groups"] if g["id"] == criteria["group"])
        own = {unit.get("agency") or unit["id"] for unit in group["units"]} & found
        if own:
            criteria["own_unit_appraisers"] = {agency: ("vp-ubnd" if agency == "snv" else "snv") for agency in sorted(own)}


def _registers(data: dict) -> None:
    """D16, N6: every issuer's register numbered in date order (ND30 Điều 15: one series per issuer and
    year, the Hội đồng's its own from 01). Issued headers keep their numbers where the order allows
    (else the next free one); the units' own evidence is renumbered to fit between them. Idempotent:
    a register already in order is left as it is."""
    from data_models import Campaign
    from data_models.registers import register_entries
    for assessment in data.get("assessments", []):          # an answer to the appraisal follows the appraisal
        after = max(filter(None, (_day(assessment.get("report")), _day(assessment.get("notice")))), default=None)
        for score in assessment.get("scores", []):
            for evidence in score.get("added_evidence", []):
                if after and ANSWERS_APPRAISAL in evidence["title"] and dt.date.fromisoformat(evidence["date"]) <= after:
                    day = after + dt.timedelta(days=2)
                    while day.weekday() >= 5:
                        day += dt.timedelta(days=1)
                    evidence["date"] = day.isoformat()
    council = data.get("council_agency")
    registers: dict[tuple[str, int, str | None], list] = {}
    for entry in register_entries(Campaign.model_validate(data)):
        if entry.issuer == council and entry.cited is None and entry.number > 99:   # a council of October is not at 401
            _set_path(data, entry.path, 1)
            entry = dataclasses.replace(entry, number=1)
        registers.setdefault((entry.issuer, entry.date.year, entry.type), []).append(entry)
    for entries in registers.values():
        ordered = sorted(entries, key=lambda e: (e.number, e.date))
        if all(a.date <= b.date for a, b in zip(ordered, ordered[1:])):
            continue
        headers = sorted((e for e in entries if e.cited is None), key=lambda e: (e.date, e.number))
        last, fixed = 0, {}
        for entry in headers:
            number = entry.number if entry.number > last else last + 1
            fixed[entry.path] = number
            last = number
        documents: dict[tuple[int, dt.date], list] = {}
        for entry in entries:
            if entry.cited is not None:
                documents.setdefault((entry.number, entry.date), []).append(entry)
        timeline = sorted([(e.date, False, fixed[e.path], e.path) for e in headers]
                          + [(day, True, number, (number, day)) for number, day in documents],
                          key=lambda t: (t[0], t[1], t[2]))
        last, numbered = 0, {}
        for index, (day, is_evidence, number, key) in enumerate(timeline):
            if not is_evidence:
                fixed[key] = last = max(number, last + 1)
                continue
            later = timeline[index + 1:]
            upper = next((n for _, ev, n, _ in later if not ev), None)
            waiting = 1 + sum(1 for _ in itertools.takewhile(lambda t: t[1], later))
            allowed = upper - waiting if upper is not None else None
            if upper is None:               # after the register's last issued header: the next numbers
                chosen = last + 1
            elif number > last and number <= allowed:
                chosen = number
            elif allowed is not None and allowed - last >= waiting:
                chosen = last + max(1, (allowed - last) // (waiting + 1))
            else:
                chosen = last + 1
            numbered[key] = last = chosen
        for entry in entries:
            if entry.path in fixed:
                _set_path(data, entry.path, fixed[entry.path])
            else:
                number = numbered[(entry.number, entry.date)]
                old = _get_path(data, entry.path)
                _set_path(data, entry.path, re.sub(r"^\s*\d+", str(number), old))


def _steps(path: str) -> list:
    return [int(part[1:-1]) if part.startswith("[") else part
            for part in re.findall(r"\[\d+\]|[^.\[\]]+", path)]


def _get_path(data, path: str):
    for step in _steps(path):
        data = data[step]
    return data


def _set_path(data, path: str, value) -> None:
    *head, last = _steps(path)
    for step in head:
        data = data[step]
    data[last] = value


def main() -> None:
    for name in FIXTURES:
        path = ROOT / "fixtures" / name / "campaign.json"
        text = path.read_text(encoding="utf-8")
        indent = 2 if text.startswith('{\n  "') else 1
        data = repair(json.loads(text))
        path.write_text(json.dumps(data, ensure_ascii=False, indent=indent) + ("\n" if text.endswith("\n") else ""),
                        encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
