"""Legal drafting rules, checked on a composed document with the campaign's facts beside it.

Decree 30's layout rules are checked on the DOCX (``nd30.py``); these are the rules a văn thư and a
legal drafter apply to what the document *says*: who issues and who signs, whom it addresses, what
it cites and in which order, how it writes numbers and quotes. A finding never stops a draft from
rendering; it is shown beside the preview and, through ``issue_blockers``, blocks issuing.
Each rule has a short name (shown with its message) and a test that breaks it on purpose.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from data_models import Campaign
from service.documents import KINDS
from service.documents.body import Document, Paragraph
from service.domain.calendar import date_problems, header_of, possible_days
from service.domain.issuers import UNIT_LETTERS, draft_letter_header
from service.domain.scoring import compute_unit, weakest_fields
from service.domain.survey import forms_against_plan
from service.domain.readiness import NOT_ISSUED, blocking_reasons
from service.vietnamese import format_number
from service.vietnamese.symbols import document_symbol

from .nd30 import Violation, fold as _fold


class Finding(Violation):
    """One broken drafting rule: its name and what to change, in Vietnamese (printed message first,
    as a reason a document cannot be issued)."""

    def __str__(self) -> str:
        return f"{self.message} [{self.rule}]"


@dataclass(frozen=True)
class Known:
    """A document the campaign knows by number: one of its own, or a reference of the plan."""
    label: str
    number: int
    symbol: str
    date: dt.date | None
    kind: str | None = None


#: A Tờ trình proposes the document of this kind; it must not cite it as already issued.
PROPOSES = {"to-trinh-ke-hoach": "ke-hoach", "to-trinh-hoi-dong": "quyet-dinh-hoi-dong",
            "to-trinh-ket-qua": "quyet-dinh-cong-bo"}
_LABELS = {"ke-hoach": "Kế hoạch", "quyet-dinh-hoi-dong": "Quyết định thành lập Hội đồng thẩm định",
           "quyet-dinh-cong-bo": "Quyết định phê duyệt, công bố kết quả"}

CITATION = re.compile(r"[Ss]ố\s+0*(\d+)\s*/\s*([A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*)")
DOT_DECIMAL = re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.])\s*(?:điểm|%)")
DIEU_LABEL = re.compile(r"^Điều \d+\. $")
DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
DATE_SLASHES = re.compile(r"ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})")
#: Legal force of what a căn cứ cites (Luật Ban hành văn bản quy phạm pháp luật, Điều 4), highest first.
_FORCE = ((re.compile(r"^căn cứ hiến pháp"), 0, "Hiến pháp"),
          (re.compile(r"^căn cứ (bộ )?luật|^căn cứ nghị quyết số \S+/\S*qh"), 1, "luật, nghị quyết của Quốc hội"),
          (re.compile(r"^căn cứ pháp lệnh|^căn cứ nghị quyết số \S+/\S*ubtvqh"), 2, "pháp lệnh"),
          (re.compile(r"^căn cứ nghị định|^căn cứ nghị quyết số \S+/nq-cp"), 3, "nghị định"),
          (re.compile(r"^căn cứ quyết định số \S+/qđ-ttg"), 4, "quyết định của Thủ tướng Chính phủ"),
          (re.compile(r"^căn cứ thông tư"), 5, "thông tư"))
LOCAL = 6


# ---------------------------------------------------------------------------- the document's text
def fold(text: str) -> str:
    """As Decree 30's checker folds text, and lower case: names compare as a reader compares them."""
    return _fold(text).lower()


def _paragraphs(document: Document) -> Iterator[Paragraph]:
    for blocks in (document.body, *(annex.blocks for annex in document.annexes)):
        for block in blocks:
            if block.kind == "paragraph":
                yield block
            elif block.kind == "table":
                for row in block.rows:
                    for cell in row:
                        yield from cell


def _texts(document: Document) -> Iterator[str]:
    """What the document says, without the annexes' '(Kèm theo Quyết định số …)' lines, which name
    the document itself by design."""
    references = {" ".join(annex.reference.split()) for annex in document.annexes}
    yield from (line for line in document.text_lines() if line not in references)


