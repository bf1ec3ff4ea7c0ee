"""The drafting forms: the plan (dates, title, text, task table, classes), the other documents the
Sở Nội vụ drafts (decisions, guidance, submissions, letters) and the appraisal council. Shared parts —
draft date, title lines, signer, Nơi nhận — are read the same way for every document."""
from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Mapping

from service.store.campaigns import Change

from .forms import Fields

SIGNATURE_FIELDS = {"authority": "ky-quyen", "collective": "ky-tap-the", "principal": "ky-cap-truong",
                    "deputy_of": "ky-truong-don-vi", "title": "ky-chuc-vu", "name": "ky-ho-ten"}
ROLES = ["Chủ tịch", "Phó Chủ tịch", "Ủy viên", "Thư ký", "Tổ trưởng", "Tổ phó", "Tổ viên"]


def lines(fields: Fields, name: str, path: str) -> list[str]:
    """A textarea, one item per line (blank lines skipped)."""
    fields.written(path, name)
    return [line.strip() for line in (fields.values.get(name) or "").splitlines() if line.strip()]


def _issued(header: dict) -> bool:
    return header.get("number") is not None


def _draft_date(fields: Fields, header: dict, path: str) -> dict:
    """A draft's date: the year is the campaign's, the month may be planned ('tháng 10 năm 2026');
    the day comes with the number when the document is issued."""
    fields.written(f"{path}.date", "thang")
    month = fields.whole("thang")
    if month is not None and not 1 <= month <= 12:
        fields.errors["thang"] = "tháng phải từ 1 đến 12"
        month = None
    date = {"year": header["date"]["year"]}
    if month:
        date["month"] = month
    return {**header, "date": date}


def signature(fields: Fields, path: str) -> dict:
    for key, name in SIGNATURE_FIELDS.items():
        fields.written(f"{path}.{key}", name)
    fields.written(path, "ky-ho-ten")
    value = {key: fields.text(name) for key, name in SIGNATURE_FIELDS.items()}
    value["authority"] = value["authority"] or ""
    return {k: v for k, v in value.items() if v is not None}


def recipients(fields: Fields, path: str) -> dict:
    """Nơi nhận, one per line, a trailing '(để b/c)' as the note; 'Lưu: VT, …' from the archive field."""
    items = []
    for line in lines(fields, "noi-nhan", f"{path}.items"):
        line = line.lstrip("-–• ").rstrip(";.")
        match = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", line)
        items.append({"name": match[1], "note": match[2]} if match else {"name": line})
    fields.written(f"{path}.archive", "luu")
    archive = [a.strip() for a in (fields.text("luu") or "").replace("VT,", "").split(",") if a.strip() and a.strip() != "VT"]
    return {"items": items, "archive": archive}


def _common(fields: Fields, document: dict, path: str) -> dict:
    document = dict(document)
    document["header"] = _draft_date(fields, document["header"], f"{path}.header")
    document["title"] = lines(fields, "trich-yeu", f"{path}.title")
    document["signature"] = signature(fields, f"{path}.signature")
    document["recipients"] = recipients(fields, f"{path}.recipients")
    return document


def _refuse_issued(fields: Fields, header: dict) -> None:
    if _issued(header):
        fields.errors[""] = "Văn bản đã ban hành (đã có số, ngày) nên không sửa được; bản đã ban hành được lưu nguyên."
        fields.check()


def apply_document(data: dict, campaign_id: str, kind: str, values: Mapping[str, str]) -> tuple[list[Change], Fields]:
    """A drafting document of ``campaign.documents``: trích yếu, thẩm quyền, Kính gửi, căn cứ, V/v,
    signer and Nơi nhận."""
    fields = Fields(values)
    old = data["documents"][kind]
    _refuse_issued(fields, old["header"])
    path = f"documents.{kind}"
    new = _common(fields, old, path)
    fields.written(f"{path}.authority", "tham-quyen")
    fields.written(f"{path}.subject", "vv")
    new["authority"] = fields.text("tham-quyen")
    new["subject"] = fields.text("vv")
    new["addressees"] = lines(fields, "kinh-gui", f"{path}.addressees")
    new["basis"] = lines(fields, "can-cu", f"{path}.basis")
    new = {k: v for k, v in new.items() if v not in (None, [])}
    data["documents"][kind] = new
    fields.finish(data)
    return [Change(f"{campaign_id}/van-ban/{kind}", old, new)], fields


