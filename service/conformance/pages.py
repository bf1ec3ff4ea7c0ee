"""Checks on the laid-out pages of a PDF (ours, or LibreOffice's rendering of our DOCX): the signature
block never stands alone on a page (D25: a văn thư reflows a page holding only 'Trân trọng./.' and
the signature)."""
from __future__ import annotations

import io
import re

from pypdf import PdfReader

#: What opens the Nơi nhận on the signature page ('Nơi nhận:'); a Biên bản has no Nơi nhận and is not checked.
RECIPIENTS_HEADING = re.compile(r"^\s*Nơi nhận:", re.M)
#: Lines that are not body text: the page number, and closing formulas alone.
NOT_BODY = re.compile(r"^\s*(\d+|Trân trọng\./\.|Trân trọng cảm ơn\./\.)\s*$")
#: Body lines the signature page must carry above the signature when the body runs onto it.
MIN_BODY_LINES = 2


def signature_alone(pdf: bytes) -> str | None:
    """Why the signature page holds too little body text (Vietnamese), or None when it is fine: on
    page 1, or with at least ``MIN_BODY_LINES`` lines of body text above the Nơi nhận."""
    reader = PdfReader(io.BytesIO(pdf))
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        match = RECIPIENTS_HEADING.search(text)
        if match is None:
            continue
        if number == 1:
            return None
        body = [line for line in text[:match.start()].splitlines() if line.strip() and not NOT_BODY.match(line)]
        if len(body) < MIN_BODY_LINES:
            return (f"trang {number} chỉ có chữ ký và {len(body)} dòng nội dung: chuyển thêm nội dung sang trang "
                    "chữ ký (không để chữ ký đứng riêng một trang)")
        return None
    return None
