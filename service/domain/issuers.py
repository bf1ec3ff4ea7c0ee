"""Who issues a document when the obvious issuer would write to itself: the Sở Nội vụ's round-1
notice to the Sở Nội vụ (the standing agency is evaluated like any sở) comes from the appraisal
council instead (ND30: an agency never addresses itself)."""
from __future__ import annotations

from data_models import Campaign


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