def _task_rows(fields: Fields, path: str, existing: list[dict] = ()) -> list[dict]:
    """The task table from the form's rows ``nv-{n}-…``; a row keeps what the form does not show of the
    task it was (``produces``: the documents the task makes, which readiness checks use)."""
    numbers = fields.row_numbers("nv", "noi-dung")
    rows = []
    for n in numbers:
        name = f"nv-{n}"
        if fields.text(f"{name}-xoa"):
            continue
        content = [line.strip() for line in (fields.values.get(f"{name}-noi-dung") or "").splitlines() if line.strip()]
        row = {"content": content, "time": fields.text(f"{name}-thoi-gian"), "deadline": fields.date(f"{name}-han"),
               "lead": fields.text(f"{name}-chu-tri"), "coordinating": fields.text(f"{name}-phoi-hop")}
        if not any(row.values()):
            continue
        at = f"{path}[{len(rows)}]"
        for key, part in (("content", "noi-dung"), ("time", "thoi-gian"), ("deadline", "han"), ("lead", "chu-tri"),
                          ("coordinating", "phoi-hop")):
            fields.written(f"{at}.{key}", f"{name}-{part}")
        fields.written(at, f"{name}-noi-dung")
        if n < len(existing) and existing[n].get("produces"):
            row["produces"] = existing[n]["produces"]
        rows.append({k: v for k, v in row.items() if v not in (None, [])})
    return rows


def _text_blocks(fields: Fields, blocks: list[dict], path: str, prefix: str) -> None:
    """Each text block of the plan's sections (and subsections) from its textarea ``{prefix}-{i}``."""
    for index, block in enumerate(blocks):
        name = f"{prefix}-{index}"
        if block["type"] == "text" and name in fields.values:
            block["paragraphs"] = lines(fields, name, f"{path}[{index}].paragraphs")
        elif block["type"] == "subsection":
            _text_blocks(fields, block["blocks"], f"{path}[{index}].blocks", name)


def apply_plan(data: dict, campaign_id: str, values: Mapping[str, str]) -> tuple[list[Change], Fields]:
    """The Kế hoạch: draft date, trích yếu, opening, the text of every section, the task table, the
    classes (xếp loại), signer and Nơi nhận; the submission deadline follows the task table."""
    fields = Fields(values)
    old = data["plan"]
    _refuse_issued(fields, old["header"])
    plan = _common(fields, copy.deepcopy(old), "plan")
    plan["opening"] = lines(fields, "mo-dau", "plan.opening")
    for s_index, section in enumerate(plan["sections"]):
        _text_blocks(fields, section["blocks"], f"plan.sections[{s_index}].blocks", f"muc-{s_index}")
    if plan.get("tasks") and any(k.startswith("nv-") for k in values):
        plan["tasks"] = {**plan["tasks"], "items": _task_rows(fields, "plan.tasks.items", plan["tasks"]["items"])}
        fields.written("plan.tasks", "nv-0-noi-dung")
    changes = [Change(f"{campaign_id}/ke-hoach", old, plan)]
    data["plan"] = plan
    bands = _bands(fields)
    if bands is not None and data.get("classification"):
        old_bands = data["classification"]["bands"]
        data["classification"] = {**data["classification"], "bands": bands}
        changes.append(Change(f"{campaign_id}/xep-loai", old_bands, bands))
    deadline = fields.date("han-bao-cao")
    fields.written("reporting.deadline", "han-bao-cao")
    if data.get("reporting") is not None and "han-bao-cao" in values:
        old_deadline = data["reporting"].get("deadline")
        data["reporting"] = {**data["reporting"], "deadline": deadline} if deadline else \
            {k: v for k, v in data["reporting"].items() if k != "deadline"}
        changes.append(Change(f"{campaign_id}/han-bao-cao", old_deadline, deadline))
    fields.finish(data)
    return changes, fields


def _bands(fields: Fields) -> list[dict] | None:
    numbers = fields.row_numbers("xl", "ten", digits=2)
    if not numbers:
        return None
    bands = []
    for n in numbers:
        name, low = fields.text(f"xl-{n}-ten"), fields.points(f"xl-{n}-tu")
        if name is None and low is None:
            continue
        if name is None or low is None:
            fields.errors[f"xl-{n}-ten" if name is None else f"xl-{n}-tu"] = "loại cần đủ tên và mức điểm tối thiểu"
            continue
        fields.written(f"classification.bands[{len(bands)}]", f"xl-{n}-ten")
        bands.append({"name": name, "min": low})
    return bands


def _member_id(name: str, taken: set[str]) -> str:
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D")).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:56] or "thanh-vien"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def apply_council(data: dict, campaign_id: str, values: Mapping[str, str]) -> tuple[list[Change], Fields]:
    """The Hội đồng thẩm định and its Tổ Thư ký, one row per person (empty rows add members)."""
    fields = Fields(values)
    old = data.get("council", [])
    numbers = fields.row_numbers("tv", "ho-ten")
    members: list[dict] = []
    taken = {m["id"] for m in old}
    for n in numbers:
        name = f"tv-{n}"
        if fields.text(f"{name}-xoa"):
            continue
        row = {"name": fields.text(f"{name}-ho-ten"), "title": fields.text(f"{name}-chuc-vu"),
               "agency": fields.text(f"{name}-co-quan"), "role": fields.text(f"{name}-vai-tro"),
               "body": fields.text(f"{name}-to-chuc") or "council", "salutation": fields.text(f"{name}-danh-xung")}
        if not any((row["name"], row["title"])):
            continue
        member_id = fields.text(f"{name}-id") or _member_id(row["name"] or "", taken)
        taken.add(member_id)
        at = f"council[{len(members)}]"
        for key, part in (("name", "ho-ten"), ("title", "chuc-vu"), ("agency", "co-quan"), ("role", "vai-tro"),
                          ("body", "to-chuc"), ("salutation", "danh-xung"), ("id", "ho-ten")):
            fields.written(f"{at}.{key}", f"{name}-{part}")
        fields.written(at, f"{name}-ho-ten")
        members.append({"id": member_id, **{k: v for k, v in row.items()
                                            if v is not None and (k, v) != ("body", "council")}})   # the default
    fields.written("council", "")
    data["council"] = members
    fields.finish(data)
    return [Change(f"{campaign_id}/hoi-dong", old, members)], fields


