"""Who issues a document when the obvious issuer would write to itself: the Sở Nội vụ's round-1
notice to the Sở Nội vụ (the standing agency is evaluated like any sở) comes from the appraisal
council instead (ND30: an agency never addresses itself)."""
from __future__ import annotations

from data_models import Campaign
from data_models.document import DocumentHeader
from data_models.scores import Assessment


#: The drafting unit in the ký hiệu of the council's letters (its Tổ Thư ký): 'Số: 05/HĐTĐ-TTK'.
COUNCIL_SECRETARIAT = "TTK"


def notice_issuer(campaign: Campaign, unit_id: str, default_issuer: str) -> str:
    """The agency issuing ``unit_id``'s round-1 notice: the council's when the unit is the letter's own
    issuer and the campaign names the council (``council_agency``), else ``default_issuer``."""
    try:
        own = campaign.unit(unit_id).agency
    except KeyError:
        return default_issuer
    if own == default_issuer and campaign.council_agency is not None:
        return campaign.council_agency
    return default_issuer


def council_register(campaign: Campaign, issuer: str) -> bool:
    """Whether a document of ``issuer`` is numbered in the council's own register (ND30 PL I II.3.a:
    an advisory body keeps its own sequence)."""
    return campaign.council_agency is not None and issuer == campaign.council_agency


#: The letters the Sở Nội vụ (or the council) sends one unit, each numbered on its own; the first keeps
#: its number in ``assessment.notice`` (its date starts the explanation deadline), the others in
#: ``assessment.letters[kind]``.
UNIT_LETTERS = ("cong-van-ket-qua-tham-dinh", "thong-bao-tham-dinh-lan-2", "thong-bao-ket-qua-chi-so")


def unit_letter(assessment: Assessment | None, kind: str) -> DocumentHeader | None:
    """The number and date ``kind`` was issued with to this unit (None: not issued)."""
    if assessment is None:
        return None
    return assessment.notice if kind == UNIT_LETTERS[0] else assessment.letters.get(kind)


def draft_letter_header(campaign: Campaign, unit_id: str, settings: DocumentHeader) -> DocumentHeader:
    """The header a letter to one unit is drafted under: the letter's settings, or the council's with its
    Tổ Thư ký's symbol ('…/HĐTĐ-TTK') when the unit is the letter's own issuer."""
    issuer = notice_issuer(campaign, unit_id, settings.issuer)
    if issuer == settings.issuer:
        return settings
    return settings.model_copy(update={"issuer": issuer, "symbol_units": [COUNCIL_SECRETARIAT]})


def issuer_of(campaign: Campaign, kind: str, unit_id: str | None) -> str | None:
    """The agency that issues ``kind`` (for ``unit_id``): the plan's, the minutes' (the council), a
    letter's (the council's when the letter would go to its own issuer), a unit's own report's (the
    unit), else the document's settings; None when the campaign has no data for it yet."""
    if kind == "ke-hoach":
        return campaign.plan.header.issuer
    if kind == "bien-ban":
        return campaign.meeting.header.issuer if campaign.meeting else None
    if kind in ("bao-cao-tu-danh-gia", "bao-cao-giai-trinh"):
        return campaign.unit(unit_id).agency if unit_id else None
    settings = campaign.documents.get(kind)
    if settings is None:
        return None
    if kind in UNIT_LETTERS and unit_id:
        return notice_issuer(campaign, unit_id, settings.header.issuer)
    return settings.header.issuer


#: The council's members who act for it (approve and sign what it issues).
COUNCIL_HEADS = ("Chủ tịch", "Phó Chủ tịch")


def acting_for(campaign: Campaign, issuer: str) -> set[str]:
    """Names of the people who act for ``issuer`` by the campaign's data: for the council, its chair
    and vice-chairs (the leaders of an agency are accounts, not data)."""
    if campaign.council_agency is not None and issuer == campaign.council_agency:
        return {m.name for m in campaign.council if m.body == "council" and m.role in COUNCIL_HEADS}
    return set()
