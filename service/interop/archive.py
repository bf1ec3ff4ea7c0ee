"""The year's archive package: one ZIP per campaign holding every issued document (the signed PDF, or
the issued one, and the DOCX), what the register knows of each (ND30 Phụ lục VI fields), the register,
the statuses receivers sent back, with SHA-256 fixity everywhere, a manifest and a ``checksums.sha256``
any machine can check with ``sha256sum -c``. Reproducible byte for byte: members in a fixed order, fixed
times and permissions, sorted JSON, dates taken from the documents — the same data make the same bytes.
``check_archive`` checks a package read back. A writer: given the facts, no Flask.

The layout is E-ARK's Common Specification for Information Packages (CSIP), the OAIS package that
TT 05/2025/TT-BNV's SIP/AIP/DIP terms come from: ``METS.xml`` at the root pointing at the descriptive
metadata (the hồ sơ with TT 05's fields, a Dublin Core record per document), the preservation metadata
(PREMIS: every file's fixity and format, the issue and signature events, the agents) and the
representation ``representations/rep1`` with its own ``METS.xml`` and the files under ``data/``."""
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
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
PREMIS = "http://www.loc.gov/premis/v3"
HOSO = "urn:cchc-docs:ho-so-luu-tru"
CSIP_PROFILE = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
LIMITS = ZipLimits(total=2048 * 1024 * 1024, ratio=1000, members=20000)
REPRESENTATION = "representations/rep1"
#: What we store, by extension: (MIME type, PRONOM identifier, format name).
FORMATS = {".pdf": ("application/pdf", "fmt/476", "PDF/A-2b"),
           ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "fmt/412",
                     "Microsoft Word for Windows 2007 onwards"),
           ".json": ("application/json", "fmt/817", "JSON"), ".csv": ("text/csv", "x-fmt/18", "CSV"),
           ".xml": ("application/xml", "fmt/101", "XML")}
UNKNOWN_FORMAT = ("application/octet-stream", "", "không rõ")


@dataclass(frozen=True)
class ArchivedDocument:
    folder: str                       # '001-125-KH-UBND-2026' (under the representation's data/)
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
    #: TT 05/2025's fields of the hồ sơ that the agency decides (thời hạn bảo quản, chế độ sử dụng …),
    #: written when given; the others come from the documents.
    record_fields: dict = field(default_factory=dict)


