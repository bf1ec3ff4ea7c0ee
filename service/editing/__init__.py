"""Editing a stored campaign from forms and uploads (Flask-free): each edit changes campaign.json in
place, reports what it changed for the audit trail, and names the form field of every error."""
