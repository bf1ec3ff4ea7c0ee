"""Rendered files kept by content hash, shared by every process and machine: a download, a preview
or a job that asks for a document already rendered reads it instead of rendering it again."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import RenderedFile


def kept_file(engine: Engine, key: str) -> bytes | None:
    """The file rendered for ``key``, or None."""
    with Session(engine) as session:
        return session.scalar(select(RenderedFile.data).where(RenderedFile.key == key))


def keep_file(engine: Engine, key: str, fmt: str, data: bytes) -> None:
    """Keep ``data`` under ``key``; two processes rendering the same document at once both succeed
    (the second finds the first's row: same key, same content)."""
    try:
        with Session(engine) as session, session.begin():
            if session.get(RenderedFile, key) is None:
                session.add(RenderedFile(key=key, fmt=fmt, data=data, size=len(data)))
    except IntegrityError:
        pass


def forget_old_files(engine: Engine, before: dt.datetime) -> int:
    """Remove files kept before ``before`` (a file asked for again is rendered again and kept anew);
    how many. Issued documents are not here: their files live with their versions."""
    with Session(engine) as session, session.begin():
        return session.execute(delete(RenderedFile).where(RenderedFile.created_at < before)).rowcount or 0


def kept_count(engine: Engine) -> int:
    from sqlalchemy import func
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(RenderedFile)) or 0
