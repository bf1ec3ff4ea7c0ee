"""The ND30 frame templates: ``docx/`` (WordprocessingML parts, document.xml is a Jinja template
rendered by docxtpl) and ``html/`` (Jinja HTML + CSS for weasyprint). One frame, two writers."""
from pathlib import Path

TEMPLATES_DIR = Path(__file__).resolve().parent
DOCX_DIR = TEMPLATES_DIR / "docx"
HTML_DIR = TEMPLATES_DIR / "html"
