"""The campaign workspace (Flask): log in, dashboard, results, document preview and download, JSON API.

``create_app`` builds the app from configuration (Flask's tutorial pattern); the database handle is
an engine in ``app.extensions``; pages live in ``views``, the API in ``api``, log-in and headers in
``security``, who may see what in ``access``.
"""
from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

from flask import Flask
from jinja2 import BytecodeCache
from werkzeug.routing import IntegerConverter, Rule

from service.store.db import make_engine
from service.store.migrate import wait_and_upgrade

#: A request (a form with its files) may carry this much; each evidence file has its own, smaller
#: limit, checked per file so that one large scan does not lose the rest of the form.
MAX_UPLOAD = 64 * 1024 * 1024


class _PageBytecode(BytecodeCache):
    """The pages' compiled templates kept for the process, so that an app made again in the same
    process (a second app on another database, the command line's, every test's) does not compile
    the same pages again. Jinja keys a bucket by the template's name and the checksum of its source,
    so an edited template is compiled anew."""

    def __init__(self):
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.codes:
            bucket.bytecode_from_string(self.codes[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


_PAGES = _PageBytecode()


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


def day_month_year(value) -> str:
    """A date, a partly written date or an ISO date string as the forms show it: dd/mm/yyyy (walk U30:
    not 8/12/2026); anything else unchanged."""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if hasattr(value, "year") and hasattr(value, "month") and hasattr(value, "day"):     # a PartialDate
        if value.day is not None:
            return f"{value.day:02d}/{value.month:02d}/{value.year}"
        return f"tháng {value.month:02d}/{value.year}" if value.month else f"năm {value.year}"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return f"{dt.date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            return value
    return value or ""


class DatabaseInteger(IntegerConverter):
    """<int:…> in a path: an identifier the database can hold (PostgreSQL's integer), else 404 — a
    client sending 17562374634 meets 'not found', not a database error (found by the API fuzzer)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


class _BuiltOnceRule(Rule):
    """A URL rule whose URL-building functions are made once a process. Werkzeug writes each rule's
    two builders as Python source and compiles them (0,3 ms a rule, most of making an app); an app
    made again in the same process — a second app on another database, the command line's, every
    test's — reuses them. A builder is a plain function of the rule it is bound to (it reads the
    rule's converters through ``self``), so it is shared between rules of the same shape: the same
    path, parts, defaults and converters."""

    _builders: dict = {}

    def _compile_builder(self, append_unknown: bool = True):
        converters = tuple(sorted((name, type(c).__qualname__, repr(sorted((k, v) for k, v in vars(c).items() if k != "map")))
                                  for name, c in self._converters.items()))
        key = (self.rule, self.host, self.subdomain, tuple(self._trace), repr(sorted((self.defaults or {}).items())),
               converters, append_unknown)
        builder = self._builders.get(key)
        if builder is None:
            builder = self._builders[key] = super()._compile_builder(append_unknown)
        return builder


def create_app(database_url: str | None = None, *, testing: bool = False, secret_key: str | None = None,
               **config) -> Flask:
    app = Flask(__name__, instance_path=str(Path(os.environ.get("CCHC_DATA_DIR", "instance")).resolve()))
    app.url_map.converters["int"] = DatabaseInteger
    app.url_rule_class = _BuiltOnceRule
    app.config.update(
        SECRET_KEY=secret_key or _secret_key(Path(app.instance_path)),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="cchc_session",
        SESSION_COOKIE_SECURE=os.environ.get("CCHC_SECURE_COOKIES", "") == "1",
        MAX_CONTENT_LENGTH=MAX_UPLOAD,
        TESTING=testing,
        JSON_AS_ASCII=False,
        CCHC_LOGIN_LIMIT_PER_ADDRESS=os.environ.get("CCHC_LOGIN_LIMIT_PER_ADDRESS", "120 per minute"),
        RATELIMIT_STORAGE_URI=os.environ.get("CCHC_RATELIMIT_STORAGE", "memory://"),
    )
    app.config.update(config)
    if os.environ.get("CCHC_PROXY_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = int(os.environ["CCHC_PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    wait_and_upgrade(database_url, float(os.environ.get("CCHC_DB_WAIT_SECONDS", 300)))
    app.extensions["cchc_engine"] = make_engine(database_url)
    from . import cache
    app.extensions["cchc_cache"] = cache.new_cache()
    from service.store.db import database_url as resolved_url
    from . import background
    background.init_app(app, resolved_url(database_url))

    from . import (accounts, admin, api, api_accounts, api_activity, api_data, api_documents, api_evidence, api_register, api_survey,
                   api_templates, api_tokens, api_unit_actions, documents, dossier, drafts, errors, forms, kind_templates,
                   edoc, input_guard, letters, security, signers, signing, survey_admin, survey_public, views)
    input_guard.init_app(app)                                       # before every other check of a request
    security.init_app(app)
    app.register_blueprint(security.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(forms.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(drafts.bp)
    app.register_blueprint(signing.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(api_documents.bp)
    app.register_blueprint(api_register.bp)
    app.register_blueprint(api_accounts.bp)
    app.register_blueprint(api_evidence.bp)
    app.register_blueprint(api_survey.bp)
    app.register_blueprint(api_templates.bp)
    app.register_blueprint(api_data.bp)
    app.register_blueprint(api_unit_actions.bp)
    app.register_blueprint(api_activity.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(api_tokens.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(letters.bp)
    app.register_blueprint(dossier.bp)
    app.register_blueprint(signers.bp)
    app.register_blueprint(kind_templates.bp)
    app.register_blueprint(survey_public.bp)
    app.register_blueprint(survey_admin.bp)
    app.register_blueprint(edoc.bp)
    errors.register(app)
    app.jinja_env.bytecode_cache = _PAGES
    app.jinja_env.globals["csrf_token"] = security.csrf_token
    from service.vietnamese import capitalize_first, local_time
    app.jinja_env.filters["first_upper"] = capitalize_first        # Jinja's capitalize lowercases the rest
    app.jinja_env.filters["recipient_line"] = lambda r: f"{r.name} ({r.note})" if r.note else r.name
    app.jinja_env.filters["dmy"] = day_month_year
    app.jinja_env.filters["local_time"] = local_time
    return app
