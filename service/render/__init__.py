"""Writers: a composed document (frame + body) to DOCX (docxtpl) and PDF (HTML + weasyprint)."""
