"""Campaign text with its placeholders filled in: citations, the year, computed survey totals."""
from __future__ import annotations

import re

from data_models import Campaign, LegalReference
from data_models.placeholders import PLACEHOLDER, parse_placeholders
from service.vietnamese import CITATION_NAMES, format_citation_date, format_number, format_reference_number


def cite(reference: LegalReference, form: str, style: str) -> str:
    """A citation in one of four forms (ND30 PL II V.7: full on first mention, short later).

    full: ``Kế hoạch số 3403/KH-UBND ngày 15/12/2022 của Ủy ban nhân dân tỉnh Hà Nam về …``;
    cua: without the trích yếu; ngay: type, số/ký hiệu and date; so: type and số/ký hiệu.
    """
    text = f"{CITATION_NAMES[reference.type]} số {format_reference_number(reference.number, reference.symbol)}"
    if form == "so":
        return text
    date = reference.date
    text += f" ngày {format_citation_date(date.year, date.month, date.day, style)}"
    if form == "ngay":
        return text
    text += f" của {reference.issuer}"
    if form == "cua" or not reference.title:
        return text
    return f"{text} {reference.title}"


#: Capitals older originals gave common nouns; a newly drafted document writes them in lower case
#: (ND30 PL II: "cải cách hành chính", "nhà nước") when they follow other words (D33).
MODERN_CASE = (("Cải cách hành chính", "cải cách hành chính"), ("Nhà nước", "nhà nước"))


def modern_case(text: str) -> str:
    """``text`` with MODERN_CASE's common nouns in lower case after a lower-case word."""
    for old, new in MODERN_CASE:
        text = re.sub(rf"(?<=[a-zà-ỹđ,] ){old}", new, text)
    return text


class TextFiller:
    """Fills placeholders for one document: its citation style and the campaign's computed values."""

    def __init__(self, campaign: Campaign, style: str, survey_total: int | None = None, values: dict | None = None,
                 modern: bool = False):
        self.references = {ref.id: ref for ref in campaign.plan.references}
        self.style = style
        self.modern = modern                # a new document: common nouns of cited titles in lower case
        self.values = {"year": str(campaign.year), **(values or {})}
        if survey_total is not None:
            self.values["survey_total"] = format_number(survey_total)

    def __call__(self, text: str) -> str:
        placeholders = {p.text: p for p in parse_placeholders(text)}
        if not placeholders:
            return text

        def replace(match) -> str:
            placeholder = placeholders[match.group(0)]
            if placeholder.name == "ref":
                citation = cite(self.references[placeholder.ref_id], placeholder.form, self.style)
                return modern_case(citation) if self.modern else citation
            if placeholder.name not in self.values:
                raise ValueError(f"trường thay thế {placeholder.text} không dùng được trong văn bản này"
                                 + (" (chưa có Tờ trình đề nghị ban hành văn bản này)" if placeholder.name == "proposal" else ""))
            return self.values[placeholder.name]

        return PLACEHOLDER.sub(replace, text)



def reference_placeholders(campaign: Campaign) -> list[tuple[str, str, str]]:
    """(reference id, ``{ref:ID}`` printed, ``{ref:ID:so}`` printed) for each reference the plan
    declares: the drafting pages show a drafter what each placeholder becomes in this campaign."""
    fill = TextFiller(campaign, campaign.plan.citation_style)
    return [(r.id, fill(f"{{ref:{r.id}}}"), fill(f"{{ref:{r.id}:so}}")) for r in campaign.plan.references]
