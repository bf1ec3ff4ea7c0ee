"""WSGI entry point for gunicorn: ``gunicorn 'service.web.wsgi:app'`` (DATABASE_URL, CCHC_DATA_DIR)."""
from service.web import create_app

app = create_app()
