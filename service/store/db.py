"""Engines for SQLite (the embedded default) and PostgreSQL (DATABASE_URL)."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session

DEFAULT_SQLITE = Path(os.environ.get("CCHC_DATA_DIR", "instance")) / "cchc.sqlite3"


def database_url(url: str | None = None) -> str:
    """The given URL, else DATABASE_URL, else the SQLite file under CCHC_DATA_DIR (default ./instance)."""
    if url:
        return url
    if os.environ.get("DATABASE_URL"):
        value = os.environ["DATABASE_URL"]
        return value.replace("postgres://", "postgresql+psycopg://", 1) if value.startswith("postgres://") else value
    DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE}"


def make_engine(url: str | None = None) -> Engine:
    """An engine; for SQLite: WAL, foreign keys, a 30 s busy timeout, and write transactions that take
    the write lock at BEGIN (IMMEDIATE), so concurrent writers queue instead of deadlocking."""
    url = database_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None   # let SQLAlchemy's BEGIN below be the only BEGIN
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


def reader(engine: Engine) -> Session:
    """A session for reads that need no transaction of their own; what it loads stays usable once it
    is closed. On PostgreSQL each statement then stands alone (autocommit): a read costs its
    statements' round trips and not also a BEGIN and a ROLLBACK, which under a rush wait for the same
    two cores as everything else. It sees what it would see anyway: under READ COMMITTED every
    statement of a transaction takes its own snapshot. SQLite has no round trips to save and keeps its
    transactions. Never for a read that a write relies on."""
    session = Session(engine, expire_on_commit=False)
    if engine.dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    return session