def _basis(document: Document) -> list[str]:
    """The căn cứ and 'Theo đề nghị' lines: the body's italic paragraphs before its first non-italic one."""
    lines = []
    for block in document.body:
        if block.kind != "paragraph" or not block.runs or not all(run.italic for run in block.runs if run.text.strip()):
            break
        lines.append(block.text)
    return lines


def _date_in(text: str) -> dt.date | None:
    match = DATE_WORDS.search(text) or DATE_SLASHES.search(text)
    if not match:
        return None
    try:
        return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


# ---------------------------------------------------------------------------- the campaign's facts
def known_documents(campaign: Campaign) -> list[Known]:
    """Every document of the campaign that has a number, and the plan's references."""
    out = [Known(f"{ref.symbol.split('-')[0]} số {ref.number}/{ref.symbol}", ref.number, ref.symbol, ref.date)
           for ref in campaign.plan.references]
    for kind, type_key in ((k.key, k.document_type) for k in KINDS.values() if k.document_type and not k.per_unit):
        header = header_of(campaign, kind)
        if header is None or header.number is None:
            continue
        try:
            symbol = document_symbol(type_key, campaign.agency(header.issuer).abbreviation, *header.symbol_units)
        except (KeyError, ValueError):
            continue
        day = possible_days(header.date)[0] if header.date.complete else None
        out.append(Known(f"{_LABELS.get(kind, kind)} số {header.number}/{symbol}", header.number, symbol, day, kind))
    return out


# ---------------------------------------------------------------------------- the rules
def _authority(document: Document, campaign: Campaign, kind: str) -> list[Finding]:
    """D1: an act of the Chủ tịch is signed CHỦ TỊCH or KT. CHỦ TỊCH; an act of the collective TM."""
    authority = fold(document.frame.authority_line or "")
    signature = [fold(line) for line in document.frame.signature_lines if line.strip()]
    if not authority or not signature:
        return []
    collective_signature = signature[0].startswith("tm.")
    if authority.startswith("chủ tịch") and collective_signature:
        return [Finding("tham-quyen-ky", f"văn bản ban hành theo thẩm quyền cá nhân «{document.frame.authority_line}» "
                        f"nhưng ký thay mặt tập thể «{document.frame.signature_lines[0]}»: ký «CHỦ TỊCH» hoặc "
                        "«KT. CHỦ TỊCH / PHÓ CHỦ TỊCH», hoặc ghi thẩm quyền là tập thể «ỦY BAN NHÂN DÂN …»")]
    if not authority.startswith("chủ tịch") and not collective_signature:
        return [Finding("tham-quyen-ky", f"văn bản ban hành theo thẩm quyền tập thể «{document.frame.authority_line}» "
                        f"nhưng không ký «TM. …» (đang ký «{document.frame.signature_lines[0]}»)")]
    return []


def _addressees(document: Document) -> list[str]:
    names = []
    for line in document.frame.addressees:
        text = line.removeprefix("Kính gửi:").strip().removeprefix("-").strip().rstrip(";.").strip()
        if text:
            names.append(text)
    return names


def _self_address(document: Document, campaign: Campaign, kind: str, unit: str | None) -> list[Finding]:
    """D4: no agency addresses its own documents to itself."""
    issuer = _issuer_name(document, campaign, kind, unit)
    if not issuer:
        return []
    own = fold(issuer)
    return [Finding("tu-gui-minh", f"«{issuer}» gửi văn bản cho chính mình («Kính gửi: {name}»): gửi Hội đồng thẩm "
                    "định hoặc Ủy ban nhân dân tỉnh, hoặc để Hội đồng (Tổ Thư ký) ban hành văn bản này")
            for name in _addressees(document) if fold(name) == own or fold(name).startswith(own + " ")]


def _issuer_name(document: Document, campaign: Campaign, kind: str, unit: str | None) -> str | None:
    header = header_of(campaign, kind, unit)
    issuer = header.issuer if header is not None else None
    if issuer is None and unit is not None and kind in ("bao-cao-tu-danh-gia", "bao-cao-giai-trinh"):
        issuer = campaign.unit(unit).agency
    if issuer is None and kind in UNIT_LETTERS and kind in campaign.documents and unit is not None:
        issuer = draft_letter_header(campaign, unit, campaign.documents[kind].header).issuer
    try:
        return campaign.agency(issuer).name if issuer else None
    except KeyError:
        return None


