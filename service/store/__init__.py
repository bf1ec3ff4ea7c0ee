"""Persistence: SQLAlchemy 2 models, Alembic migrations, the register of outgoing documents.
SQLite (a file) by default; PostgreSQL through DATABASE_URL."""
