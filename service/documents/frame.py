"""The Decree 30 frame, once for every document kind and both writers.

It turns campaign data (issuer, number, date, type, trích yếu, signer, Nơi nhận) into the already
formatted strings and measured rules that the DOCX and HTML templates place: ô 1–5 in the header,
ô 7 and 9b in the closing table, page geometry for both.
"""
from __future__ import annotations

from dataclasses import dataclass

from data_models import Agency, Campaign, DocumentHeader, Recipients, Signature
from service.fonts import text_width_mm
from service.vietnamese import (document_symbol, document_type, format_number_line, format_place_date,
                                recipient_lines, signature_title_lines)

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Geometry:
    """A4 and margins inside ND30's ranges (top/bottom 20–25, left 30–35, right 15–20 mm)."""
    page_width_mm: float = 210
    page_height_mm: float = 297
    margin_top_mm: float = 20
    margin_bottom_mm: float = 20
    margin_left_mm: float = 30
    margin_right_mm: float = 15
    header_distance_mm: float = 10
    #: Header table columns: a 50/50 split wraps the Quốc hiệu (95.7 mm at 13 pt), so 62 / 103.
    header_left_mm: float = 62
    header_right_mm: float = 103
    closing_left_mm: float = 80
    closing_right_mm: float = 85
    cell_padding_mm: float = 1.0
    #: Sizes (pt) of the frame's elements, from the spec's safe profile.
    agency_size: float = 13
    national_size: float = 13
    motto_size: float = 14
    number_size: float = 13
    date_size: float = 14
    type_size: float = 14
    title_size: float = 14
    signature_size: float = 14
    recipients_heading_size: float = 12
    recipients_size: float = 11
    page_number_size: float = 14

    @property
    def text_width_mm(self) -> float:
        return self.page_width_mm - self.margin_left_mm - self.margin_right_mm

    @property
    def landscape_text_width_mm(self) -> float:
        return self.page_height_mm - self.margin_left_mm - self.margin_right_mm


GEOMETRY = Geometry()


@dataclass(frozen=True)
class Rule:
    """A centred solid line of ``width_mm`` inside a box ``box_mm`` wide."""
    width_mm: float
    box_mm: float

    @property
    def indent_mm(self) -> float:
        return max(0.0, (self.box_mm - self.width_mm) / 2)


@dataclass(frozen=True)
class Frame:
    parent_lines: tuple[str, ...]        # cơ quan chủ quản (not bold)
    agency_lines: tuple[str, ...]        # cơ quan ban hành (bold)
    agency_rule: Rule
    number_line: str
    national_name: str
    motto: str
    motto_rule: Rule
    place_date: str | None
    type_name: str
    title_lines: tuple[str, ...]
    title_rule: Rule | None
    signature_lines: tuple[str, ...]
    signer_name: str
    recipients_heading: str
    recipient_lines: tuple[str, ...]
    geometry: Geometry = GEOMETRY
    addressees: tuple[str, ...] = ()             # Kính gửi (ô 9a), one line each
    authority_line: str | None = None            # THẨM QUYỀN BAN HÀNH of a decision
    left_signature_lines: tuple[str, ...] = ()   # Biên bản: THƯ KÝ signs on the left, above Nơi nhận
    left_signer_name: str | None = None
    subject_line: str | None = None              # công văn: 'V/v …' under the number (ô 5b)
    addressee_indents_mm: tuple[float, float] | None = None   # several recipients: 'Kính gửi:' and the dashes
    bare: bool = False                           # a form: page setup and fonts only, no ND30 header or signature


