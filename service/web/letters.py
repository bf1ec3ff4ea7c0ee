"""The Sở Nội vụ's letters to each unit, all of one kind on one page (walk findings 12, U8): where each
one stands, what blocks it, and the step taken for the chosen ones at once — trình duyệt by the
drafter, duyệt by the leader, ban hành by the văn thư, ký số by the leader, đóng dấu số and phát hành
by the văn thư. Each letter is its own document: one that cannot take the step keeps its state and
says why on its row; the others go on. The page's script sends the letters a few at a time and shows
the progress; without it the whole list goes in one request.
"""
from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, render_template, request

from data_models import InvalidCampaign
from service.conformance.drafting import issue_blockers
from service.documents import KINDS
from service.domain.issuers import UNIT_LETTERS
from service.domain.lifecycle import ACTIONS, STATES, IllegalTransition, roles_for, steps_of
from service.domain.readiness import numbered_in_data
from service.store.issuing import NotReady, issue_document, issued_version, number_in_data
from service.store.lifecycle import StaleRevision, states_of, take_step
from service.signing.signers import SigningError
from service.store.register import NumberTaken
from service.store.remote_signing import SIGNING_ROLES as REMOTE_ROLES, remote_credential
from service.vietnamese.collation import search_key

from . import access, background, cache
from .clock import now, today
from .documents import issued_set
from .letter_signing import SIGNING_ACTIONS, sign_letters, signing_actions
from .security import engine, login_required

bp = Blueprint("letters", __name__)
#: The steps the page takes for several letters at once, in the order of the lifecycle.
BATCH_ACTIONS = ("trinh-duyet", "duyet", "ban-hanh", "phat-hanh")
#: Letters taken in one request (each issue renders its DOCX and PDF).
MOST_AT_ONCE = 200


def _kind(campaign_id: str, kind: str):
    campaign, _ = cache.campaign(campaign_id)
    if kind not in UNIT_LETTERS or kind not in KINDS:
        access.not_found(f"loại văn bản gửi đơn vị {kind!r}")
    access.require(g.user.role in ("admin", "leader", "vanthu"))
    return campaign


def allowed_actions(kind: str, role: str) -> list[str]:
    """The steps ``role`` takes on this page, in the order of the lifecycle (signing before sending)."""
    steps = steps_of(kind)
    lifecycle = [key for key in BATCH_ACTIONS if role in roles_for(ACTIONS[key], steps)]
    signing = signing_actions(role)
    return [key for key in lifecycle if key != "phat-hanh"] + signing + [key for key in lifecycle if key == "phat-hanh"]


#: The state a letter must be in for a signing step of the page.
SIGNING_SOURCE = {"ky-so": "da-ban-hanh", "dong-dau": "da-ky"}


def choosable(state: str, actions: list[str]) -> bool:
    """Whether a letter in ``state`` can take one of the user's steps (only those rows get a box)."""
    return any(SIGNING_SOURCE[key] == state if key in SIGNING_ACTIONS else state in ACTIONS[key].sources
               for key in actions)


def _label(key: str) -> str:
    return SIGNING_ACTIONS[key][1] if key in SIGNING_ACTIONS else ACTIONS[key].label


def concerned(campaign, kind: str) -> list:
    """The units a letter of ``kind`` is for (those the kind applies to), in the campaign's order."""
    return [unit for unit in campaign.units() if KINDS[kind].applies(campaign, unit.id)]


def _state_key(states: dict, kind: str, unit_id: str) -> str:
    state = states.get((kind, unit_id))
    return state.state if state else "du-thao"


#: A letter whose number the unit's data already holds (sent before the campaign came into the system).
OUTSIDE = "ngoai-he-thong"
OUTSIDE_LABEL = "Đã ban hành ngoài hệ thống"


def _step_of(campaign, states: dict, kind: str, unit_id: str) -> str:
    """The letter's step; a letter with no record here but numbered in the unit's data is issued outside."""
    if (kind, unit_id) not in states and numbered_in_data(campaign, kind, unit_id):
        return OUTSIDE
    return _state_key(states, kind, unit_id)


def letter_counts(campaign, kind: str, states: dict) -> dict[str, int]:
    """How many of the letters of ``kind`` stand at each step (the dashboard's line for the kind)."""
    counts: dict[str, int] = {}
    for unit in concerned(campaign, kind):
        key = _step_of(campaign, states, kind, unit.id)
        label = OUTSIDE_LABEL if key == OUTSIDE else STATES[key]
        counts[label] = counts.get(label, 0) + 1
    return counts


def letter_rows(campaign, kind: str, states: dict) -> list[dict]:
    """One row per unit the letter applies to: its state, number and what blocks issuing it now."""
    issued = issued_set(campaign.id, states)
    rows = []
    for unit in concerned(campaign, kind):
        state = states.get((kind, unit.id))
        key = _step_of(campaign, states, kind, unit.id)
        if key == OUTSIDE:
            rows.append({"unit": unit, "state": key, "label": OUTSIDE_LABEL, "official": True, "blocking": [],
                         "number": (number_in_data(campaign, kind, unit.id) or "").removeprefix("Số: ")})
            continue
        official = state is not None and state.official
        version = issued_version(engine(), state.current_version_id, with_pdf=False) if official and state.current_version_id else None
        blocking = [] if official else issue_blockers(campaign, kind, unit.id, issued, [], today=today(),
                                                      issue_date=today())
        rows.append({"unit": unit, "state": key, "label": STATES.get(key, key), "official": official,
                     "number": version.number_line.removeprefix("Số: ") if version else "", "blocking": blocking})
    return rows


