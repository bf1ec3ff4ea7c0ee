"""The campaign workspace (Flask): log in, dashboard, results, document preview and download, JSON API.

``create_app`` builds the app from configuration (Flask's tutorial pattern); the database handle is
an engine in ``app.extensions``; pages live in ``views``, the API in ``api``, access rules in ``security``.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from service.store.db import make_engine
from service.store.migrate import upgrade

MAX_UPLOAD = 20 * 1024 * 1024


def _secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(database_url: str | None = None, *, testing: bool = False, secret_key: str | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(Path(os.environ.get("CCHC_DATA_DIR", "instance")).resolve()))
    app.config.update(
        SECRET_KEY=secret_key or _secret_key(Path(app.instance_path)),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="cchc_session",
        MAX_CONTENT_LENGTH=MAX_UPLOAD,
        TESTING=testing,
        JSON_AS_ASCII=False,
    )
    upgrade(database_url)
    app.extensions["cchc_engine"] = make_engine(database_url)
    app.extensions["cchc_cache"] = {}

    from . import admin, api, drafts, errors, forms, security, signing, views
    app.register_blueprint(security.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(forms.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(drafts.bp)
    app.register_blueprint(signing.bp)
    app.register_blueprint(api.bp)
    errors.register(app)
    app.jinja_env.globals["csrf_token"] = security.csrf_token
    from service.vietnamese import capitalize_first
    app.jinja_env.filters["first_upper"] = capitalize_first        # Jinja's capitalize lowercases the rest
    app.jinja_env.filters["recipient_line"] = lambda r: f"{r.name} ({r.note})" if r.note else r.name
    return app
