"""The page of API tokens (issue 15): every account makes its own tokens, shown once — never one for
someone else (review S2: the admin would approve as the Director). The Sở Nội vụ's admin also sees
every token of the province with its scope, expiry and last use, and revokes any with one click. The
server's operator makes tokens from the shell with ``cchc token create``."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from service.editing.forms import parse_typed_date
from service.store.api_tokens import SCOPES, create_token, revoke_token, tokens_of
from service.store.users import ROLES
from service.vietnamese.dates import VIETNAM

from . import access
from .clock import now
from .editing import form_value
from .security import engine, roles_required

bp = Blueprint("tokens", __name__)


#: Everyone but the system administrator, who has no province to act in.
TOKEN_ROLES = tuple(role for role in ROLES if role != "system")


def _everyone_of_the_province() -> bool:
    return g.user.role == "admin"


def _page(errors=None, values=None, created=None):
    tokens = tokens_of(engine(), g.user.organisation_id, None if _everyone_of_the_province() else g.user.id)
    return render_template("api_tokens.html", tokens=tokens, whole_province=_everyone_of_the_province(),
                           scopes=SCOPES, roles=ROLES, errors=errors or {}, values=values or {}, created=created,
                           value=form_value(values), moment=now()), (400 if errors else 200)


@bp.route("/tai-khoan/ma-truy-cap", methods=["GET", "POST"])
@roles_required(*TOKEN_ROLES)
def index():
    if request.method == "GET":
        return _page()
    values = dict(request.form.items())
    errors: dict[str, str] = {}
    expires = None
    if values.get("het-han", "").strip():
        try:
            day = parse_typed_date(values["het-han"].strip())
            expires = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=VIETNAM)
        except ValueError as error:
            errors["het-han"] = str(error)
    if values.get("pham-vi") not in SCOPES:
        errors["pham-vi"] = "chọn phạm vi: chỉ đọc, hoặc đọc và ghi"
    if not errors:
        try:
            token_id, token = create_token(engine(), g.user.username, scope=values["pham-vi"], expires=expires,
                                           name=values.get("ghi-chu", ""), actor=g.user.username,
                                           organisation_id=g.user.organisation_id, now=now())
        except ValueError as error:
            field = "het-han" if "hết hạn" in str(error) else "pham-vi"
            errors[field] = str(error)
        else:
            return _page(created=(token_id, g.user.username, token))
    return _page(errors, values)


@bp.route("/tai-khoan/ma-truy-cap/<int:token_id>/thu-hoi", methods=["POST"])
@roles_required(*TOKEN_ROLES)
def revoke(token_id: int):
    try:
        revoke_token(engine(), token_id, g.user.username, g.user.organisation_id, now=now(),
                     user_id=None if _everyone_of_the_province() else g.user.id)
    except LookupError:
        access.not_found("mã truy cập này")
    flash(f"Đã thu hồi mã truy cập số {token_id}: hệ thống dùng mã này không truy cập được nữa.")
    return redirect(url_for("tokens.index"))
