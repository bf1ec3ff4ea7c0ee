"""Everything Vietnamese and Decree 30 about how text is written: the only place that knows it.

Pure functions, no I/O: dates, numbers, number words, document numbers and symbols, signature
blocks and Nơi nhận.
"""
from .dates import (BLANK, VIETNAM, check_date, local_time, format_citation_date, format_nd30_date, format_place_date,
                    nd30_day, nd30_month)
from .numbers import format_count, format_money, format_number, round_half_up, to_roman
from .recipients import recipient_lines
from .signature import signature_title_lines, upper_vi
from .slugs import ascii_slug
from .symbols import (CITATION_NAMES, DOCUMENT_TYPES, NUMBER_BLANK, check_abbreviation, document_symbol,
                      document_type, format_document_number, format_number_line, format_reference_number,
                      unbreakable_segments)
from .words import (amount_in_words, amount_in_words_line, capitalize_first, parse_vietnamese_number,
                    read_number_vi)

__all__ = [name for name in dir() if not name.startswith("_")]
