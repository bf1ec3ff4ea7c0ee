"""Alembic, driven from code: ``upgrade(url)`` brings a database to the latest schema — once, however
many workers start at the same moment (PostgreSQL: under an advisory lock; SQLite: its write lock,
taken at BEGIN), and ``wait_and_upgrade`` keeps retrying while the database is not there yet."""
from __future__ import annotations

import logging
import time
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.exc import DBAPIError, OperationalError

from .db import database_url, make_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: pg_advisory_lock key of the schema upgrade ('CCHC' in ASCII).
LOCK_KEY = 0x43434843
log = logging.getLogger("cchc.migrate")


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url(url).replace("%", "%%"))
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    config = alembic_config(url)
    engine = make_engine(database_url(url))
    try:
        if engine.dialect.name != "postgresql":
            command.upgrade(config, revision)
            return
        with engine.connect() as connection:
            connection.exec_driver_sql(f"SELECT pg_advisory_lock({LOCK_KEY})")
            connection.commit()
            try:
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
            finally:
                connection.rollback()
                connection.exec_driver_sql(f"SELECT pg_advisory_unlock({LOCK_KEY})")
                connection.commit()
    finally:
        engine.dispose()


def wait_and_upgrade(url: str | None = None, wait_seconds: float = 300, pause: float = 2.0) -> None:
    """``upgrade``, retried while the database does not answer (a worker started before its
    database keeps trying instead of crashing); RuntimeError with a Vietnamese message at the end."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            upgrade(url)
            return
        except (OperationalError, DBAPIError) as error:
            if time.monotonic() >= deadline:
                raise RuntimeError(f"không kết nối được cơ sở dữ liệu sau {wait_seconds:.0f} giây: "
                                   f"{str(error.orig).splitlines()[0] if error.orig else error}") from None
            log.warning("Cơ sở dữ liệu chưa sẵn sàng (%s); thử lại sau %.0f giây",
                        str(error.orig).splitlines()[0] if error.orig else type(error).__name__, pause)
            time.sleep(pause)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)
