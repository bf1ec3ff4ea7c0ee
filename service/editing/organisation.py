"""Units and their accounts from a province's list (a province has 100+ xã since the 2025 reform):
each row adds or updates a unit, the agency entry its documents are issued under, and its signer."""
from __future__ import annotations

import re

from service.store.campaigns import Change

UBND = "Ủy ban nhân dân "


def _header_lines(name: str) -> list[str]:
    """Ô 2 of the unit's own documents: 'ỦY BAN NHÂN DÂN' / 'XÃ GIA VIỄN' for a People's Committee,
    the name in capitals otherwise."""
    if name.startswith(UBND):
        return ["ỦY BAN NHÂN DÂN", name[len(UBND):].upper()]
    return [name.upper()]


def _parent(data: dict) -> str | None:
    """The province's People's Committee (the plan's issuer) is the parent of its sở."""
    return data.get("plan", {}).get("header", {}).get("issuer")


def _current_signature(data: dict, unit_id: str) -> dict | None:
    return next((u.get("signature") for g in data.get("groups", []) for u in g.get("units", []) if u["id"] == unit_id), None)


def _signature(row: dict, is_ubnd: bool, current: dict | None) -> dict:
    """The signature block a sheet row describes: its authority columns when filled; when blank (an
    older sheet), the unit's own authority is kept rather than silently dropped (walk U3)."""
    from service.excel import AUTHORITY_HEADING, PRINCIPAL_HEADING, authority_of
    signature = {"title": row["Chức vụ người ký"], "name": row["Họ tên người ký"]}
    authority = authority_of(row.get(AUTHORITY_HEADING))
    if not authority and current and current.get("authority"):
        kept = {k: current[k] for k in ("authority", "collective", "principal", "deputy_of") if current.get(k)}
        return {**kept, **signature}
    if authority == "TM" or (not authority and is_ubnd):
        return {"authority": "TM", "collective": "Ủy ban nhân dân" if is_ubnd else row["Tên đơn vị"], **signature}
    if authority:
        return {"authority": authority, "principal": row.get(PRINCIPAL_HEADING), **signature}
    return signature


def merge_units(data: dict, rows: list[dict], campaign_id: str) -> tuple[list[Change], list[str]]:
    """Add or update units from ``excel.read_units`` rows; returns the changes and the problems
    (row named) of rows that cannot be used — when there are problems nothing should be saved."""
    problems: list[str] = []
    changes: list[Change] = []
    groups = {g["id"]: g for g in data.get("groups", [])}
    agencies = {a["id"]: a for a in data.setdefault("agencies", [])}
    seen: set[str] = set()
    for row in rows:
        where, unit_id, name = row["row"], row["Mã đơn vị"], row["Tên đơn vị"]
        group = groups.get(row["Mã nhóm"])
        if group is None:
            problems.append(f"{where}: không có nhóm {row['Mã nhóm']!r} (các nhóm: {', '.join(groups)})")
            continue
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", unit_id):
            problems.append(f"{where}: mã đơn vị {unit_id!r} chỉ dùng chữ thường không dấu, chữ số và '-' (ví dụ 'xa-gia-vien')")
            continue
        if unit_id in seen:
            problems.append(f"{where}: mã đơn vị {unit_id!r} có hai lần trong bảng")
            continue
        seen.add(unit_id)
        is_ubnd = name.startswith(UBND)
        signature = _signature(row, is_ubnd, _current_signature(data, unit_id))
        agency = {"id": unit_id, "name": name, "header_lines": _header_lines(name), "abbreviation": row["Chữ viết tắt"],
                  "place": row["Địa danh"]}
        if not is_ubnd and _parent(data):
            agency["parent"] = _parent(data)
        if unit_id in agencies and agencies[unit_id] != agency:
            changes.append(Change(f"{campaign_id}/co-quan/{unit_id}", agencies[unit_id], agency))
            agencies[unit_id].clear()
            agencies[unit_id].update(agency)
        elif unit_id not in agencies:
            data["agencies"].append(agency)
            agencies[unit_id] = agency
            changes.append(Change(f"{campaign_id}/co-quan/{unit_id}", None, agency))
        unit = {"id": unit_id, "name": name, "agency": unit_id, "signature": signature}
        current = next(((g, u) for g in data["groups"] for u in g.get("units", []) if u["id"] == unit_id), None)
        if current is None:
            group.setdefault("units", []).append(unit)
            changes.append(Change(f"{campaign_id}/don-vi/{unit_id}", None, unit))
        elif current[0] is not group:
            problems.append(f"{where}: đơn vị {unit_id!r} đang thuộc nhóm {current[0]['id']!r}; không chuyển nhóm bằng bảng nhập")
        elif {k: current[1].get(k) for k in unit} != unit:
            old = dict(current[1])
            current[1].update(unit)
            changes.append(Change(f"{campaign_id}/don-vi/{unit_id}", old, current[1]))
    return changes, problems



#: The column of the units sheet each field of an agency or a unit comes from.
_UNIT_COLUMNS = {"abbreviation": "Chữ viết tắt", "name": "Tên đơn vị", "header_lines": "Tên đơn vị", "place": "Địa danh",
                 "signature.title": "Chức vụ người ký", "signature.name": "Họ tên người ký",
                 "signature": "Họ tên người ký"}
_AGENCY_PATH = re.compile(r"agencies\[(\d+)\]\.?([\w.]*)")
_UNIT_PATH = re.compile(r"groups\[(\d+)\]\.units\[(\d+)\]\.?([\w.]*)")


def _row_of(data: dict, by_unit: dict, path: str) -> tuple[dict | None, str]:
    """(the sheet row an agency or unit of the campaign came from, the field) for a problem's path."""
    if found := _AGENCY_PATH.match(path):
        agencies = data.get("agencies", [])
        index = int(found.group(1))
        return (by_unit.get(agencies[index]["id"]) if index < len(agencies) else None), found.group(2)
    if found := _UNIT_PATH.match(path):
        groups = data.get("groups", [])
        group, index = int(found.group(1)), int(found.group(2))
        units = groups[group].get("units", []) if group < len(groups) else []
        return (by_unit.get(units[index]["id"]) if index < len(units) else None), found.group(3)
    return None, ""


def unit_problem_cells(data: dict, rows: list[dict], problems: list) -> list[str]:
    """The campaign's refusal of an imported units sheet said by cell ('Danh sách!D53: …') instead of
    by the campaign's field path ('agencies[51].abbreviation: …', walk finding 23); a problem no row
    caused keeps its words without the path."""
    by_unit = {row["Mã đơn vị"]: row for row in rows}
    out = []
    for problem in problems:
        row, field = _row_of(data, by_unit, getattr(problem, "path", ""))
        message = getattr(problem, "message", str(problem))
        if row is None or "cells" not in row:
            out.append(message)
            continue
        out.append(f"{row['cells'][_UNIT_COLUMNS.get(field, 'Mã đơn vị')]}: {message}")
    return out
