"""Whether a template may word a kind, as a drafter saving it, an uploaded folder or `cchc templates
check` needs to know: what the template checker finds, then the campaign's real document rendered with
it and any Decree 30 fault it adds. No database: the workspace and the command line share it."""
from __future__ import annotations

from pathlib import Path

from data_models import Campaign
from service.conformance import check_docx
from service.documents import KINDS, available, compose
from service.documents.kind_templates import EXTENSION, PHRASES, TemplateError, check, kinds_with_templates
from service.render.docx_writer import render_docx

MAX_TEMPLATE_BYTES = 200_000
FOLDER = "templates"


class InvalidTemplate(ValueError):
    """A template that may not be used: its Vietnamese problems, one per line."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _sample_unit(campaign: Campaign, kind: str) -> str | None:
    document_kind = KINDS[kind]
    return next((u.id for u in campaign.units() if document_kind.applies(campaign, u.id)), None)


def problems_with(campaign: Campaign | None, kind: str, text: str, others: dict[str, str]) -> list[str]:
    """Why ``text`` may not word ``kind``: what check() finds, then — when the campaign has the data —
    the campaign's real document rendered with it and its Decree 30 faults that the template in force
    does not have."""
    if len(text.encode("utf-8")) > MAX_TEMPLATE_BYTES:
        return [f"mẫu quá {MAX_TEMPLATE_BYTES // 1000} kB"]
    problems = check(kind, text)
    if problems or campaign is None or kind == PHRASES:
        return problems
    document_kind = KINDS[kind]
    unit = _sample_unit(campaign, kind) if document_kind.per_unit else None
    if (document_kind.per_unit and unit is None) or (not document_kind.per_unit and not available(campaign, document_kind)):
        return []                                       # nothing of this campaign to render yet
    try:
        before = _faults(compose(campaign, kind, unit, others))
    except ValueError:                                  # the template in force no longer fits: nothing to compare
        before = []
    try:
        after = _faults(compose(campaign, kind, unit, {**others, kind: text}))
    except TemplateError as error:
        return [str(error)]
    except ValueError:
        return []                                       # the data are incomplete for this kind; the check above stands
    return [f"văn bản xem trước sai thể thức: {fault}" for fault in after if fault not in before]


def _faults(document) -> list[str]:
    if document.frame.bare:
        return []
    return [str(v) for v in check_docx(render_docx(document)) if "(cảnh báo)" not in v.message]


def template_kinds() -> list[str]:
    """Every kind that has a template, the shared phrases last."""
    return [k for k in kinds_with_templates() if k in KINDS] + [PHRASES]


def read_template_file(name: str, data: bytes) -> str:
    """An uploaded or folder template as text: UTF-8 (a BOM allowed), bounded, no NUL."""
    if len(data) > MAX_TEMPLATE_BYTES:
        raise InvalidTemplate([f"tệp {name!r} quá {MAX_TEMPLATE_BYTES // 1000} kB"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidTemplate([f"tệp {name!r} không phải văn bản UTF-8 (lưu lại tệp với mã hóa UTF-8)"]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def folder_templates(campaign_dir: Path, campaign: Campaign | None = None) -> dict[str, str]:
    """``CAMPAIGN_DIR/templates/<kind>.txt``, each checked (against ``campaign`` when given);
    InvalidTemplate with every problem, file by file, otherwise."""
    folder = Path(campaign_dir) / FOLDER
    if not folder.is_dir():
        return {}
    out, problems = {}, []
    for path in sorted(folder.iterdir()):
        kind = path.name[:-len(EXTENSION)] if path.name.endswith(EXTENSION) else None
        if kind not in template_kinds():
            problems.append(f"{path.name}: không phải mẫu của loại văn bản nào (các loại: "
                            f"{', '.join(k + EXTENSION for k in template_kinds())})")
            continue
        try:
            out[kind] = read_template_file(path.name, path.read_bytes())
        except InvalidTemplate as error:
            problems += error.problems
    for kind, text in out.items():
        problems += [f"{kind}{EXTENSION}: {p}" for p in problems_with(campaign, kind, text,
                                                                     {k: v for k, v in out.items() if k != kind})]
    if problems:
        raise InvalidTemplate(problems)
    return out
