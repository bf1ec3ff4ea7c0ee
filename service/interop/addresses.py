"""Who a document goes to on the document exchange axis: its Kính gửi and Nơi nhận read as agencies
with a mã định danh điện tử (QĐ 20/2020/QĐ-TTg), from the campaign's ``edoc_codes`` (names as written,
agencies and units by their own names), a group line ('Các sở, ban, ngành', 'UBND các xã, phường')
expanded to its units. A line that names a person, an internal department or the archive is not
sent through the axis: it is listed apart, with why."""
from __future__ import annotations

import re
from dataclasses import dataclass

from data_models import Campaign

#: Abbreviations of Nơi nhận lines, as the names are written in full.
_ABBREVIATIONS = {"ubnd": "ủy ban nhân dân", "hđnd": "hội đồng nhân dân", "tt": "thường trực", "cchc": "cải cách hành chính"}
#: Lines that are never an agency of the axis.
_NOT_SENT = ("như trên", "như điều", "lưu:", "lưu ", "giám đốc", "lãnh đạo", "chủ tịch", "thành viên", "tổ thư ký",
             "vpub:", "cổng thông tin")


@dataclass(frozen=True)
class Address:
    code: str
    name: str


def normal(text: str) -> str:
    """A name as matched: lower case, abbreviations written out, no note in brackets, no list marks."""
    text = re.sub(r"\([^)]*\)", " ", text).strip().strip("-;.:, ").casefold()
    words = [_ABBREVIATIONS.get(word, word) for word in text.replace(",", " , ").split()]
    return " ".join(words).replace(" , ", ", ").strip()


def _directory(campaign: Campaign) -> dict[str, Address]:
    """normalised name → address, for every name that has a code."""
    codes = {normal(name): code for name, code in campaign.edoc_codes.items()}
    out = {}
    for name, code in campaign.edoc_codes.items():
        out[normal(name)] = Address(code, name)
    for agency in campaign.agencies:
        key = normal(agency.name)
        if key in codes:
            out[key] = Address(codes[key], agency.name)
    for unit in campaign.units():
        key = normal(unit.name)
        if key in codes:
            out[key] = Address(codes[key], unit.name)
    return out


def resolve(campaign: Campaign, line: str) -> tuple[list[Address], str | None]:
    """(addresses, why not) of one Kính gửi or Nơi nhận line."""
    key = normal(line)
    if not key or key.startswith(_NOT_SENT):
        return [], "nơi nhận nội bộ, cá nhân hoặc lưu trữ: không gửi qua trục liên thông"
    directory = _directory(campaign)
    province = normal(campaign.province)
    if key in directory:
        return [directory[key]], None
    if f"{key} tỉnh {province}" in directory:
        return [directory[f"{key} tỉnh {province}"]], None
    if key.endswith(" tỉnh") and f"{key} {province}" in directory:
        return [directory[f"{key} {province}"]], None
    group = next((g for g in campaign.groups if normal(g.name) in key), None)
    if group is not None or key in ("các cơ quan, đơn vị được đánh giá", "các đơn vị được đánh giá"):
        units = group.units if group is not None else campaign.units()
        found = [directory[normal(u.name)] for u in units if normal(u.name) in directory]
        missing = [u.name for u in units if normal(u.name) not in directory]
        return found, (f"chưa có mã định danh của {len(missing)} đơn vị: {', '.join(missing[:5])}"
                       + (" …" if len(missing) > 5 else "") if missing else None)
    starting = [address for name, address in directory.items() if name.startswith(key + " ")]
    if len(starting) == 1:
        return starting, None
    return [], "chưa có mã định danh điện tử (thêm vào 'edoc_codes' của chiến dịch)"


def addresses(campaign: Campaign, lines: list[str]) -> tuple[list[Address], list[tuple[str, str]]]:
    """(the agencies the document goes to, each once, in order; [(line, why it is not sent)])."""
    found, apart = [], []
    for line in lines:
        text = line.removeprefix("Kính gửi:").strip()
        if not text:
            continue
        matched, why = resolve(campaign, text)
        for address in matched:
            if address.code not in {a.code for a in found}:
                found.append(address)
        if why:
            apart.append((text.strip("-;. "), why))
    return found, apart
