"""The survey collected in the workspace: a round per campaign, a quota and a public link per unit and
respondent group, one-time codes, and the answered forms.

Anonymity by design: a code is kept as a digest with a 'used' flag and nothing else; an answer has a
random id and no code, address, browser or time; the form tokens that stop a replay are digests with
no time; the people paid per form are a separate list with no unit, group or time. An answer is taken
in one transaction that spends its form token and its code and counts it against the quota with
conditional updates, so a replay, a double click or a rush past the quota counts once, on SQLite and
PostgreSQL alike."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, and_, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .db import reader
from .models import SurveyCode, SurveyFormToken, SurveyPayee, SurveyQuota, SurveyResponse, SurveyRound

#: Letters of a printed code: no 0/O, 1/I/L, so a respondent types what the paper shows.
CODE_LETTERS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
MOST_CODES_AT_ONCE = 5000


class NotTaken(Exception):
    """Why a form was not counted, in Vietnamese for the respondent's page (``reason`` keys the page)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Target:
    """What a link or a code opens: the round, the unit and the group the form is about."""
    survey: SurveyRound
    unit_id: str
    group_id: str
    quota: int
    received: int
    code_used: bool = False


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normal_code(typed: str) -> str:
    """A code as typed (spaces, dashes, lower case) in the form it was made."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())[:32]


def open_survey(engine: Engine, organisation_id: str, campaign_id: str, opens_on: dt.date, closes_on: dt.date,
                quotas: dict[tuple[str, str], int], pays_per_form: bool, actor: str) -> int:
    """Open the campaign's survey with a quota per (unit, group) and a new secret link for each."""
    with Session(engine) as session, session.begin():
        survey = SurveyRound(organisation_id=organisation_id, campaign_id=campaign_id, opens_on=opens_on,
                             closes_on=closes_on, closed=False, pays_per_form=pays_per_form, opened_by=actor,
                             paper_checked=0, paper_mismatched=0)
        session.add(survey)
        session.flush()
        for (unit_id, group_id), quota in quotas.items():
            session.add(SurveyQuota(survey_id=survey.id, unit_id=unit_id, group_id=group_id, quota=quota,
                                    link=secrets.token_urlsafe(16), received=0))
        return survey.id


def survey_of(engine: Engine, campaign_id: str) -> SurveyRound | None:
    with reader(engine) as session:
        return session.scalar(select(SurveyRound).where(SurveyRound.campaign_id == campaign_id))


def change_survey(engine: Engine, survey_id: int, *, closes_on: dt.date | None = None, closed: bool | None = None) -> None:
    with Session(engine) as session, session.begin():
        survey = session.get(SurveyRound, survey_id)
        if closes_on is not None:
            survey.closes_on = closes_on
        if closed is not None:
            survey.closed = closed


def quotas_of(engine: Engine, survey_id: int) -> list[SurveyQuota]:
    with reader(engine) as session:
        return list(session.scalars(select(SurveyQuota).where(SurveyQuota.survey_id == survey_id)
                                    .order_by(SurveyQuota.unit_id, SurveyQuota.group_id)))


def codes_count(engine: Engine, survey_id: int) -> dict[tuple[str, str], tuple[int, int]]:
    """(unit, group) → (codes made, codes used)."""
    with reader(engine) as session:
        rows = session.execute(select(SurveyCode.unit_id, SurveyCode.group_id, func.count(),
                                      func.sum(case((SurveyCode.used.is_(True), 1), else_=0)))
                               .where(SurveyCode.survey_id == survey_id)
                               .group_by(SurveyCode.unit_id, SurveyCode.group_id)).all()
    return {(unit, group): (made, int(used or 0)) for unit, group, made, used in rows}


def by_link(engine: Engine, link: str) -> Target | None:
    with reader(engine) as session:
        quota = session.scalar(select(SurveyQuota).where(SurveyQuota.link == link))
        if quota is None:
            return None
        survey = session.get(SurveyRound, quota.survey_id)
        return Target(survey, quota.unit_id, quota.group_id, quota.quota, quota.received)


def by_code(engine: Engine, code: str) -> Target | None:
    with reader(engine) as session:
        row = session.get(SurveyCode, digest(normal_code(code)))
        if row is None:
            return None
        quota = session.get(SurveyQuota, (row.survey_id, row.unit_id, row.group_id))
        survey = session.get(SurveyRound, row.survey_id)
        return Target(survey, row.unit_id, row.group_id, quota.quota, quota.received, row.used)


def make_codes(engine: Engine, survey_id: int, unit_id: str, group_id: str, count: int) -> list[str]:
    """``count`` new one-time codes for a unit and group; the codes themselves are returned once (to
    print or send) and only their digests are stored."""
    if not 1 <= count <= MOST_CODES_AT_ONCE:
        raise ValueError(f"số mã phải từ 1 đến {MOST_CODES_AT_ONCE}")
    codes = []
    with Session(engine) as session, session.begin():
        if session.get(SurveyQuota, (survey_id, unit_id, group_id)) is None:
            raise ValueError("đơn vị và nhóm đối tượng này không có trong cuộc khảo sát")
        for _ in range(count):
            code = "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))
            codes.append(code)
            session.add(SurveyCode(code_sha256=digest(code), survey_id=survey_id, unit_id=unit_id, group_id=group_id,
                                   used=False))
    return codes


