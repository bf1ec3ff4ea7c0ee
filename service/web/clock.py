"""The time the workspace runs at: now, or the moment a test fixes (app.config['CCHC_NOW'], a callable)."""
from __future__ import annotations

import datetime as dt

from flask import current_app

from service.store.register import vietnam_today


def now() -> dt.datetime:
    fixed = current_app.config.get("CCHC_NOW")
    return fixed() if fixed else dt.datetime.now(dt.timezone.utc)


def today() -> dt.date:
    """Today in Vietnam: the day deadlines and dates are counted in."""
    return vietnam_today(now())
