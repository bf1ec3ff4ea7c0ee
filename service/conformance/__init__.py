"""Decree 30 conformance of a DOCX, read back with python-docx (effective formatting resolved)."""
from .nd30 import Violation, check_docx

__all__ = ["Violation", "check_docx"]