def _json(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _dates(package: Package) -> list[str]:
    return sorted(d.facts["ngay"] for d in package.documents) or [f"{package.year}-12-31"]


def record_of(package: Package) -> dict:
    """The hồ sơ's data as TT 05/2025 names them (dữ liệu của hồ sơ lưu trữ), from the documents."""
    dates = _dates(package)
    pages = sum(int(d.facts.get("so_trang") or 0) for d in package.documents)
    return {"ma_ho_so": package.campaign_id, "tieu_de_ho_so": package.title, "ngon_ngu": "Tiếng Việt",
            "thoi_gian_bat_dau": dates[0], "thoi_gian_ket_thuc": dates[-1],
            "tu_khoa": ["cải cách hành chính", "Chỉ số CCHC", str(package.year), package.province],
            "tong_so_tai_lieu": len(package.documents), "so_luong_trang": pages,
            "muc_do_tin_cay": "Gốc điện tử", "co_quan": package.province, **package.record_fields}


def _descriptive(package: Package) -> bytes:
    """The hồ sơ (TT 05's fields) and a Dublin Core record per document."""
    root = etree.Element(f"{{{HOSO}}}hoSo", nsmap={None: HOSO, "dc": DC})
    for name, value in record_of(package).items():
        for item in value if isinstance(value, list) else [value]:
            etree.SubElement(root, f"{{{HOSO}}}{name}").text = str(item)
    for document in package.documents:
        facts = document.facts
        node = etree.SubElement(root, f"{{{HOSO}}}taiLieu", thuMuc=document.folder)
        for name, value in (("identifier", facts["so_ky_hieu"]), ("date", facts["ngay"]), ("title", facts.get("trich_yeu", "")),
                            ("type", facts.get("ten_loai", "")), ("creator", facts.get("co_quan", "")),
                            ("contributor", facts.get("nguoi_ky", "")), ("relation", facts.get("don_vi", "")),
                            ("language", "vi")):
            etree.SubElement(node, f"{{{DC}}}{name}").text = str(value or "")
    return _xml(root)


def _premis(package: Package, data_files: dict[str, bytes]) -> bytes:
    """PREMIS 3: every file of the representation (fixity, size, format), the issue and signature events
    of each document, the agents (the issuing bodies, the software)."""
    root = etree.Element(f"{{{PREMIS}}}premis", nsmap={"premis": PREMIS}, version="3.0")

    def identifier(parent, tag: str, value: str, kind: str = "local") -> None:
        node = etree.SubElement(parent, f"{{{PREMIS}}}{tag}")
        etree.SubElement(node, f"{{{PREMIS}}}{tag}Type").text = kind
        etree.SubElement(node, f"{{{PREMIS}}}{tag}Value").text = value
    for path, data in sorted(data_files.items()):
        obj = etree.SubElement(root, f"{{{PREMIS}}}object", nsmap={"xsi": "http://www.w3.org/2001/XMLSchema-instance"})
        obj.set("{http://www.w3.org/2001/XMLSchema-instance}type", "premis:file")
        identifier(obj, "objectIdentifier", path)
        traits = etree.SubElement(obj, f"{{{PREMIS}}}objectCharacteristics")
        fixity = etree.SubElement(traits, f"{{{PREMIS}}}fixity")
        etree.SubElement(fixity, f"{{{PREMIS}}}messageDigestAlgorithm").text = "SHA-256"
        etree.SubElement(fixity, f"{{{PREMIS}}}messageDigest").text = _sha(data)
        etree.SubElement(traits, f"{{{PREMIS}}}size").text = str(len(data))
        _, pronom, name = _format(path)
        form = etree.SubElement(traits, f"{{{PREMIS}}}format")
        etree.SubElement(etree.SubElement(form, f"{{{PREMIS}}}formatDesignation"), f"{{{PREMIS}}}formatName").text = name
        if pronom:
            registry = etree.SubElement(form, f"{{{PREMIS}}}formatRegistry")
            etree.SubElement(registry, f"{{{PREMIS}}}formatRegistryName").text = "PRONOM"
            etree.SubElement(registry, f"{{{PREMIS}}}formatRegistryKey").text = pronom
    agents: dict[str, str] = {"CCHC Docs": "software"}
    for number, document in enumerate(package.documents, 1):
        facts = document.facts
        happenings = [("creation", facts["ngay"], f"Ban hành văn bản {facts['so_ky_hieu']}", facts.get("co_quan") or "")]
        signed = facts.get("ky_so") or {}
        if signed.get("da_ky"):
            happenings.append(("digital signature generation", signed.get("luc") or facts["ngay"],
                               f"Ký số văn bản {facts['so_ky_hieu']}", facts.get("nguoi_ky") or facts.get("co_quan") or ""))
        for index, (kind, when, detail, agent) in enumerate(happenings, 1):
            event = etree.SubElement(root, f"{{{PREMIS}}}event")
            identifier(event, "eventIdentifier", f"su-kien-{number:03d}-{index}")
            etree.SubElement(event, f"{{{PREMIS}}}eventType").text = kind
            etree.SubElement(event, f"{{{PREMIS}}}eventDateTime").text = when
            etree.SubElement(etree.SubElement(event, f"{{{PREMIS}}}eventDetailInformation"),
                             f"{{{PREMIS}}}eventDetail").text = detail
            if agent:
                agents.setdefault(agent, "organization" if kind == "creation" else "person")
                identifier(event, "linkingAgentIdentifier", agent)
            for path in sorted(p for p in data_files if p.startswith(f"data/{document.folder}/")):
                identifier(event, "linkingObjectIdentifier", path)
    for name, kind in sorted(agents.items()):
        agent = etree.SubElement(root, f"{{{PREMIS}}}agent")
        identifier(agent, "agentIdentifier", name)
        etree.SubElement(agent, f"{{{PREMIS}}}agentName").text = name
        etree.SubElement(agent, f"{{{PREMIS}}}agentType").text = kind
    return _xml(root)


def _mets_root(objid: str, label: str, created: str, kind: str):
    root = etree.Element(f"{{{METS}}}mets", nsmap={"mets": METS, "xlink": XLINK, "csip": CSIP},
                         OBJID=objid, LABEL=label, TYPE="Mixed", PROFILE=CSIP_PROFILE)
    root.set(f"{{{CSIP}}}CONTENTINFORMATIONTYPE", "MIXED")
    root.set(f"{{{CSIP}}}OAISPACKAGETYPE", kind)
    header = etree.SubElement(root, f"{{{METS}}}metsHdr", CREATEDATE=f"{created}T00:00:00+07:00")
    agent = etree.SubElement(header, f"{{{METS}}}agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    etree.SubElement(agent, f"{{{METS}}}name").text = "CCHC Docs"
    return root


def _file(parent, identifier: str, path: str, data: bytes, mime: str):
    node = etree.SubElement(parent, f"{{{METS}}}file", ID=identifier, MIMETYPE=mime, SIZE=str(len(data)),
                            CREATED="1980-01-01T00:00:00", CHECKSUM=_sha(data), CHECKSUMTYPE="SHA-256")
    etree.SubElement(node, f"{{{METS}}}FLocat", LOCTYPE="URL", **{f"{{{XLINK}}}type": "simple", f"{{{XLINK}}}href": path})
    return node


def _md_ref(parent, identifier: str, path: str, data: bytes, kind: str):
    """A metadata file referred to from the root METS (CSIP: mdRef with its type and checksum)."""
    return etree.SubElement(parent, f"{{{METS}}}mdRef", ID=identifier, LOCTYPE="URL", MDTYPE=kind, MIMETYPE="application/xml",
                            SIZE=str(len(data)), CHECKSUM=_sha(data), CHECKSUMTYPE="SHA-256",
                            **{f"{{{XLINK}}}type": "simple", f"{{{XLINK}}}href": path})


def _format(path: str) -> tuple[str, str, str]:
    return FORMATS.get(path[path.rfind("."):], UNKNOWN_FORMAT)


def _mime(path: str) -> str:
    return _format(path)[0]


def _representation_mets(package: Package, data_files: dict[str, bytes]) -> bytes:
    """The representation's METS: every data file with its SHA-256, a division per document."""
    root = _mets_root(f"{package.campaign_id}-rep1", package.title, _dates(package)[-1], "AIP")
    group = etree.SubElement(etree.SubElement(root, f"{{{METS}}}fileSec"), f"{{{METS}}}fileGrp", USE="Data")
    ids = {}
    for number, (path, data) in enumerate(sorted(data_files.items()), 1):
        ids[path] = f"f{number:04d}"
        _file(group, ids[path], path, data, _mime(path))
    top = etree.SubElement(etree.SubElement(root, f"{{{METS}}}structMap", TYPE="PHYSICAL", LABEL="CSIP"),
                           f"{{{METS}}}div", LABEL="rep1")
    data_div = etree.SubElement(top, f"{{{METS}}}div", LABEL="Data")
    for document in package.documents:
        div = etree.SubElement(data_div, f"{{{METS}}}div", LABEL=document.facts["so_ky_hieu"])
        for path in sorted(p for p in data_files if p.startswith(f"data/{document.folder}/")):
            etree.SubElement(div, f"{{{METS}}}fptr", FILEID=ids[path])
    return _xml(root)


def _package_mets(package: Package, files: dict[str, bytes]) -> bytes:
    """The root METS (CSIP): descriptive and preservation metadata by reference, the other metadata,
    the representation's METS, each with its SHA-256; the CSIP structure map."""
    created = _dates(package)[-1]
    root = _mets_root(package.campaign_id, package.title, created, "AIP")
    descriptive = "metadata/descriptive/ho-so.xml"
    preservation = "metadata/preservation/premis.xml"
    dmd = etree.SubElement(root, f"{{{METS}}}dmdSec", ID="dmd-ho-so", CREATED=f"{created}T00:00:00")
    _md_ref(dmd, "ref-ho-so", descriptive, files[descriptive], "DC")
    amd = etree.SubElement(root, f"{{{METS}}}amdSec")
    digiprov = etree.SubElement(amd, f"{{{METS}}}digiprovMD", ID="premis", CREATED=f"{created}T00:00:00")
    _md_ref(digiprov, "ref-premis", preservation, files[preservation], "PREMIS")
    section = etree.SubElement(root, f"{{{METS}}}fileSec")
    other = etree.SubElement(section, f"{{{METS}}}fileGrp", USE="Metadata/Other")
    others = sorted(p for p in files if p.startswith("metadata/other/"))
    for number, path in enumerate(others, 1):
        _file(other, f"m{number:03d}", path, files[path], _mime(path))
    representation = etree.SubElement(section, f"{{{METS}}}fileGrp", USE="Representations/rep1")
    _file(representation, "rep1-mets", f"{REPRESENTATION}/METS.xml", files[f"{REPRESENTATION}/METS.xml"], "application/xml")
    top = etree.SubElement(etree.SubElement(root, f"{{{METS}}}structMap", TYPE="PHYSICAL", LABEL="CSIP"),
                           f"{{{METS}}}div", LABEL=package.campaign_id)
    metadata = etree.SubElement(top, f"{{{METS}}}div", LABEL="Metadata", DMDID="dmd-ho-so", ADMID="premis")
    for number in range(1, len(others) + 1):
        etree.SubElement(metadata, f"{{{METS}}}fptr", FILEID=f"m{number:03d}")
    rep = etree.SubElement(top, f"{{{METS}}}div", LABEL="Representations/rep1")
    etree.SubElement(rep, f"{{{METS}}}mptr", LOCTYPE="URL", **{f"{{{XLINK}}}type": "simple",
                                                               f"{{{XLINK}}}href": f"{REPRESENTATION}/METS.xml",
                                                               f"{{{XLINK}}}title": "rep1-mets"})
    return _xml(root)


def build_archive(package: Package) -> bytes:
    """The ZIP of ``package``; the same package gives the same bytes."""
    base = package.campaign_id
    data_files: dict[str, bytes] = {}
    for document in package.documents:
        data_files[f"data/{document.folder}/thong-tin.json"] = _json(document.facts)
        for name, data in document.files.items():
            data_files[f"data/{document.folder}/{name}"] = data
    files = {f"{REPRESENTATION}/{path}": data for path, data in data_files.items()}
    files[f"{REPRESENTATION}/METS.xml"] = _representation_mets(package, data_files)
    files["metadata/other/so-dang-ky.csv"] = _csv(package.register)
    files["metadata/other/trang-thai-lien-thong.json"] = _json(package.statuses)
    files["metadata/descriptive/ho-so.xml"] = _descriptive(package)
    files["metadata/preservation/premis.xml"] = _premis(package, data_files)
    files["METS.xml"] = _package_mets(package, files)
    manifest = {"goi": base, "ten": package.title, "tinh": package.province, "nam": package.year,
                "so_van_ban": len(package.documents), "phan_mem": "CCHC Docs", "ho_so": record_of(package),
                "cau_truc": "E-ARK CSIP (METS.xml, metadata/, representations/rep1/)",
                "tep": [{"duong_dan": path, "sha256": _sha(data), "byte": len(data)} for path, data in sorted(files.items())]}
    files["manifest.json"] = _json(manifest)
    files["checksums.sha256"] = "".join(f"{_sha(data)}  {path}\n" for path, data in sorted(files.items())).encode("utf-8")
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
