"""Devices a name has logged in from: a signed, long-lived cookie listing the names that logged in on
this browser. Someone who fails on purpose to keep an account locked (security review S8) locks it
everywhere but there: the owner's own browser still gets its password checked, and is not counted
against the address's limit, which a whole office behind one address shares."""
from __future__ import annotations

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "cchc_thiet_bi"
MAX_AGE = 180 * 24 * 3600            # seconds: a device stays known for half a year after its last log-in
MAX_NAMES = 5                        # names remembered per browser (a shared office computer)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="cchc-thiet-bi-da-dang-nhap")


def known_names() -> list[str]:
    """The name keys that logged in from this browser (empty when the cookie is missing or forged)."""
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > 2000:
        return []
    try:
        names = _serializer().loads(raw, max_age=MAX_AGE)
    except BadSignature:
        return []
    return [name for name in names if isinstance(name, str)][:MAX_NAMES] if isinstance(names, list) else []


def is_known(name_key: str | None) -> bool:
    return bool(name_key) and name_key in known_names()


def remember(response, name_key: str):
    """The response, with this browser now known for ``name_key``."""
    names = [name_key] + [name for name in known_names() if name != name_key]
    response.set_cookie(COOKIE, _serializer().dumps(names[:MAX_NAMES]), max_age=MAX_AGE, httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")), path="/dang-nhap")
    return response
