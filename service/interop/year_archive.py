"""A campaign's archive package assembled from the workspace's database: every issued version (in
force or not: a voided or replaced version stays, with its status), the register of the campaign's
numbers, the statuses receivers sent back. Flask-free: the page and ``cchc export-archive`` call it."""
from __future__ import annotations

import hashlib
import io
import json

from sqlalchemy import Engine

from data_models import Campaign
from service.documents import KINDS
from service.domain.issuers import issuer_of
from service.store.edoc import statuses_of
from service.store.issuing import issued_version, issued_versions
from service.store.register import register_entries
from service.store.signatures import final_pdf

from .archive import ArchivedDocument, Package
from .edxml import ascii_name

STATES = {"hieu-luc": "đang có hiệu lực", "da-huy": "số đã hủy", "thu-hoi": "đã thu hồi", "bi-thay-the": "đã bị thay thế",
          "da-dinh-chinh": "đã có văn bản đính chính"}


def _pages(pdf: bytes | None) -> int:
    if not pdf:
        return 0
    import pikepdf
    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            return len(document.pages)
    except pikepdf.PdfError:
        return 0


def campaign_package(engine: Engine, campaign: Campaign, organisation_id: str, record_fields: dict | None = None) -> Package:
    """``record_fields``: the hồ sơ's fields the agency decides (thời hạn bảo quản, chế độ sử dụng)."""
    documents, statuses = [], []
    versions = sorted(issued_versions(engine, campaign.id), key=lambda v: (v.issued_on, v.id))
    for number, version in enumerate(versions, 1):
        code = version.number_line.removeprefix("Số:").strip()
        folder = f"{number:03d}-{ascii_name(code + '-' + str(version.issued_on.year), '')}"
        pdf = final_pdf(version) or issued_version(engine, version.id).pdf
        try:
            issuer = campaign.agency(issuer_of(campaign, version.kind, version.unit_key or None)).name
        except (KeyError, TypeError):
            issuer = ""
        facts = {"so_ky_hieu": code, "ngay": version.issued_on.isoformat(), "loai": version.kind,
                 "ten_van_ban": KINDS[version.kind].label if version.kind in KINDS else version.kind,
                 "don_vi": version.unit_key, "co_quan": issuer, "hieu_luc": STATES.get(version.status, version.status),
                 "pdf_sha256": hashlib.sha256(pdf).hexdigest() if pdf else "", "so_trang": _pages(pdf),
                 "ky_so": {"da_ky": bool(version.signed_pdf), "nguoi_tai_len": version.signed_by or "",
                           "luc": version.signed_at.isoformat() if version.signed_at else ""},
                 **(json.loads(version.register_fields) if version.register_fields else {})}
        files = {"ban-chinh-thuc.docx": version.docx}
        if pdf:
            files["ban-chinh-thuc.pdf" if not version.signed_pdf else "ban-chinh-thuc-da-ky.pdf"] = pdf
        documents.append(ArchivedDocument(folder, facts, files))
        statuses += [{"van_ban": code, "noi_nhan": s.from_name, "ma_dinh_danh": s.from_code, "trang_thai": s.status_code,
                      "luc": s.said_at.isoformat(), "ghi_chu": s.description} for s in statuses_of(engine, version.id)]
    register = [["Cơ quan", "Số, ký hiệu", "Ngày", "Loại văn bản", "Đơn vị", "Tình trạng", "Lý do hủy"]]
    years = sorted({v.issued_on.year for v in versions}) or [campaign.year]
    for year in years:
        for entry in register_entries(engine, year, organisation_id):
            if entry.campaign_id == campaign.id:
                register.append([entry.agency, f"{entry.number:02d}/{entry.symbol}", entry.issued_on.isoformat(), entry.kind,
                                 entry.unit_id or "", "đã hủy" if entry.status == "voided" else "đã cấp", entry.void_reason or ""])
    return Package(campaign.id, campaign.name, campaign.province, campaign.year, documents, register, statuses,
                   record_fields={k: v for k, v in (record_fields or {}).items() if v})
