"""Pydantic models of a campaign: what the documents say, nothing about how they look."""
from .campaign import SCHEMA_VERSION, Campaign
from .document import DocumentHeader, LegalReference, PartialDate
from .errors import InvalidCampaign, Problem
from .loading import MAX_CAMPAIGN_BYTES, campaign_data, load_campaign, parse_campaign, parse_json_text
from .organisation import Agency, Recipient, Recipients, Signature, Unit, UnitGroup
from .plan import Plan

__all__ = [name for name in dir() if not name.startswith("_")]
