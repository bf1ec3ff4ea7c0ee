"""The survey form a respondent opens from a link or a one-time code (QR on the paper phiếu, Zalo,
e-mail): no account, no JavaScript, a phone first; Vietnamese pages for every way a form is not taken.

Nothing here keeps who answered: no cookie is set (the form carries its own signed token instead of
the workspace's CSRF token), the access log leaves these paths out, and the answer is stored without
its code, address, browser or time (``service.store.survey_collection``)."""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from service.domain.survey_forms import checked_answers, field_name, questions, respondent_names
from service.store.survey_collection import (NotTaken, Target, add_payee, by_code, by_link, is_open, normal_code,
                                             take_form)

from . import background, cache
from .clock import today
from .security import engine

bp = Blueprint("survey_public", __name__)

#: Public paths: the short one a QR code holds, and the group's link.
PREFIX = "/ks"
#: What the respondent's page says for each way a form is not taken, and its HTTP status.
STATUS = {"da-dong": 410, "chua-mo": 403, "du-phieu": 410, "ma-da-dung": 409, "da-gui": 409, "khong-tra": 404}


class _NoSurveyPaths(logging.Filter):
    """The access log of the development server names the address of every request: not for a survey."""

    def filter(self, record: logging.LogRecord) -> bool:
        return f'"GET {PREFIX}' not in record.getMessage() and f'"POST {PREFIX}' not in record.getMessage()


logging.getLogger("werkzeug").addFilter(_NoSurveyPaths())


def signed(text: str) -> str:
    """An HMAC of ``text`` under the app's secret (form tokens and carried entries: no server state)."""
    key = current_app.secret_key.encode() if isinstance(current_app.secret_key, str) else current_app.secret_key
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def _signature(target: Target, nonce: str) -> str:
    return signed(f"phieu|{target.survey.id}|{target.unit_id}|{target.group_id}|{nonce}")[:32]


def form_token(target: Target) -> str:
    """A token for one showing of the form: signed (a bot that never fetched the form has none) and
    spent when the form is counted (a replay of the same page counts once)."""
    nonce = secrets.token_urlsafe(12)
    return f"{nonce}.{_signature(target, nonce)}"


def _token_valid(target: Target, token: str) -> bool:
    nonce, _, signature = token.partition(".")
    return bool(nonce) and len(token) < 100 and hmac.compare_digest(signature, _signature(target, nonce))


def _page(template: str, status: int = 200, **context):
    response = current_app.make_response((render_template(template, **context), status))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _notice(title: str, message: str, status: int):
    return _page("survey_notice.html", status, title=title, message=message)


@bp.route(PREFIX, methods=["GET"])
def enter_code():
    """Type the code printed on the phiếu (for those who cannot scan its QR)."""
    typed = normal_code(request.args.get("ma", ""))
    if typed:
        return redirect(url_for("survey_public.by_code_form", code=typed))
    return _page("survey_code.html")


@bp.route(f"{PREFIX}/<code>", methods=["GET", "POST"])
def by_code_form(code: str):
    target = by_code(engine(), code) if len(code) <= 32 else None
    if target is None:
        return _notice("Mã phiếu không đúng", "Không tìm thấy phiếu khảo sát với mã này. Xin kiểm tra lại mã in trên "
                                              "phiếu (chữ in hoa và số, không có chữ O, I, L và số 0, 1).", 404)
    if target.code_used and request.method == "GET":
        return _notice("Mã phiếu đã được dùng", "Mã phiếu này đã được dùng để trả lời; mỗi mã chỉ trả lời một lần. "
                                                "Xin cảm ơn ông (bà).", 409)
    return _answer(target, code=normal_code(code))


@bp.route(f"{PREFIX}/lien-ket/<link>", methods=["GET", "POST"])
def by_link_form(link: str):
    target = by_link(engine(), link) if len(link) <= 64 else None
    if target is None:
        return _notice("Đường dẫn không đúng", "Không tìm thấy phiếu khảo sát theo đường dẫn này. Xin mở lại đường dẫn "
                                               "trong tin nhắn hoặc thư mời tham gia khảo sát.", 404)
    return _answer(target)


