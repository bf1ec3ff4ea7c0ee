"""The kinds' templates of a province and of each campaign: every save a new version (who, when, why),
the one in force found layer by layer — the campaign's, else the province's, else the default in
``doc_templates/kinds/`` — and a save refused, with nothing stored, unless the template checks clean,
renders the campaign's real document and adds no Decree 30 fault to it."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data_models import Campaign
from service.documents.kind_templates import default_template
from service.template_checks import InvalidTemplate, problems_with, template_kinds

from .models import TemplateVersion

CAMPAIGN, PROVINCE, DEFAULT = "chien-dich", "tinh", "mac-dinh"
LAYER_NAMES = {CAMPAIGN: "mẫu của chiến dịch", PROVINCE: "mẫu của tỉnh", DEFAULT: "mẫu mặc định"}

@dataclass(frozen=True)
class InForce:
    """The template a kind is worded by now, and where it comes from."""
    kind: str
    text: str
    layer: str
    version_id: int | None

    @property
    def ref(self) -> str:
        """What an issued version records: 'chien-dich:12', 'tinh:7' or 'mac-dinh:<sha-256 prefix>'."""
        if self.layer == DEFAULT:
            return f"{DEFAULT}:{hashlib.sha256(self.text.encode()).hexdigest()[:16]}"
        return f"{self.layer}:{self.version_id}"


def _latest(session: Session, organisation: str, campaign_id: str | None) -> dict[str, TemplateVersion]:
    query = select(TemplateVersion).where(TemplateVersion.organisation_id == organisation)
    query = query.where(TemplateVersion.campaign_id == campaign_id) if campaign_id else \
        query.where(TemplateVersion.campaign_id.is_(None))
    latest: dict[str, TemplateVersion] = {}
    for row in session.execute(query.order_by(TemplateVersion.id)).scalars():
        latest[row.kind] = row
    return latest


def in_force(session: Session, organisation: str, campaign_id: str | None) -> dict[str, InForce]:
    """Each kind's template for a campaign (or, with ``campaign_id`` None, for the province)."""
    own = _latest(session, organisation, campaign_id) if campaign_id else {}
    province = _latest(session, organisation, None)
    out = {}
    for kind in template_kinds():
        for layer, rows in ((CAMPAIGN, own), (PROVINCE, province)):
            row = rows.get(kind)
            if row is not None and row.text is not None:
                out[kind] = InForce(kind, row.text, layer, row.id)
                break
        else:
            out[kind] = InForce(kind, default_template(kind), DEFAULT, None)
    return out


def campaign_templates(engine: Engine, organisation: str, campaign_id: str) -> dict[str, InForce]:
    with Session(engine) as session:
        return in_force(session, organisation, campaign_id)


def texts(templates: dict[str, InForce]) -> dict[str, str]:
    """What ``compose`` takes: the text of every kind not worded by its default."""
    return {kind: t.text for kind, t in templates.items() if t.layer != DEFAULT}


def history(engine: Engine, organisation: str, campaign_id: str | None, kind: str) -> list[TemplateVersion]:
    """Every saved version of one layer, newest first."""
    with Session(engine, expire_on_commit=False) as session:
        query = select(TemplateVersion).where(TemplateVersion.organisation_id == organisation,
                                              TemplateVersion.kind == kind)
        query = query.where(TemplateVersion.campaign_id == campaign_id) if campaign_id else \
            query.where(TemplateVersion.campaign_id.is_(None))
        return list(session.execute(query.order_by(TemplateVersion.id.desc())).scalars())


def version(engine: Engine, organisation: str, version_id: int) -> TemplateVersion | None:
    with Session(engine, expire_on_commit=False) as session:
        row = session.get(TemplateVersion, version_id)
        return row if row is not None and row.organisation_id == organisation else None


# ---------------------------------------------------------------------------- saving
def save(engine: Engine, organisation: str, campaign_id: str | None, kind: str, text: str | None, actor: str,
         comment: str | None = None, campaign: Campaign | None = None) -> TemplateVersion:
    """A new version of one layer's template (``text`` None: back to the layer below). InvalidTemplate
    with the problems, and nothing stored, unless it checks clean against ``campaign``."""
    if kind not in template_kinds():
        raise InvalidTemplate([f"không có loại văn bản '{kind}'"])
    if text is not None:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        with Session(engine) as session:
            others = texts(in_force(session, organisation, campaign_id))
        others.pop(kind, None)
        problems = problems_with(campaign, kind, text, others)
        if problems:
            raise InvalidTemplate(problems)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        row = TemplateVersion(organisation_id=organisation, campaign_id=campaign_id, kind=kind, text=text,
                              sha256=hashlib.sha256(text.encode()).hexdigest() if text is not None else None,
                              comment=(comment or "").strip() or None, created_by=actor)
        session.add(row)
    return row


def copy_to(session: Session, organisation: str, source_campaign: str, target_campaign: str, actor: str) -> int:
    """Next year's campaign keeps this year's own templates (inside the clone's transaction)."""
    count = 0
    for kind, row in _latest(session, organisation, source_campaign).items():
        if row.text is not None:
            session.add(TemplateVersion(organisation_id=organisation, campaign_id=target_campaign, kind=kind,
                                        text=row.text, sha256=row.sha256, created_by=actor,
                                        comment=f"mẫu của chiến dịch {source_campaign}"))
            count += 1
    return count
