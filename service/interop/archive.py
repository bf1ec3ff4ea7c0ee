"""The year's archive package: one ZIP per campaign holding every issued document (the signed PDF, or
the issued one, and the DOCX), what the register knows of each (ND30 Phụ lục VI fields), the register,
the statuses receivers sent back, METS-style metadata with SHA-256 fixity, a manifest and a
``checksums.sha256`` any machine can check with ``sha256sum -c``. Reproducible byte for byte: members
in a fixed order, fixed times and permissions, JSON with sorted keys — the same data make the same
bytes. ``verify_archive`` checks a package read back. A writer: given the facts, no Flask.

The layout is ours (TT 05/2025/TT-BNV's package profile could not be read here): a folder per
document under ``van-ban/``, metadata at the top."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from service.safe_files import UnsafeFile, ZipLimits, check_zip

#: Every member's time: the ZIP format's earliest, so the bytes do not depend on when it was made.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
METS = "http://www.loc.gov/METS/"
DC = "http://purl.org/dc/elements/1.1/"
XLINK = "http://www.w3.org/1999/xlink"
LIMITS = ZipLimits(total=2048 * 1024 * 1024, ratio=1000, members=20000)


@dataclass(frozen=True)
class ArchivedDocument:
    folder: str                       # 'van-ban/001-125-KH-UBND-2026'
    facts: dict                       # number, date, kind, unit, status, register fields, signatures
    files: dict[str, bytes] = field(default_factory=dict)   # name in the folder → bytes


@dataclass(frozen=True)
class Package:
    campaign_id: str
    title: str
    province: str
    year: int
    documents: list[ArchivedDocument]
    register: list[list[str]]         # header row first
    statuses: list[dict]


def _json(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _mets(package: Package, files: dict[str, bytes]) -> bytes:
    """METS-style description: a Dublin Core record per document, every file with its SHA-256."""
    root = etree.Element(f"{{{METS}}}mets", nsmap={"mets": METS, "dc": DC, "xlink": XLINK},
                         OBJID=package.campaign_id, LABEL=package.title)
    for number, document in enumerate(package.documents, 1):
        dmd = etree.SubElement(root, f"{{{METS}}}dmdSec", ID=f"dmd{number:03d}")
        wrap = etree.SubElement(etree.SubElement(dmd, f"{{{METS}}}mdWrap", MDTYPE="DC"), f"{{{METS}}}xmlData")
        facts = document.facts
        for name, value in (("identifier", facts["so_ky_hieu"]), ("date", facts["ngay"]), ("title", facts.get("trich_yeu", "")),
                            ("type", facts.get("ten_loai", "")), ("creator", facts.get("co_quan", "")),
                            ("relation", facts.get("don_vi", ""))):
            etree.SubElement(wrap, f"{{{DC}}}{name}").text = str(value)
    section = etree.SubElement(etree.SubElement(root, f"{{{METS}}}fileSec"), f"{{{METS}}}fileGrp", USE="goc")
    for number, (path, data) in enumerate(sorted(files.items()), 1):
        node = etree.SubElement(section, f"{{{METS}}}file", ID=f"f{number:04d}", SIZE=str(len(data)),
                                CHECKSUM=hashlib.sha256(data).hexdigest(), CHECKSUMTYPE="SHA-256")
        etree.SubElement(node, f"{{{METS}}}FLocat", LOCTYPE="URL", **{f"{{{XLINK}}}href": path})
    structure = etree.SubElement(etree.SubElement(root, f"{{{METS}}}structMap"), f"{{{METS}}}div", LABEL=package.title)
    for number, document in enumerate(package.documents, 1):
        etree.SubElement(structure, f"{{{METS}}}div", LABEL=document.facts["so_ky_hieu"], DMDID=f"dmd{number:03d}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def build_archive(package: Package) -> bytes:
    """The ZIP of ``package``; the same package gives the same bytes."""
    base = package.campaign_id
    files: dict[str, bytes] = {}
    for document in package.documents:
        files[f"{document.folder}/thong-tin.json"] = _json(document.facts)
        for name, data in document.files.items():
            files[f"{document.folder}/{name}"] = data
    files["so-dang-ky.csv"] = _csv(package.register)
    files["trang-thai-lien-thong.json"] = _json(package.statuses)
    files["ho-so.xml"] = _mets(package, dict(files))
    manifest = {"goi": base, "ten": package.title, "tinh": package.province, "nam": package.year,
                "so_van_ban": len(package.documents), "phan_mem": "CCHC Docs",
                "tep": [{"duong_dan": path, "sha256": hashlib.sha256(data).hexdigest(), "byte": len(data)}
                        for path, data in sorted(files.items())]}
    files["manifest.json"] = _json(manifest)
    files["checksums.sha256"] = "".join(f"{hashlib.sha256(data).hexdigest()}  {path}\n"
                                        for path, data in sorted(files.items())).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path, data in sorted(files.items()):
            info = zipfile.ZipInfo(f"{base}/{path}", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, data, compresslevel=6)
    return out.getvalue()


@dataclass
class ArchiveCheck:
    """``problems``: what makes the package unfit (exit status 1); ``notes``: one line per PDF, what
    its signatures and format are."""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def verify_archive(data: bytes, trust_roots=()) -> list[str]:
    """What is wrong with a package read back (empty: every file is as its checksum and the manifest
    say, every signature intact, every PDF still PDF/A-2b)."""
    return check_archive(data, trust_roots).problems


def check_archive(data: bytes, trust_roots=()) -> ArchiveCheck:
    """``verify_archive`` with a note per PDF: its signatures (intact, trusted when ``trust_roots`` are
    given, PAdES level) and its PDF/A state — a file whose checksum was recomputed after a change still
    fails its signature."""
    check = ArchiveCheck()
    try:
        archive = check_zip(data, "gói lưu trữ", LIMITS)
    except UnsafeFile as error:
        check.problems.append(f"không mở được gói: {error}")
        return check
    names = archive.namelist()
    roots = {name.split("/", 1)[0] for name in names}
    if len(roots) != 1:
        check.problems.append("gói phải có đúng một thư mục gốc (mã chiến dịch)")
        return check
    base = roots.pop()
    try:
        sums = archive.read(f"{base}/checksums.sha256").decode("utf-8")
        manifest = json.loads(archive.read(f"{base}/manifest.json"))
    except (KeyError, ValueError):
        check.problems.append("gói thiếu checksums.sha256 hoặc manifest.json")
        return check
    problems, listed = check.problems, {}
    for line in sums.splitlines():
        digest, _, path = line.partition("  ")
        listed[path] = digest
    present = {name.removeprefix(f"{base}/") for name in names if not name.endswith("/")}
    for path in sorted(present - set(listed) - {"checksums.sha256"}):
        problems.append(f"{path}: có trong gói nhưng không có trong checksums.sha256")
    for path, digest in sorted(listed.items()):
        if path not in present:
            problems.append(f"{path}: ghi trong checksums.sha256 nhưng không có trong gói")
        elif hashlib.sha256(archive.read(f"{base}/{path}")).hexdigest() != digest:
            problems.append(f"{path}: SHA-256 không khớp (tệp đã bị sửa hoặc hỏng)")
    in_manifest = {entry["duong_dan"]: entry["sha256"] for entry in manifest.get("tep", [])}
    for path, digest in sorted(in_manifest.items()):
        if listed.get(path) != digest:
            problems.append(f"{path}: manifest.json và checksums.sha256 ghi khác nhau")
    for path in sorted(p for p in present if p.endswith(".pdf")):
        _check_pdf(path, archive.read(f"{base}/{path}"), trust_roots, check)
    return check


def _check_pdf(path: str, pdf: bytes, trust_roots, check: ArchiveCheck) -> None:
    from service.conformance.pdfa import pdfa_problems
    from service.signing.verify import UnreadablePdf, verify_pdf
    archival = pdfa_problems(pdf)
    if archival:
        check.problems.append(f"{path}: chưa đạt PDF/A-2b ({archival[0]})")
    try:
        report = verify_pdf(pdf, trust_roots)
    except UnreadablePdf as error:
        check.problems.append(f"{path}: {error}")
        return
    if not report.signatures:
        check.notes.append(f"{path}: không có chữ ký số; PDF/A-2b " + ("đạt" if not archival else "CHƯA đạt"))
        return
    broken = [s for s in report.signatures if not s.ok] + [t for t in report.timestamps if not t.intact]
    for signature in broken:
        check.problems.append(f"{path}: chữ ký ở ô '{signature.field}' không toàn vẹn (tệp bị sửa sau khi ký)")
    levels = sorted({s.level for s in report.signatures})
    trust = ("" if not trust_roots else
             ", tin cậy" if all(s.trusted for s in report.signatures) else ", CÓ chữ ký không tin cậy")
    check.notes.append(f"{path}: {len(report.signatures)} chữ ký "
                       + ("toàn vẹn" if not broken else "CÓ chữ ký hỏng") + trust
                       + f", PAdES {', '.join(levels)}; PDF/A-2b " + ("đạt" if not archival else "CHƯA đạt"))
