"""WSGI entry point for gunicorn: ``gunicorn 'service.web.wsgi:app'`` (DATABASE_URL, CCHC_DATA_DIR)."""
import gc

from service.web import create_app

app = create_app()
# What the imports and the app made lives as long as the process: out of the garbage collector's
# walks, whose full passes otherwise stop every request of the process for a fifth of a second.
gc.freeze()