def is_open(survey: SurveyRound, today: dt.date) -> NotTaken | None:
    """Why the survey takes no form today (None: it does)."""
    if survey.closed or today > survey.closes_on:
        return NotTaken("da-dong", f"Cuộc khảo sát đã kết thúc ngày {survey.closes_on:%d/%m/%Y}. Xin cảm ơn ông (bà) "
                                   "đã quan tâm.")
    if today < survey.opens_on:
        return NotTaken("chua-mo", f"Cuộc khảo sát bắt đầu nhận phiếu từ ngày {survey.opens_on:%d/%m/%Y}. Xin mời "
                                   "ông (bà) quay lại từ ngày đó.")
    return None


def take_form(engine: Engine, survey_id: int, unit_id: str, group_id: str, answers: dict[str, str], channel: str,
              today: dt.date, *, code: str | None = None, form_token: str | None = None) -> None:
    """Count one answered form, or raise NotTaken with nothing stored: the form token spent, the code
    spent, the quota not full, the survey open — all in one transaction."""
    with Session(engine) as session:
        try:
            with session.begin():
                survey = session.get(SurveyRound, survey_id)
                if (closed := is_open(survey, today)) is not None:
                    raise closed
                if form_token is not None:
                    session.add(SurveyFormToken(token_sha256=digest(form_token), survey_id=survey_id))
                    session.flush()
                if code is not None:
                    spent = session.execute(update(SurveyCode).where(and_(
                        SurveyCode.code_sha256 == digest(normal_code(code)), SurveyCode.used.is_(False),
                        SurveyCode.survey_id == survey_id, SurveyCode.unit_id == unit_id,
                        SurveyCode.group_id == group_id)).values(used=True))
                    if spent.rowcount != 1:
                        raise NotTaken("ma-da-dung", "Mã phiếu này đã được dùng để trả lời; mỗi mã chỉ trả lời một lần.")
                counted = session.execute(update(SurveyQuota).where(and_(
                    SurveyQuota.survey_id == survey_id, SurveyQuota.unit_id == unit_id, SurveyQuota.group_id == group_id,
                    SurveyQuota.received < SurveyQuota.quota)).values(received=SurveyQuota.received + 1))
                if counted.rowcount != 1:
                    raise NotTaken("du-phieu", "Cuộc khảo sát đã nhận đủ số phiếu cần cho nhóm đối tượng này. Xin cảm "
                                               "ơn ông (bà) đã sẵn lòng tham gia.")
                session.add(SurveyResponse(id=secrets.token_hex(16), survey_id=survey_id, unit_id=unit_id,
                                           group_id=group_id, channel=channel,
                                           answers=json.dumps(answers, ensure_ascii=False, sort_keys=True)))
        except IntegrityError:
            raise NotTaken("da-gui", "Phiếu này đã được gửi; mỗi phiếu chỉ được tính một lần.") from None


def answered_forms(engine: Engine, survey_id: int) -> dict[tuple[str, str], list[dict[str, str]]]:
    """(unit, group) → the answers of its forms (for the tallies and the export; no order, no time)."""
    out: dict[tuple[str, str], list[dict[str, str]]] = {}
    with reader(engine) as session:
        for unit_id, group_id, answers in session.execute(
                select(SurveyResponse.unit_id, SurveyResponse.group_id, SurveyResponse.answers)
                .where(SurveyResponse.survey_id == survey_id).order_by(SurveyResponse.id)):
            out.setdefault((unit_id, group_id), []).append(json.loads(answers))
    return out


def add_payee(engine: Engine, survey_id: int, token: str, full_name: str, contact: str) -> None:
    """Add someone to be paid for a form, once per answered form (its payee token is spent with it)."""
    with Session(engine) as session:
        try:
            with session.begin():
                survey = session.get(SurveyRound, survey_id)
                if survey is None or not survey.pays_per_form:
                    raise NotTaken("khong-tra", "Cuộc khảo sát này không chi thù lao theo phiếu.")
                session.add(SurveyFormToken(token_sha256=digest("thu-lao:" + token), survey_id=survey_id))
                session.flush()
                session.add(SurveyPayee(id=secrets.token_hex(16), survey_id=survey_id, full_name=full_name,
                                        contact=contact))
        except IntegrityError:
            raise NotTaken("da-gui", "Thông tin nhận thù lao của phiếu này đã được ghi nhận.") from None


def payees_of(engine: Engine, survey_id: int) -> list[SurveyPayee]:
    with reader(engine) as session:
        return list(session.scalars(select(SurveyPayee).where(SurveyPayee.survey_id == survey_id)
                                    .order_by(SurveyPayee.full_name)))


def count_double_entry(engine: Engine, survey_id: int, mismatched: bool) -> None:
    """One paper form of the sample entered twice; whether the two entries differed."""
    with Session(engine) as session, session.begin():
        values = {"paper_checked": SurveyRound.paper_checked + 1}
        if mismatched:
            values["paper_mismatched"] = SurveyRound.paper_mismatched + 1
        session.execute(update(SurveyRound).where(SurveyRound.id == survey_id).values(**values))
