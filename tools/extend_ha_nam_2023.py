"""Adds the scoring and drafting data to fixtures/ha-nam-2023/campaign.json (its plan, which reproduces
the reference, is left as it is): the 2023 units (18 sở, 6 đơn vị cấp huyện), criteria sets with Sở
Thông tin và Truyền thông appraising digital government, the council, four units' reports (one with
appraisal round 1 done), and the drafting documents. Idempotent.

    python tools/extend_ha_nam_2023.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from criteria_2026 import FIELDS_SO, FIELDS_XA, criteria_set  # noqa: E402
from drafting_documents import drafting_documents  # noqa: E402

PATH = ROOT / "fixtures" / "ha-nam-2023" / "campaign.json"
YEAR = 2023
SO = [("snv", "Sở Nội vụ", "SNV"), ("stp", "Sở Tư pháp", "STP"), ("stc", "Sở Tài chính", "STC"),
      ("skhdt", "Sở Kế hoạch và Đầu tư", "SKHĐT"), ("stttt", "Sở Thông tin và Truyền thông", "STTTT"),
      ("skhcn", "Sở Khoa học và Công nghệ", "SKHCN"), ("sct", "Sở Công Thương", "SCT"), ("sxd", "Sở Xây dựng", "SXD"),
      ("sgtvt", "Sở Giao thông vận tải", "SGTVT"), ("stnmt", "Sở Tài nguyên và Môi trường", "STNMT"),
      ("snnptnt", "Sở Nông nghiệp và Phát triển nông thôn", "SNNPTNT"),
      ("sldtbxh", "Sở Lao động - Thương binh và Xã hội", "SLĐTBXH"), ("syt", "Sở Y tế", "SYT"),
      ("sgddt", "Sở Giáo dục và Đào tạo", "SGDĐT"), ("svhttdl", "Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"),
      ("ttt", "Thanh tra tỉnh", "TTr"), ("vp-ubnd", "Văn phòng Ủy ban nhân dân tỉnh", "VPUB"),
      ("bqlkcn", "Ban Quản lý các khu công nghiệp tỉnh", "BQLKCN")]
HUYEN = [("tp-phu-ly", "Thành phố Phủ Lý", "Phủ Lý"), ("tx-duy-tien", "Thị xã Duy Tiên", "Duy Tiên"),
         ("h-kim-bang", "Huyện Kim Bảng", "Kim Bảng"),  # a thị xã only from 2024 (D26) ("h-thanh-liem", "Huyện Thanh Liêm", "Thanh Liêm"),
         ("h-binh-luc", "Huyện Bình Lục", "Bình Lục"), ("h-ly-nhan", "Huyện Lý Nhân", "Lý Nhân")]
#: D44: Hà Nam's Sở Nội vụ has its own deputy director (not Ninh Bình's).
HA_NAM_SNV_DEPUTY = "Nguyễn Đức Thịnh"
#: N10: one head per unit, none heading two; the Sở Nội vụ's is the director its own documents name.
GIVEN = ["Nguyễn Thị Hà", "Trần Thị Lan", "Lê Minh Đức", "Phạm Quốc Hưng", "Vũ Thị Hồng", "Đỗ Văn Nam", "Nguyễn Văn Thành", "Hoàng Văn Bình", "Bùi Thị Thu Trang", "Đặng Quang Huy", "Ngô Văn Tuấn", "Dương Thị Mai", "Lý Văn Khánh", "Trịnh Minh Quân", "Phan Thị Ngọc Anh", "Võ Đức Long", "Đinh Văn Sơn", "Mai Thị Thanh Hương", "Tạ Quang Vinh", "Lương Văn Toàn", "Hồ Thị Kim Oanh", "Chu Văn Hải", "Cao Thị Phương", "Kiều Văn Lâm"]


def huyen_fields():
    """The local-level table, worded for the district level of 2023."""
    text = json.dumps(FIELDS_XA, ensure_ascii=False)
    for old, new in (("Ủy ban nhân dân cấp xã", "Ủy ban nhân dân cấp huyện"), ("cấp xã", "cấp huyện"),
                     ("ngân sách xã", "ngân sách huyện"), ("skhcn\", null", "skhcn\", null")):
        text = text.replace(old, new)
    return json.loads(text)


def digital_by_stttt(fields):
    """In 2023 Sở Thông tin và Truyền thông appraised digital government (field 7); Sở KH&CN keeps the
    criteria it names itself (innovation, ISO 9001)."""
    fields = json.loads(json.dumps(fields, ensure_ascii=False))
    fields[6] = (fields[6][0], "stttt", fields[6][2])
    return fields


def main() -> None:
    data = json.loads(PATH.read_text(encoding="utf-8"))
    known = {a["id"] for a in data["agencies"]}
    for unit_id, name, abbreviation in SO:
        if unit_id not in known:
            data["agencies"].append({"id": unit_id, "name": name, "header_lines": [name.upper()], "parent": "ubnd-tinh",
                                     "abbreviation": abbreviation, "place": "Hà Nam"})
    for unit_id, name, place in HUYEN:
        if unit_id not in known:
            data["agencies"].append({"id": unit_id, "name": f"Ủy ban nhân dân {name[0].lower()}{name[1:]}",
                                     "header_lines": ["ỦY BAN NHÂN DÂN", name.upper()], "abbreviation": "UBND",
                                     "place": place})
    so_units = [{"id": u, "name": n, "abbreviation": a, "agency": u,
                 "signature": {"title": "Chánh Thanh tra" if u == "ttt" else ("Chánh Văn phòng" if u == "vp-ubnd" else
                               ("Trưởng ban" if u.startswith("bql") else "Giám đốc")), "name": GIVEN[i]}}
                for i, (u, n, a) in enumerate(SO)]
    huyen_units = [{"id": u, "name": f"Ủy ban nhân dân {n[0].lower()}{n[1:]}", "agency": u,
                    "signature": {"authority": "TM", "collective": "Ủy ban nhân dân", "title": "Chủ tịch",
                                  "name": GIVEN[len(SO) + i]}} for i, (u, n, _) in enumerate(HUYEN)]
    data["groups"][0]["units"] = so_units
    data["groups"][1]["units"] = huyen_units
    respondents_so = [{"id": "lanh-dao-phong", "name": "Lãnh đạo phòng, đơn vị thuộc sở"},
                      {"id": "lanh-dao-huyen", "name": "Lãnh đạo phòng chuyên môn thuộc Ủy ban nhân dân cấp huyện"},
                      {"id": "nguoi-dan", "name": "Người dân, tổ chức"}]
    respondents_huyen = [{"id": "lanh-dao-xa", "name": "Lãnh đạo Ủy ban nhân dân cấp xã"},
                         {"id": "nguoi-dan", "name": "Người dân, tổ chức"}]
    data["criteria_sets"] = [
        criteria_set("bo-tieu-chi-so", "so-ban-nganh", "Bộ tiêu chí xác định Chỉ số cải cách hành chính của các sở, ban, ngành",
                     digital_by_stttt(FIELDS_SO), respondents_so),
        criteria_set("bo-tieu-chi-huyen", "ubnd-huyen",
                     "Bộ tiêu chí xác định Chỉ số cải cách hành chính của Ủy ban nhân dân cấp huyện",
                     digital_by_stttt(huyen_fields()), respondents_huyen),
    ]
    leaves = [leaf for field in data["criteria_sets"][0]["fields"] for c in field["children"] for leaf in c["children"]]
    assessments = []
    for index, unit_id in enumerate(["snv", "stp", "sxd", "syt"]):
        scores = []
        for leaf in leaves:
            if leaf.get("scoring") == "survey":
                continue
            row = {"code": leaf["code"], "self_score": leaf["max_points"],
                   "explanation": "Đơn vị đã thực hiện đầy đủ nhiệm vụ theo kế hoạch.",
                   "evidence": [{"number": f"{40 + index}/BC-{unit_id.upper()}", "date": "2023-09-29",
                                 "title": "Báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính 9 tháng năm 2023"}]}
            if unit_id == "sxd" and leaf["code"] in ("1.1.2", "3.2.1"):
                row.update(round1=leaf["max_points"] / 2, remark="Chưa cung cấp tài liệu kiểm chứng đầy đủ.")
            scores.append(row)
        assessments.append({"unit": unit_id, "report": {"issuer": unit_id, "number": 120 + index,
                                                        "date": {"year": YEAR, "month": 10, "day": 25 + index}},
                            "scores": scores, "summary": ["Đơn vị đã triển khai đầy đủ các nhiệm vụ cải cách hành chính năm 2023."]})
    data["assessments"] = assessments
    data["council"] = [
        {"id": "ct", "name": "Trần Xuân Dưỡng", "title": "Phó Chủ tịch Ủy ban nhân dân tỉnh", "agency": "ubnd-tinh", "role": "Chủ tịch"},
        {"id": "pct", "name": "Nguyễn Thị Hà", "title": "Giám đốc Sở Nội vụ", "agency": "snv", "role": "Phó Chủ tịch"},
        {"id": "uv-vp", "name": "Đinh Văn Tuấn", "title": "Phó Chánh Văn phòng Ủy ban nhân dân tỉnh", "agency": "vp-ubnd", "role": "Ủy viên"},
        {"id": "uv-tp", "name": "Lại Thị Thu", "title": "Phó Giám đốc Sở Tư pháp", "agency": "stp", "role": "Ủy viên"},
        {"id": "uv-tc", "name": "Phạm Văn Toàn", "title": "Phó Giám đốc Sở Tài chính", "agency": "stc", "role": "Ủy viên"},
        {"id": "uv-tttt", "name": "Trần Minh Khoa", "title": "Phó Giám đốc Sở Thông tin và Truyền thông", "agency": "stttt", "role": "Ủy viên"},
        {"id": "uv-khcn", "name": "Hoàng Thị Mai", "title": "Phó Giám đốc Sở Khoa học và Công nghệ", "agency": "skhcn", "role": "Ủy viên"},
        {"id": "tt", "name": "Nguyễn Đức Long", "title": "Trưởng phòng Cải cách hành chính, Sở Nội vụ", "agency": "snv", "role": "Tổ trưởng", "body": "secretariat"},
        {"id": "tv-1", "name": "Vũ Thanh Hương", "title": "Chuyên viên Sở Nội vụ", "agency": "snv", "role": "Tổ viên", "body": "secretariat"},
        {"id": "tv-2", "name": "Bùi Văn Hải", "title": "Chuyên viên Văn phòng Ủy ban nhân dân tỉnh", "agency": "vp-ubnd", "role": "Tổ viên", "body": "secretariat"},
    ]
    data["reporting"] = {"addressees": ["Sở Nội vụ tỉnh Hà Nam"], "deadline": f"{YEAR}-10-31",
                         "recipients": [{"name": "Hội đồng thẩm định Chỉ số CCHC tỉnh"}], "archive": ["VP"]}
    data["documents"] = drafting_documents(snv_deputy=HA_NAM_SNV_DEPUTY,
        year=YEAR, province="Hà Nam", plan_ref="kh-3403", criteria_ref=None,
        law="Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", chair="Trương Quốc Huy",
        deputy="Trần Xuân Dưỡng", director="Nguyễn Thị Hà", unit_code="CCHC",
        criteria_header={"issuer": "ubnd-tinh", "date": {"year": YEAR, "month": 9}},
        reminder_date={"year": YEAR, "month": 11, "day": 2}, reminder_number=215)
    from repair_fixtures import repair
    data = repair(data)
    PATH.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {PATH}")


if __name__ == "__main__":
    main()