def _citations(document: Document, campaign: Campaign, kind: str, unit: str | None) -> list[Finding]:
    """D3: a document never cites itself or a document issued after it; a Tờ trình does not cite what
    it proposes as already issued."""
    header = header_of(campaign, kind, unit)
    own_latest = possible_days(header.date)[1] if header is not None else None
    own_number = header.number if header is not None else None
    known = {(k.number, k.symbol): k for k in known_documents(campaign)}
    findings: list[Finding] = []
    seen = set()
    for text in _texts(document):
        for match in CITATION.finditer(text):
            cited = known.get((int(match[1]), match[2]))
            if cited is None or cited in seen:
                continue
            seen.add(cited)
            if cited.kind == kind and own_number == cited.number:
                findings.append(Finding("trich-dan", f"văn bản tự trích dẫn chính nó ({cited.label})"))
            elif PROPOSES.get(kind) is not None and cited.kind == PROPOSES[kind]:
                findings.append(Finding("trich-dan", f"Tờ trình đề nghị ban hành {_LABELS[cited.kind]} nhưng lại trích dẫn "
                                        f"văn bản đó như đã ban hành ({cited.label}): Tờ trình đề nghị, không trích dẫn"))
            elif cited.date is not None and own_latest is not None and cited.date > own_latest:
                findings.append(Finding("trich-dan", f"trích dẫn {cited.label} ngày {cited.date:%d/%m/%Y}, ban hành sau "
                                        "văn bản này"))
    return findings


def _basis_order(document: Document, campaign: Campaign, kind: str) -> list[Finding]:
    """D9: căn cứ from the highest legal force down, by date within one level."""
    findings = []
    previous = None
    for line in _basis(document):
        folded = fold(line)
        if not folded.startswith("căn cứ"):
            continue
        level, name = next(((lvl, nm) for pattern, lvl, nm in _FORCE if pattern.search(folded)),
                           (LOCAL, "văn bản của địa phương"))
        day = _date_in(line)
        if previous is not None:
            p_line, p_level, p_name, p_day = previous
            if level < p_level:
                findings.append(Finding("thu-tu-can-cu", f"căn cứ «{_short(line)}» ({name}) phải đứng trước «{_short(p_line)}» "
                                        f"({p_name}): xếp theo hiệu lực pháp lý từ cao đến thấp"))
            elif level == p_level and day and p_day and day < p_day:
                findings.append(Finding("thu-tu-can-cu", f"căn cứ «{_short(line)}» ngày {day:%d/%m/%Y} phải đứng trước "
                                        f"«{_short(p_line)}» ngày {p_day:%d/%m/%Y}: cùng cấp thì xếp theo thời gian ban hành"))
        previous = (line, level, name, day)
    return findings


