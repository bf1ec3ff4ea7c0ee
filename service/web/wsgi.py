"""WSGI entry point for gunicorn: ``gunicorn 'service.web.wsgi:app'`` (DATABASE_URL, CCHC_DATA_DIR)."""
import gc

from service.web import create_app

from service.web.background import warm_drafts

app = create_app()
warm_drafts(app)        # queued once per process; a draft another process rendered is a cache hit
# What the imports and the app made lives as long as the process: out of the garbage collector's
# walks, whose full passes otherwise stop every request of the process for a fifth of a second.
gc.freeze()
