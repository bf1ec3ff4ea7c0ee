"""Who must act on a document: the leader who approves it and the people who sign it.

A document goes to the leader its signature block names (the account linked to that person on the
Chữ ký số page), or to another leader of the issuing agency whom the drafter picks: the Giám đốc or a
Phó Giám đốc of the Sở for the Sở's acts, the Chủ tịch or a Phó Chủ tịch of the UBND for the
province's, the council's chair or vice-chair for the council's. A leader of one agency never
approves another's act, and only the people a signature block names are asked to sign."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_models import Campaign
from service.domain.issuers import acting_for, issuer_of

from .models import SigningIdentity, User
from .signers import PERSON


@dataclass(frozen=True)
class Leader:
    user_id: int
    username: str
    full_name: str
    agency_id: str | None
    person: str | None          # the name of the signer the account is linked to (None: not linked)

    @property
    def label(self) -> str:
        return self.full_name if not self.person or self.person in self.full_name else f"{self.person} ({self.full_name})"


def leaders(session: Session, organisation: str) -> list[Leader]:
    """The province's active leader accounts, each with the person it signs as."""
    persons = {user_id: key for key, user_id in session.execute(
        select(SigningIdentity.key, SigningIdentity.user_id).where(
            SigningIdentity.organisation_id == organisation, SigningIdentity.kind == PERSON,
            SigningIdentity.user_id.is_not(None)))}
    users = session.scalars(select(User).where(User.organisation_id == organisation, User.role == "leader",
                                               User.active.is_(True)).order_by(User.id))
    return [Leader(u.id, u.username, u.full_name, u.agency_id, persons.get(u.id)) for u in users]


def approvers(session: Session, organisation: str, campaign: Campaign, kind: str, unit: str | None,
              signer_name: str | None) -> list[Leader]:
    """The leaders who may approve the document, the one its signature block names first."""
    issuer = issuer_of(campaign, kind, unit)
    heads = acting_for(campaign, issuer) if issuer else set()
    everyone = leaders(session, organisation)
    named = [leader for leader in everyone if signer_name and leader.person == signer_name]
    others = [leader for leader in everyone if leader not in named and (
        (issuer is not None and leader.agency_id == issuer) or (leader.person is not None and leader.person in heads))]
    return named + others


def document_approvers(session: Session, organisation: str, campaign: Campaign, kind: str,
                       unit: str | None) -> list[Leader]:
    """``approvers`` of the document as it is drafted now: its signer read from the templates in force."""
    return approvers(session, organisation, campaign, kind, unit, signer_named(session, organisation, campaign, kind, unit))


def signing_people(session: Session, organisation: str, names: set[str]) -> list[User]:
    """The active accounts linked to the people ``names`` (who must sign a document)."""
    if not names:
        return []
    ids = [user_id for (user_id,) in session.execute(
        select(SigningIdentity.user_id).where(SigningIdentity.organisation_id == organisation,
                                              SigningIdentity.kind == PERSON, SigningIdentity.key.in_(sorted(names)),
                                              SigningIdentity.user_id.is_not(None)))]
    if not ids:
        return []
    return list(session.scalars(select(User).where(User.id.in_(ids), User.active.is_(True)).order_by(User.id)))


def person_of(session: Session, user_id: int) -> str | None:
    """The signer an account is linked to (None: none)."""
    return session.scalar(select(SigningIdentity.key).where(SigningIdentity.kind == PERSON,
                                                            SigningIdentity.user_id == user_id).limit(1))


def signer_named(session: Session, organisation: str, campaign: Campaign, kind: str, unit: str | None) -> str | None:
    """The person the document's signature block names as it is drafted now (worded by the templates
    in force); None when the data do not make the document yet."""
    from service.documents import compose

    from .templates import in_force, texts
    try:
        return compose(campaign, kind, unit, texts(in_force(session, organisation, campaign.id))).frame.signer_name
    except (ValueError, KeyError):
        return None
