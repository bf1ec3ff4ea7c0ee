"""The `documents` entries of Sở Nội vụ's drafting set for a demo campaign (used by the fixture tools)."""
from __future__ import annotations


def drafting_documents(*, year: int, province: str, plan_ref: str, criteria_ref: str | None, law: str, chair: str,
                       deputy: str, director: str, unit_code: str, criteria_header: dict, reminder_date: dict,
                       reminder_number: int, snv_deputy: str = "Lê Văn Hùng") -> dict:
    ubnd = {"authority": "TM", "collective": "Ủy ban nhân dân", "title": "Chủ tịch", "name": chair}
    ubnd_deputy = {"authority": "TM", "collective": "Ủy ban nhân dân", "principal": "Chủ tịch",
                   "title": "Phó Chủ tịch", "name": deputy}
    snv = {"authority": "", "title": "Giám đốc", "name": director}
    to_ubnd = ["Ủy ban nhân dân tỉnh " + province]
    snv_files = {"items": [{"name": "Lãnh đạo Sở"}], "archive": [unit_code]}
    basis = [law, f"Căn cứ {{ref:{plan_ref}}};"]
    return {
        "quyet-dinh-hoi-dong": {
            "header": {"issuer": "ubnd-tinh", "date": {"year": year, "month": 10}},
            "authority": f"CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH {province.upper()}",
            "basis": basis + ["Theo đề nghị của Giám đốc Sở Nội vụ."],
            "signature": ubnd_deputy,
            "recipients": {"items": [{"name": "TT Tỉnh ủy, TT HĐND tỉnh", "note": "để b/c"},
                                     {"name": "Chủ tịch, các PCT UBND tỉnh"}], "archive": ["NC"]}},
        "quyet-dinh-bo-tieu-chi": {
            "header": criteria_header,
            "authority": f"ỦY BAN NHÂN DÂN TỈNH {province.upper()}",
            "basis": [law, "Theo đề nghị của Giám đốc Sở Nội vụ."],
            "signature": ubnd,
            "recipients": {"items": [{"name": "Bộ Nội vụ", "note": "để b/c"}, {"name": "Các sở, ban, ngành"}],
                           "archive": ["NC"]}},
        "huong-dan": {
            "header": {"issuer": "snv", "date": {"year": year, "month": 10}},
            "signature": snv,
            "recipients": {"items": [{"name": "UBND tỉnh", "note": "để b/c"}, {"name": "Các cơ quan, đơn vị được đánh giá"}],
                           "archive": [unit_code]}},
        "to-trinh-ke-hoach": {"header": {"issuer": "snv", "date": {"year": year, "month": 3}}, "addressees": to_ubnd,
                              "basis": basis, "signature": snv, "recipients": snv_files},
        "to-trinh-hoi-dong": {"header": {"issuer": "snv", "date": {"year": year, "month": 10}}, "addressees": to_ubnd,
                              "basis": basis, "signature": snv, "recipients": snv_files},
        "to-trinh-ket-qua": {"header": {"issuer": "snv", "date": {"year": year, "month": 12}}, "addressees": to_ubnd,
                             "basis": basis, "signature": snv, "recipients": snv_files},
        "cong-van-don-doc": {
            "header": {"issuer": "snv", "number": reminder_number, "symbol_units": [unit_code], "date": reminder_date},
            "signature": {"authority": "KT", "principal": "Giám đốc", "title": "Phó Giám đốc", "name": snv_deputy},
            "recipients": {"items": [{"name": "Giám đốc Sở", "note": "để b/c"}], "archive": [unit_code]}},
        "cong-van-ket-qua-tham-dinh": {
            "header": {"issuer": "snv", "symbol_units": [unit_code], "date": {"year": year, "month": 11}},
            "signature": {"authority": "KT", "principal": "Giám đốc", "title": "Phó Giám đốc", "name": snv_deputy},
            "recipients": {"items": [{"name": "Hội đồng thẩm định", "note": "để b/c"}], "archive": [unit_code]}},
    }