#: "08:00", "8h30", "14 giờ 05": the hour and minute of a meeting as a clerk types them.
_TIME = re.compile(r"^\s*(\d{1,2})\s*(?::|h|giờ)\s*(\d{1,2})?\s*(?:phút)?\s*$", re.IGNORECASE)
MEETING_TITLE = "Họp Hội đồng thẩm định kết quả tự đánh giá, chấm điểm xác định Chỉ số cải cách hành chính năm {year}"


def _time(fields: Fields, name: str) -> tuple[int, int] | None:
    raw = fields.text(name)
    if raw is None:
        fields.errors[name] = "không được để trống (giờ:phút, ví dụ 08:00)"
        return None
    match = _TIME.match(raw)
    hour, minute = (int(match[1]), int(match[2] or 0)) if match else (99, 99)
    if hour > 23 or minute > 59:
        fields.errors[name] = f"giờ không hợp lệ: {raw!r} (giờ:phút, ví dụ 08:00)"
        return None
    return hour, minute


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def apply_meeting(data: dict, campaign_id: str, values: Mapping[str, str]) -> tuple[list[Change], Fields]:
    """The council's meeting as the Biên bản records it: day, start and end, place, chair, secretary,
    members present, disputes and conclusions. A new meeting is a draft in the council's register
    (its number comes when the minutes are issued); an existing one keeps its header and Nơi nhận."""
    fields = Fields(values)
    old = copy.deepcopy(data.get("meeting"))
    day = fields.date("ngay", required=True)
    start, end = _time(fields, "bat-dau"), _time(fields, "ket-thuc")
    members = {m["id"] for m in data.get("council", [])}
    present = [m["id"] for m in data.get("council", []) if fields.text(f"co-mat-{m['id']}")]
    meeting = dict(old or {})
    year = data["year"]
    if day is not None:
        when = day.split("-")
        if old is None:
            issuer = data.get("council_agency") or data["plan"]["header"]["issuer"]
            meeting["header"] = {"issuer": issuer, "date": {"year": int(when[0]), "month": int(when[1])}}
        elif meeting["header"].get("number") is None:
            meeting["header"] = {**meeting["header"], "date": {"year": int(when[0]), "month": int(when[1])}}
        if start is not None:
            meeting["start"] = f"{day}T{start[0]:02d}:{start[1]:02d}:00"
        if end is not None:
            meeting["end"] = f"{day}T{end[0]:02d}:{end[1]:02d}:00"
    meeting["title"] = fields.text("trich-yeu") or meeting.get("title") or MEETING_TITLE.format(year=year)
    meeting["place"] = fields.text("dia-diem")
    for key, name in (("chair", "chu-tri"), ("secretary", "thu-ky")):
        chosen = fields.text(name)
        if chosen is not None and chosen not in members:
            fields.errors[name] = "chọn một thành viên trong danh sách Hội đồng, Tổ Thư ký"
        meeting[key] = chosen
    meeting["present"] = present
    meeting["disputes"] = _lines(fields.text("y-kien"))
    meeting["conclusion"] = _lines(fields.text("ket-luan"))
    meeting.setdefault("recipients", {"items": [{"name": "Thành viên Hội đồng thẩm định"}, {"name": "Tổ Thư ký"}],
                                      "archive": [next((a["abbreviation"] for a in data["agencies"]
                                                        if a["id"] == data.get("council_agency")), "VP")]})
    for path, name in (("meeting.place", "dia-diem"), ("meeting.chair", "chu-tri"), ("meeting.secretary", "thu-ky"),
                       ("meeting.present", "co-mat"), ("meeting.disputes", "y-kien"), ("meeting.conclusion", "ket-luan"),
                       ("meeting.title", "trich-yeu"), ("meeting.start", "bat-dau"), ("meeting.end", "ket-thuc"),
                       ("meeting.header", "ngay"), ("meeting", "ngay")):
        fields.written(path, name)
    data["meeting"] = {k: v for k, v in meeting.items() if v is not None}
    fields.finish(data)
    return [Change(f"{campaign_id}/cuoc-hop", old, data["meeting"])], fields
