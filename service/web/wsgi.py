"""WSGI entry point for gunicorn: ``gunicorn 'service.web.wsgi:app'`` (DATABASE_URL, CCHC_DATA_DIR)."""
import gc

from service.web import create_app

from service.web.background import first_worker_of_its_server, warm_drafts

app = create_app()
if first_worker_of_its_server(app):     # gunicorn's other workers find the first one's mark
    warm_drafts(app)
# What the imports and the app made lives as long as the process: out of the garbage collector's
# walks, whose full passes otherwise stop every request of the process for a fifth of a second.
gc.freeze()