def _take(campaign_id: str, kind: str, unit_id: str, action: str) -> None:
    if action == "ban-hanh":
        issue_document(engine(), campaign_id, kind, unit_id, g.user.username, role=g.user.role, now=now(),
                       organisation=g.user.organisation_id)
    else:
        take_step(engine(), campaign_id, kind, unit_id, action, g.user.username, g.user.role,
                  organisation=g.user.organisation_id)


def _outcome(campaign, kind: str, action: str, chosen: list[str]) -> list[tuple[str, bool, str]]:
    """(unit name, done, what happened) for each chosen unit, the step taken letter by letter."""
    if action in SIGNING_ACTIONS:
        return sign_letters(campaign, kind, chosen, states_of(engine(), campaign.id), action)
    outcomes = []
    for unit_id in chosen:
        name = campaign.unit(unit_id).name
        try:
            _take(campaign.id, kind, unit_id, action)
        except NotReady as error:
            outcomes.append((name, False, "chưa ban hành được: " + "; ".join(error.blocking)))
        except (IllegalTransition, StaleRevision, NumberTaken, ValueError) as error:
            outcomes.append((name, False, str(error)))
        except InvalidCampaign as error:
            outcomes.append((name, False, "; ".join(str(p) for p in error.problems)))
        else:
            label = ACTIONS[action].label
            outcomes.append((name, True, "đã " + label[:1].lower() + label[1:]))
    if action == "ban-hanh" and any(done for _, done, _ in outcomes):
        background.after_issue(campaign.id)
    return outcomes


@bp.route("/chien-dich/<campaign_id>/van-ban/<kind>/hang-loat", methods=["GET", "POST"])
@login_required
def batch(campaign_id: str, kind: str):
    campaign = _kind(campaign_id, kind)
    actions = allowed_actions(kind, g.user.role)
    outcomes, error, status = [], None, 200
    if request.method == "POST":
        action = request.form.get("thao-tac", "")
        if (action in BATCH_ACTIONS or action in SIGNING_ACTIONS) and action not in actions:
            abort(403, description="Vai trò của bạn không thực hiện bước này với văn bản gửi đơn vị.")
        chosen = list(dict.fromkeys(request.form.getlist("don-vi")))
        known = {unit.id for unit in concerned(campaign, kind)}
        if action not in actions:
            error, status = "Chọn một bước bằng các nút ở cuối bảng.", 400
        elif not chosen:
            error, status = "Chọn ít nhất một đơn vị (đánh dấu ở cột đầu của bảng).", 400
        elif any(unit_id not in known for unit_id in chosen):
            error, status = "Có đơn vị không thuộc danh sách văn bản này; tải lại trang rồi chọn lại.", 400
        elif len(chosen) > MOST_AT_ONCE:
            error, status = f"Mỗi lần thực hiện tối đa {MOST_AT_ONCE} văn bản.", 400
        elif action in ACTIONS and ACTIONS[action].irreversible and request.form.get("xac-nhan") != "1":
            error, status = f"Hãy đánh dấu xác nhận trước khi «{ACTIONS[action].label.lower()}» (không làm lại được).", 400
        else:
            try:
                outcomes = _outcome(campaign, kind, action, chosen)
            except SigningError as refused:      # the form lacks what every signature needs
                error, status = f"Chưa ký văn bản nào: {refused}.", 422
        if request.accept_mimetypes.best == "application/json":
            if error:
                return jsonify({"loi": error}), status
            states = states_of(engine(), campaign_id)
            return jsonify({"ket_qua": [{"ma": unit_id, "don_vi": name, "xong": done, "ghi_chu": what,
                                         "buoc": STATES[_state_key(states, kind, unit_id)]}
                                        for unit_id, (name, done, what) in zip(chosen, outcomes)]}), status
        campaign, _ = cache.campaign(campaign_id)
    states = states_of(engine(), campaign.id)
    rows = letter_rows(campaign, kind, states)
    for row in rows:
        row["choosable"] = choosable(row["state"], actions)
    wanted = {"tinh-trang": request.args.get("tinh-trang", ""), "tim": request.args.get("tim", "").strip()[:100]}
    folded = search_key(wanted["tim"]) if wanted["tim"] else None
    counts = letter_counts(campaign, kind, states)
    shown = [row for row in rows if (not wanted["tinh-trang"] or row["label"] == wanted["tinh-trang"])
             and (folded is None or folded in search_key(row["unit"].name))]
    return render_template("letters.html", campaign=campaign, kind=kind, label=KINDS[kind].label, rows=shown,
                           total=len(rows), counts=counts, wanted=wanted,
                           actions=[{"key": a, "label": _label(a)} for a in actions],
                           signing=[a for a in actions if a in SIGNING_ACTIONS],
                           remote_signing=remote_credential(engine(), g.user.id) if g.user.role in REMOTE_ROLES else None,
                           outcomes=outcomes, error=error), status