def _basis_complete(document: Document, campaign: Campaign, kind: str) -> list[Finding]:
    """D7: a decision proposed by a Tờ trình says so ('Theo đề nghị … tại Tờ trình số …'), with the
    number once the Tờ trình has one; a decision taken under the plan cites it."""
    proposal = next((t for t, proposed in PROPOSES.items() if proposed == kind), None)
    lines = _basis(document)
    if proposal is None or not lines:
        return []
    findings = []
    request = next((line for line in lines if fold(line).startswith(("theo đề nghị", "xét đề nghị"))), None)
    proposal_header = header_of(campaign, proposal)
    if proposal in campaign.documents:
        if request is None or "tờ trình" not in fold(request):
            findings.append(Finding("can-cu-day-du", "thiếu «Theo đề nghị của … tại Tờ trình số …» của Tờ trình đề nghị "
                                    "ban hành văn bản này"))
        elif proposal_header is not None and proposal_header.number is not None \
                and not re.search(rf"số\s+0*{proposal_header.number}\s*/", request):
            findings.append(Finding("can-cu-day-du", f"«{_short(request)}» chưa ghi số của Tờ trình "
                                    f"({proposal_header.number}/…) đã có số"))
    plan = campaign.plan.header
    header = header_of(campaign, kind)
    if kind != "ke-hoach" and plan.number is not None and plan.date.complete and header is not None \
            and possible_days(plan.date)[0] <= possible_days(header.date)[1]:
        if not any(re.search(rf"số\s+0*{plan.number}\s*/\s*KH-", line) for line in lines):
            findings.append(Finding("can-cu-day-du", f"thiếu căn cứ Kế hoạch số {plan.number} của chiến dịch (kế hoạch "
                                    "giao nhiệm vụ này)"))
    return findings


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _kinh_gui(document: Document) -> list[Finding]:
    """D5: several recipients: 'Kính gửi:' alone, then one '- …;' line each, the last ending '.'; none twice."""
    lines = list(document.frame.addressees)
    findings = []
    if len(lines) > 1:
        items = lines[1:]
        if lines[0].strip() != "Kính gửi:" or not all(line.startswith("- ") for line in items) \
                or not all(line.endswith(";") for line in items[:-1]) or not items[-1].endswith("."):
            findings.append(Finding("kinh-gui", "nhiều nơi nhận: «Kính gửi:» rồi mỗi nơi một dòng «- …;», dòng cuối "
                                    "kết thúc bằng dấu chấm, các gạch đầu dòng thẳng hàng dưới dấu hai chấm"))
    repeated = _twice(_addressees(document))
    if repeated:
        findings.append(Finding("kinh-gui", f"nơi nhận ghi hai lần trong Kính gửi: {', '.join(repeated)}"))
    twice = _twice([line.lstrip("- ").rstrip(";.") for line in document.frame.recipient_lines if line.startswith("-")])
    if twice:
        findings.append(Finding("noi-nhan", f"nơi nhận ghi hai lần: {', '.join(twice)}"))
    return findings


def _twice(names: list[str]) -> list[str]:
    """The names written more than once (compared as a reader would), as first written."""
    seen: dict[str, str] = {}
    out = []
    for name in names:
        key = fold(name)
        if key in seen and seen[key] not in out:
            out.append(seen[key])
        seen.setdefault(key, name)
    return out


def _decimal_comma(document: Document) -> list[Finding]:
    """D15: '1.5 điểm' reads as fifteen in Vietnamese; the decimal sign is a comma."""
    found = sorted({m.group(0) for text in _texts(document) for m in DOT_DECIMAL.finditer(text)})
    if not found:
        return []
    return [Finding("dau-thap-phan", f"số thập phân viết bằng dấu chấm: {', '.join(found[:5])}"
                    f"{' …' if len(found) > 5 else ''}; viết dấu phẩy (1,5 điểm)")]


def _quotes(document: Document) -> list[Finding]:
    """D36: typographic quotes “…”, never the typewriter's '"'."""
    found = [text for text in _texts(document) if '"' in text]
    if not found:
        return []
    return [Finding("ngoac-kep", f"dấu ngoặc kép thẳng (\") ở {len(found)} đoạn, ví dụ «{_short(found[0])}»: dùng “…”")]


def _article_titles(document: Document) -> list[Finding]:
    """D27: an Điều with a title prints the number and the title in bold."""
    findings = []
    for block in _paragraphs(document):
        runs = block.runs
        if len(runs) >= 2 and runs[0].bold and DIEU_LABEL.match(runs[0].text):
            title = "".join(run.text for run in runs[1:]).strip()
            if title and not title.endswith((".", ":", ";", "/.")) and not all(run.bold for run in runs[1:]):
                findings.append(Finding("tieu-de-dieu", f"tên «{runs[0].text.strip()} {_short(title)}» phải in đậm cả số "
                                        "và tên điều"))
    return findings


#: Kinds that report the survey's forms: their count must not exceed the plan's sample (D11).
REPORTS_FORMS = ("bao-cao-ket-qua",)