def _header_lines(issuer: Agency, agencies: dict[str, Agency]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    parent = agencies.get(issuer.parent) if issuer.parent else None
    parent_lines = ((parent.parent_header or " ".join(parent.header_lines)),) if parent else ()
    return parent_lines, tuple(issuer.header_lines)


def kinh_gui_lines(addressees: list[str]) -> tuple[str, ...]:
    """ô 9a: one addressee on the Kính gửi line; several each on a '- …;' line, the last ending '.'."""
    names = [a.strip().rstrip(";.") for a in addressees if a.strip()]
    if not names:
        return ()
    if len(names) == 1:
        return (f"Kính gửi: {names[0]}.",)
    return ("Kính gửi:", *(f"- {n};" for n in names[:-1]), f"- {names[-1]}.")


def addressee_indents(lines: tuple[str, ...], size: float, text_width_mm_: float) -> tuple[float, float] | None:
    """Where a Kính gửi of several recipients starts and where its dashes stand: the block is centred
    as a whole, each '- …;' line left-aligned with its dash under the colon (ND30 PL I, II.9.b)."""
    if len(lines) < 2:
        return None
    label = text_width_mm(lines[0], size)
    colon = label - text_width_mm(":", size)
    widest = max(text_width_mm(line, size) for line in lines[1:])
    left = max(0.0, (text_width_mm_ - (colon + widest)) / 2)
    return round(left, 1), round(left + colon, 1)


def build_frame(campaign: Campaign, header: DocumentHeader, type_key: str, title_lines: list[str],
                signature: Signature, recipients: Recipients, geometry: Geometry = GEOMETRY, *,
                addressees: list[str] = (), authority_line: str | None = None, dated: bool = True,
                left_signature: tuple[list[str], str] | None = None,
                recipients_first: list[tuple[str, str | None]] = (), subject: str | None = None) -> Frame:
    """Everything ND30 puts around the body, formatted and measured.

    ``addressees`` print the Kính gửi (and put '- Như trên;' first in Nơi nhận); ``dated=False`` drops
    the place-and-date line (Biên bản, Mẫu 1.9); ``left_signature`` signs on the left (Biên bản's THƯ KÝ)."""
    agencies = {agency.id: agency for agency in campaign.agencies}
    issuer = agencies[header.issuer]
    kind = document_type(type_key)
    parent_lines, agency_lines = _header_lines(issuer, agencies)
    pad = 2 * geometry.cell_padding_mm
    left_box, right_box = geometry.header_left_mm - pad, geometry.header_right_mm - pad

    # A name wider than its column wraps, so its longest printed line is at most the column.
    longest_agency = min(max(text_width_mm(line, geometry.agency_size, bold=True) for line in agency_lines), left_box)
    motto_width = text_width_mm(MOTTO, geometry.motto_size, bold=True)
    title_width = min(max((text_width_mm(line, geometry.title_size, bold=True) for line in title_lines), default=0),
                      geometry.text_width_mm)
    if kind.abbreviation is None and not subject:
        raise ValueError("công văn cần trích yếu 'V/v …'")

    symbol = document_symbol(type_key, issuer.abbreviation, *header.symbol_units)
    date = header.date
    return Frame(
        parent_lines=parent_lines,
        agency_lines=agency_lines,
        agency_rule=Rule(round(longest_agency * 0.4, 1), left_box),
        number_line=format_number_line(header.number, symbol),
        national_name=NATIONAL_NAME,
        motto=MOTTO,
        motto_rule=Rule(round(motto_width, 1), right_box),
        place_date=format_place_date(issuer.place, date.year, date.month, date.day) if dated else None,
        type_name=kind.name,
        title_lines=tuple(title_lines),
        title_rule=Rule(round(title_width * 0.4, 1), geometry.text_width_mm) if title_lines else None,
        signature_lines=tuple(signature_title_lines(
            signature.authority, signature.title, collective=signature.collective,
            principal=signature.principal, deputy_of=signature.deputy_of)),
        signer_name=signature.name,
        recipients_heading="Nơi nhận:",
        recipient_lines=tuple(recipient_lines(
            [*(("Như trên", None),) * bool(addressees), *recipients_first, *((r.name, r.note) for r in recipients.items)],
            recipients.archive)),
        geometry=geometry,
        addressees=kinh_gui_lines(list(addressees)),
        addressee_indents_mm=addressee_indents(kinh_gui_lines(list(addressees)), geometry.title_size,
                                               geometry.text_width_mm),
        authority_line=authority_line,
        left_signature_lines=tuple(left_signature[0]) if left_signature else (),
        left_signer_name=left_signature[1] if left_signature else None,
        subject_line=f"V/v {subject}" if subject else None,
    )


def bare_frame(title_lines: list[str], geometry: Geometry = GEOMETRY) -> Frame:
    """For a form (phiếu khảo sát): not an ND30 document type, so no header, number or signature;
    it keeps the page, fonts and page numbers."""
    return Frame(parent_lines=(), agency_lines=(), agency_rule=Rule(0, 0), number_line="", national_name="",
                 motto="", motto_rule=Rule(0, 0), place_date=None, type_name="", title_lines=tuple(title_lines),
                 title_rule=None, signature_lines=(), signer_name="", recipients_heading="", recipient_lines=(),
                 geometry=geometry, bare=True)


def annex_rule(title: str, landscape: bool, geometry: Geometry = GEOMETRY) -> Rule:
    """The short rule under a phụ lục's heading: 40 % of its title line (1/3–1/2, as under a trích yếu)."""
    box = geometry.landscape_text_width_mm if landscape else geometry.text_width_mm
    return Rule(round(min(text_width_mm(title, geometry.title_size, bold=True), box) * 0.4, 1), box)