def _answer(target: Target, code: str | None = None):
    """The form (GET), or the form counted, refused with the questions named, or not taken (POST)."""
    day = today()
    closed = is_open(target.survey, day)
    if closed is not None:
        return _notice("Khảo sát không nhận phiếu", str(closed), STATUS[closed.reason])
    if target.received >= target.quota and request.method == "GET":
        return _notice("Đã đủ phiếu", "Cuộc khảo sát đã nhận đủ số phiếu cần cho nhóm đối tượng này. Xin cảm ơn ông (bà) "
                                      "đã sẵn lòng tham gia.", 410)
    campaign = cache.survey_core(target.survey.campaign_id)
    asked = questions(campaign, target.unit_id, target.group_id)
    if not asked:
        abort(404)
    context = {"campaign": campaign, "unit": campaign.unit(target.unit_id),
               "group_name": respondent_names(campaign)[target.group_id], "questions": asked,
               "field_name": field_name, "survey": target.survey, "chosen": {}, "errors": {}}
    if request.method == "GET":
        return _page("survey_form.html", token=form_token(target), **context)
    token = request.form.get("phieu", "")
    if not _token_valid(target, token):
        return _notice("Phiếu không hợp lệ", "Phiếu gửi lên không phải phiếu do hệ thống cấp (có thể đã quá cũ). Xin "
                                             "mở lại đường dẫn hoặc mã phiếu rồi trả lời lại.", 400)
    answers, errors = checked_answers(asked, request.form)
    if errors:
        chosen = {field_name(q.code): request.form.get(field_name(q.code), "") for q in asked}
        return _page("survey_form.html", 422, token=token, **{**context, "chosen": chosen, "errors": errors})
    try:
        take_form(engine(), target.survey.id, target.unit_id, target.group_id, answers, "truc-tuyen", day,
                  code=code, form_token=token)
    except NotTaken as refused:
        return _notice("Phiếu chưa được tính", str(refused), STATUS[refused.reason])
    background.after_survey_form(target.survey.campaign_id)
    payee = f"{secrets.token_urlsafe(12)}" if target.survey.pays_per_form else None
    return _page("survey_thanks.html", survey=target.survey, unit=context["unit"],
                 payee_token=f"{payee}.{_payee_signature(target.survey.id, payee)}" if payee else None)


def _payee_signature(survey_id: int, nonce: str) -> str:
    return signed(f"thu-lao|{survey_id}|{nonce}")[:32]


@bp.route(f"{PREFIX}/thu-lao/<int:survey_id>", methods=["POST"])
def payee(survey_id: int):
    """Who is to be paid for a form (when the province pays per form): kept in a list apart from the
    answers, with no unit, group, code or time; one entry per answered form (its token is spent)."""
    token = request.form.get("thu-lao", "")
    nonce, _, signature = token.partition(".")
    if not nonce or len(token) > 100 or not hmac.compare_digest(signature, _payee_signature(survey_id, nonce)):
        return _notice("Không ghi được", "Phần ghi nhận thù lao chỉ dùng ngay sau khi gửi phiếu.", 400)
    name = " ".join(request.form.get("ho-ten", "").split())[:200]
    contact = " ".join(request.form.get("lien-he", "").split())[:200]
    problems = [text for text, bad in (("Họ tên: chưa ghi.", not name), ("Số điện thoại hoặc tài khoản: chưa ghi.",
                                                                         not contact))
                if bad] + [f"{label}: có ký tự không dùng được." for label, value in (("Họ tên", name), ("Liên hệ", contact))
                           if any(ord(ch) < 32 for ch in value)]
    if problems:
        return _page("survey_thanks.html", 422, survey=None, unit=None, payee_token=token, payee_survey=survey_id,
                     payee_errors=problems, typed={"ho-ten": name, "lien-he": contact})
    try:
        add_payee(engine(), survey_id, token, name, contact)
    except NotTaken as refused:
        return _notice("Không ghi được", str(refused), 409 if refused.reason == "da-gui" else 404)
    return _notice("Đã ghi nhận", "Cảm ơn ông (bà). Thông tin nhận thù lao được ghi riêng, không gắn với câu trả lời.", 200)