def _forms(campaign: Campaign, kind: str) -> list[Finding]:
    """D11: more valid forms than the plan sent out for a respondent group cannot be reported as is."""
    if kind not in REPORTS_FORMS:
        return []
    return [Finding("so-phieu", f"nhóm «{group.respondents}»: {group.received} phiếu hợp lệ, nhiều hơn {group.planned} "
                    "phiếu phát ra theo Kế hoạch: kiểm tra số liệu khảo sát hoặc mẫu điều tra của Kế hoạch")
            for group in forms_against_plan(campaign) if group.over]


_WEAKEST = re.compile(r"nhất là lĩnh vực ([^;.]+)")


def _weakest_field(campaign: Campaign, kind: str, unit: str | None) -> list[Finding]:
    """N9: a self-assessment whose summary names 'nhất là lĩnh vực …' names a field its own table
    shows as the weakest (self points over the points it could score itself)."""
    if kind != "bao-cao-tu-danh-gia" or unit is None or campaign.assessment(unit) is None:
        return []
    named = [m[1].strip() for text in campaign.assessment(unit).summary for m in _WEAKEST.finditer(text)]
    if not named:
        return []
    weakest = weakest_fields(campaign, compute_unit(campaign, unit))
    titles = {fold(r.field.title) for r in weakest}
    return [Finding("linh-vuc-yeu-nhat", f"phần tóm tắt nêu «nhất là lĩnh vực {name}» nhưng bảng kết quả cho thấy lĩnh vực "
                    f"thấp nhất là «{weakest[0].field.title}» ({format_number(weakest[0].rate, 2)}%): sửa phần tóm tắt")
            for name in named if weakest and fold(name) not in titles]


def _one_head(campaign: Campaign, kind: str, unit: str | None) -> list[Finding]:
    """N10: a unit's own report is signed by its head, and one person heads one unit: a name the data
    give as the same post's holder in another unit is a copy-paste of the unit list, not a person."""
    if kind not in ("bao-cao-tu-danh-gia", "bao-cao-giai-trinh") or unit is None:
        return []
    own = campaign.unit(unit).signature
    if own is None or own.authority not in ("", "TM"):
        return []
    others = [u.name for u in campaign.units() if u.id != unit and u.signature is not None
              and u.signature.authority in ("", "TM")
              and fold(u.signature.name) == fold(own.name) and fold(u.signature.title) == fold(own.title)]
    return [Finding("nguoi-dung-dau", f"{own.title} {own.name} ký báo cáo này nhưng dữ liệu cũng ghi là {own.title} của "
                    f"{', '.join(others)}: mỗi cơ quan một người đứng đầu; sửa người ký ở danh sách đơn vị (nếu hai người "
                    "trùng họ tên, ghi họ tên đầy đủ để phân biệt)")] if others else []


def check_drafting(document: Document, campaign: Campaign, kind: str, unit: str | None = None, *,
                   replacing: bool = False) -> list[Finding]:
    """Every drafting rule on one composed document, and the dates of the campaign's calendar (not for
    a document ``replacing`` or correcting an issued one: it is dated when the error is found)."""
    if document.frame.bare:                   # a form (phiếu): no issuer, no signature, nothing cited
        return [*_decimal_comma(document), *_quotes(document)]
    findings = [*_authority(document, campaign, kind), *_self_address(document, campaign, kind, unit),
                *_citations(document, campaign, kind, unit), *_basis_order(document, campaign, kind),
                *_basis_complete(document, campaign, kind), *_kinh_gui(document), *_decimal_comma(document),
                *_quotes(document), *_article_titles(document), *_forms(campaign, kind),
                *_weakest_field(campaign, kind, unit), *_one_head(campaign, kind, unit)]
    if not replacing:
        findings += [Finding("ngay-thang", problem) for problem in date_problems(campaign, kind, unit)]
    return findings


def issue_blockers(campaign: Campaign, kind: str, unit: str | None, issued: set[tuple[str, str]],
                   findings: list[Finding], **when) -> list[str]:
    """Why a document cannot be issued now: the lifecycle's reasons and its drafting findings."""
    reasons = blocking_reasons(campaign, kind, unit, issued, **when)
    if reasons == [NOT_ISSUED]:
        return reasons
    return [*reasons, *(str(finding) for finding in findings)]
