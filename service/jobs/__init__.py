"""Work off the request path, on Celery: drafts rendered in the background after an edit, and the
whole dossier of a campaign as one ZIP. See ``queue`` for the two modes (embedded, Redis)."""
