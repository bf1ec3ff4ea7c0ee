"""The block language of a kind template (``doc_templates/kinds/*.txt``), read after the template's
Jinja part has run: one line per paragraph, and lines that start with ``@`` for structure.

Numbering is computed here, never typed: mục I, II …; tiểu mục 1, 2 …; Điều 1, 2 …; khoản 1, 2 …;
điểm a), b) … đ) in the Vietnamese letter order; phụ lục I, II … (a single one is just "Phụ lục").
Inserting a Điều renumbers the rest, and a reference to it (``{{ dieu("thi-hanh") }}``) follows.

Values from the data arrive as opaque tokens (``VALUE_OPEN`` n ``VALUE_CLOSE``), so nothing typed in
a form — a leading '@', a '|', a parenthesis, a new line — can change the structure.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from service.vietnamese import to_roman

from .body import Annex, Block, Column, Image, Paragraph, Run, Table, cell_paragraph, paragraph

VALUE_OPEN, VALUE_CLOSE = "\ue000", "\ue001"
REF_OPEN, REF_CLOSE = "\ue002", "\ue003"
_VALUE = re.compile(f"{VALUE_OPEN}(\\d+){VALUE_CLOSE}")
_REF = re.compile(f"{REF_OPEN}([a-z-]+):([^{REF_CLOSE}]*){REF_CLOSE}")
_DIRECTIVE = re.compile(r"^@([^\s(:]+)(?:\(([^()]*)\))?[ \t]*(.*)$")
_COLUMN = re.compile(r"^(.*)\(([^()]*)\)\s*$")
POINT_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
ALIGNS = {"giữa": "center", "giua": "center", "trái": "left", "trai": "left", "phải": "right", "phai": "right",
          "đều": "both", "deu": "both"}
MAX_TABLE_WIDTH_MM = 252            # a landscape page's text width

#: Directives whose following lines (until a blank line or the next directive) belong to them.
COLLECTING = {"trich-yeu", "can-cu", "noi-nhan", "liet-ke", "dong"}
#: Options each directive accepts (paragraph options, plus its own).
PARAGRAPH_OPTIONS = {"giua", "phai", "trai", "deu", "dam", "nghieng", "khong-thut", "giu-voi-sau", "trang-moi",
                     "cach-tren", "co-chu"}
OPTIONS = {
    "trich-yeu": set(), "v-v": set(), "can-cu": set(), "noi-nhan": set(), "quyet-dinh": set(),
    "muc": PARAGRAPH_OPTIONS, "tieu-muc": PARAGRAPH_OPTIONS | {"cap"}, "dieu": {"#"}, "khoan": PARAGRAPH_OPTIONS,
    "diem": PARAGRAPH_OPTIONS, "doan": PARAGRAPH_OPTIONS, "liet-ke": PARAGRAPH_OPTIONS, "bang": {"co-chu"},
    "dong": {"dam"}, "hinh": set(), "phu-luc": {"ngang", "#"},
}


class MarkupError(ValueError):
    """A template's structure is wrong (Vietnamese, naming the line as the template produced it)."""


@dataclass(frozen=True)
class TableRows:
    """Rows a composer computed for a table whose columns the template declares: each cell a text
    (its lines become paragraphs) or a list of texts; ``bold`` by row index."""
    rows: tuple[tuple[str | tuple[str, ...], ...], ...]
    bold: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Chart:
    """A chart a composer can draw once the template has given its title (``@hinh {{ bieu_do }} Tiêu đề``)."""
    key: str
    width_mm: float
    draw: Callable[[str], bytes]


@dataclass(frozen=True)
class AnnexPart:
    label: str
    title: str
    landscape: bool
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Filled:
    """What a template produced: the frame's parts it words, the body, the annexes."""
    title: tuple[str, ...] | None
    subject: str | None
    recipients_first: tuple[str, ...]
    body: tuple[Block, ...]
    annexes: tuple[AnnexPart, ...]
    used: frozenset[str]

    def annex(self, reference: str, rule_for) -> tuple[Annex, ...]:
        """The annexes with their '(Kèm theo …)' line and the rule under their title."""
        return tuple(Annex(a.label, a.title, reference, a.blocks, rule_for(a.title, a.landscape), landscape=a.landscape)
                     for a in self.annexes)


@dataclass
class _Item:
    name: str
    options: dict[str, str]
    text: str = ""
    lines: list[str] = field(default_factory=list)
    number: str = ""                 # computed label: 'I', '1', 'a', 'Điều 3' …
    line: str = ""                   # as written, for messages


@dataclass
class _Counters:
    muc: int = 0
    dieu: int = 0
    khoan: int = 0
    diem: int = 0
    levels: list[int] = field(default_factory=lambda: [0] * 6)

    def reset_below_muc(self):
        self.levels = [0] * 6
        self.khoan = self.diem = 0


def parse_markup(text: str, values: list, overrides: dict | None = None) -> Filled:
    """The blocks of a filled template. ``values`` are what the tokens stand for; ``overrides``
    replace what a collecting directive's template lines say (the campaign's own trích yếu or căn cứ)."""
    items, annex_items = _items(text, values)
    labels = {"dieu": {}, "phu-luc": {}}
    annex_labels = _number(items, annex_items, labels)
    resolve = _Resolver(values, labels, annex_labels)
    overrides = overrides or {}
    title = subject = None
    recipients: list[str] = []
    used = {item.name for item in items} | {item.name for part in annex_items for item in part[1]}
    body = _blocks(items, resolve, overrides)
    for item in items:
        if item.name == "trich-yeu":
            title = tuple(resolve.text(line) for line in item.lines)
        elif item.name == "v-v":
            subject = resolve.text(item.text)
        elif item.name == "noi-nhan":
            recipients += [resolve.text(line) for line in item.lines]
    title = tuple(overrides["trich-yeu"]) if overrides.get("trich-yeu") else title
    subject = overrides.get("v-v") or subject
    annexes = tuple(AnnexPart(label, resolve.text(head.text).upper(), "ngang" in head.options,
                              tuple(_blocks(part, resolve, overrides)))
                    for label, (head, part) in zip(annex_labels, annex_items))
    return Filled(title, subject, tuple(recipients), tuple(body), annexes, frozenset(used))


# ---------------------------------------------------------------------------- lines → items
def _items(text: str, values: list) -> tuple[list[_Item], list[tuple[_Item, list[_Item]]]]:
    items: list[_Item] = []
    annexes: list[tuple[_Item, list[_Item]]] = []
    target = items
    collecting: _Item | None = None
    for raw in text.split("\n"):
        line = raw.rstrip()
        if not line.strip():
            collecting = None
            continue
        match = _DIRECTIVE.match(line.lstrip())
        if match is None:
            if collecting is not None:
                collecting.lines.append(line.strip())
            else:
                target.append(_Item("doan", {}, line.strip(), line=line))
            continue
        name, options, rest = match.group(1), match.group(2), match.group(3).strip()
        if name not in OPTIONS:
            raise MarkupError(f"khối '@{name}' không có (các khối: {', '.join('@' + n for n in OPTIONS)}); dòng: {_shown(line)}")
        options = _VALUE.sub(lambda m: _as_text(values[int(m.group(1))]), options or "")   # @tieu-muc(cap {{ n }})
        item = _Item(name, _options(name, options, line), rest, line=line)
        if name == "phu-luc":
            annexes.append((item, []))
            target = annexes[-1][1]
            collecting = None
            continue
        if name == "dong" and not any(i.name == "bang" for i in target):
            raise MarkupError(f"'@dong' phải đứng sau một '@bang'; dòng: {_shown(line)}")
        target.append(item)
        collecting = item if name in COLLECTING and not (name == "dong" and rest) else None
    return items, annexes


def _options(name: str, text: str, line: str) -> dict[str, str]:
    options = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if part.startswith("#"):
            key, value = "#", part[1:].strip()
        else:
            key, _, value = part.partition(" ")
        if key not in OPTIONS[name]:
            raise MarkupError(f"tùy chọn '{part}' không dùng được với '@{name}'; dòng: {_shown(line)}")
        options[key] = value.strip()
    return options


def _shown(line: str) -> str:
    return _VALUE.sub("{…}", line.strip())[:120]


# ---------------------------------------------------------------------------- numbering
def _number(items: list[_Item], annexes, labels) -> list[str]:
    counters = _Counters()
    for item in items:
        _count(item, counters, labels)
    annex_labels = ["Phụ lục"] if len(annexes) == 1 else [f"Phụ lục {to_roman(n)}" for n in range(1, len(annexes) + 1)]
    for label, (head, part) in zip(annex_labels, annexes):
        if head.options.get("#"):
            labels["phu-luc"][head.options["#"]] = label
        inner = _Counters()
        for item in part:
            _count(item, inner, labels)
    return annex_labels


def _count(item: _Item, counters: _Counters, labels) -> None:
    if item.name == "muc":
        counters.muc += 1
        counters.reset_below_muc()
        item.number = to_roman(counters.muc)
    elif item.name == "tieu-muc":
        level = _integer(item.options.get("cap", "1"), item, 1, 6) - 1
        counters.levels[level] += 1
        counters.levels[level + 1:] = [0] * (5 - level)
        counters.khoan = counters.diem = 0
        item.number = str(counters.levels[level])
    elif item.name == "dieu":
        counters.dieu += 1
        counters.khoan = counters.diem = 0
        item.number = str(counters.dieu)
        if item.options.get("#"):
            labels["dieu"][item.options["#"]] = f"Điều {counters.dieu}"
    elif item.name == "khoan":
        counters.khoan += 1
        counters.diem = 0
        item.number = str(counters.khoan)
    elif item.name == "diem":
        if counters.diem >= len(POINT_LETTERS):
            raise MarkupError(f"quá {len(POINT_LETTERS)} điểm trong một khoản; dòng: {_shown(item.line)}")
        item.number = POINT_LETTERS[counters.diem]
        counters.diem += 1


def _integer(text: str, item: _Item, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise MarkupError(f"'{text}' phải là số từ {low} đến {high}; dòng: {_shown(item.line)}")
    return value


# ---------------------------------------------------------------------------- items → blocks
class _Resolver:
    def __init__(self, values: list, labels: dict, annex_labels: list[str]):
        self.values, self.labels, self.annex_labels = values, labels, annex_labels

    def value(self, text: str):
        """The object a line's only token stands for (a table's rows, a picture)."""
        match = _VALUE.fullmatch(text.strip())
        return self.values[int(match.group(1))] if match else None

    def text(self, text: str) -> str:
        text = _VALUE.sub(lambda m: _as_text(self.values[int(m.group(1))]), text)
        return _REF.sub(self._reference, text)

    def _reference(self, match) -> str:
        kind, label = match.group(1), match.group(2)
        if kind == "cac-phu-luc":
            return ", ".join(self.annex_labels)
        try:
            return self.labels[kind][label]
        except KeyError:
            what = "Điều" if kind == "dieu" else "phụ lục"
            known = ", ".join(sorted(self.labels[kind])) or "chưa có nhãn nào"
            raise MarkupError(f"không có {what} mang nhãn '{label}' (các nhãn: {known})") from None


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (str, int, float, Decimal)) and not isinstance(value, bool):
        return str(value)
    raise MarkupError("một giá trị không phải chữ (bảng, hình) được đặt giữa dòng chữ: dùng '@bang' hoặc '@hinh'")


def _paragraph_options(options: dict[str, str], item: _Item, **defaults) -> dict:
    out = dict(defaults)
    for key, align in (("giua", "center"), ("phai", "right"), ("trai", "left"), ("deu", "both")):
        if key in options:
            out["align"] = align
            out["indent"] = False if key != "deu" else out.get("indent", True)
    if "dam" in options:
        out["bold"] = True
    if "nghieng" in options:
        out["italic"] = True
    if "khong-thut" in options:
        out["indent"] = False
    if "giu-voi-sau" in options:
        out["keep_next"] = True
    if "trang-moi" in options:
        out["page_break_before"] = True
    if "cach-tren" in options:
        out["space_before"] = _integer(options["cach-tren"], item, 0, 72)
    if "co-chu" in options:
        out["size"] = _integer(options["co-chu"], item, 8, 16)
    return out


def _lines_of(text: str) -> list[str]:
    """A resolved text as paragraphs: a value typed on several lines keeps its lines."""
    return [line for line in text.split("\n") if line.strip()]


def _blocks(items: list[_Item], resolve: _Resolver, overrides: dict) -> list[Block]:
    out: list[Block] = []
    table: _TableBuilder | None = None
    for item in items:
        if item.name == "dong":
            if table is None:
                raise MarkupError(f"'@dong' phải đứng ngay sau '@bang' hoặc một '@dong' khác; dòng: {_shown(item.line)}")
            table.add_row(item, resolve)
            continue
        if table is not None:
            out.append(table.build())
            table = None
        name, options = item.name, item.options
        if name in ("trich-yeu", "v-v", "noi-nhan"):
            continue
        if name == "doan":
            out += [paragraph(line, **_paragraph_options(options, item)) for line in _lines_of(resolve.text(item.text))]
        elif name == "muc":
            out.append(paragraph(f"{item.number}. {resolve.text(item.text).upper()}",
                                 **_paragraph_options(options, item, bold=True, keep_next=True)))
        elif name == "tieu-muc":
            out.append(paragraph(f"{item.number}. {resolve.text(item.text)}",
                                 **_paragraph_options(options, item, bold=True, keep_next=True)))
        elif name in ("khoan", "diem"):
            label = f"{item.number}. " if name == "khoan" else f"{item.number}) "
            lines = _lines_of(resolve.text(item.text)) or [""]
            out.append(paragraph(label + lines[0], **_paragraph_options(options, item)))
            out += [paragraph(line, **_paragraph_options(options, item)) for line in lines[1:]]
        elif name == "dieu":
            text = resolve.text(item.text)
            titled = bool(text.strip()) and not text.rstrip().endswith((".", ":", ";"))  # a title, not a sentence
            out.append(Paragraph((Run(f"Điều {item.number}. ", bold=True), Run(text, bold=titled)),
                                 keep_next=titled))
        elif name == "quyet-dinh":
            out.append(paragraph(resolve.text(item.text) or "QUYẾT ĐỊNH:", bold=True, align="center", indent=False,
                                 space_before=12, keep_next=True))
        elif name == "can-cu":
            lines = overrides.get("can-cu") or [resolve.text(line) for line in item.lines]
            out += [paragraph(line.rstrip(" ;.") + ("." if n == len(lines) - 1 else ";"), italic=True)
                    for n, line in enumerate(lines)]
        elif name == "liet-ke":
            lines = [resolve.text(line) for line in item.lines]
            out += [paragraph(line.rstrip(" ;.") + ("." if n == len(lines) - 1 else ";"), **_paragraph_options(options, item))
                    for n, line in enumerate(lines)]
        elif name == "bang":
            table = _TableBuilder(item, resolve)
        elif name == "hinh":
            out.append(_image(item, resolve))
    if table is not None:
        out.append(table.build())
    return out


def _image(item: _Item, resolve: _Resolver) -> Image:
    """'@hinh {{ bieu_do }} Tiêu đề': the chart the data names, drawn with the template's title."""
    head, _, title = item.text.partition(VALUE_CLOSE)
    value = resolve.value(head + VALUE_CLOSE) if head.startswith(VALUE_OPEN) else None
    if isinstance(value, Image):
        return value
    if isinstance(value, Chart):
        return Image(value.key, value.draw(resolve.text(title).strip()), value.width_mm)
    raise MarkupError(f"'@hinh' cần một biểu đồ từ dữ liệu ngay sau nó; dòng: {_shown(item.line)}")


class _TableBuilder:
    """'@bang [{{ rows }}]: Heading (width, align) | …', then optional '@dong' rows."""

    def __init__(self, item: _Item, resolve: _Resolver):
        self.item = item
        self.size = _integer(item.options.get("co-chu", "12"), item, 8, 16)
        head, _, spec = item.text.partition(":")
        if not spec.strip():
            raise MarkupError(f"'@bang' cần danh sách cột sau dấu ':' (Tên cột (rộng mm, giữa|trái|phải|đều) | …); "
                              f"dòng: {_shown(item.line)}")
        self.columns = tuple(self._column(part, resolve) for part in spec.split("|"))
        width = sum(c.width_mm for c in self.columns)
        if width > MAX_TABLE_WIDTH_MM:
            raise MarkupError(f"bảng rộng {width:g} mm, quá {MAX_TABLE_WIDTH_MM} mm của trang ngang; dòng: {_shown(item.line)}")
        self.rows: list[tuple] = []
        if head.strip():
            data = resolve.value(head)
            if not isinstance(data, TableRows):
                raise MarkupError(f"'@bang' trước dấu ':' chỉ đặt một bảng số liệu từ dữ liệu; dòng: {_shown(item.line)}")
            for index, row in enumerate(data.rows):
                self._check_width(row, item)
                self.rows.append(tuple(self._cell(column, [value] if isinstance(value, str) else list(value),
                                                  index in data.bold) for column, value in zip(self.columns, row)))

    def _cell(self, column: Column, texts: list[str], bold: bool) -> tuple[Paragraph, ...]:
        """A cell's paragraphs: one per line of its texts (a value typed on several lines keeps them)."""
        return tuple(cell_paragraph(line, column.align, self.size, bold=bold) for text in texts for line in text.split("\n"))

    def _column(self, part: str, resolve: _Resolver) -> Column:
        match = _COLUMN.match(part.strip())
        pieces = [p.strip() for p in match.group(2).split(",")] if match else []
        if not match or len(pieces) != 2 or ALIGNS.get(resolve.text(pieces[1]).lower()) is None:
            raise MarkupError(f"cột '{_shown(part)}' phải viết: Tên cột (rộng mm, giữa|trái|phải|đều); "
                              f"dòng: {_shown(self.item.line)}")
        try:
            width = float(resolve.text(pieces[0]).replace(",", "."))
        except ValueError:
            raise MarkupError(f"độ rộng cột '{_shown(pieces[0])}' phải là số mm; dòng: {_shown(self.item.line)}") from None
        width = int(width) if width.is_integer() else width          # 16, as typed; 17.5 stays
        return Column(resolve.text(match.group(1).strip()), width, ALIGNS[resolve.text(pieces[1]).lower()])

    def _check_width(self, row, item: _Item) -> None:
        if len(row) != len(self.columns):
            raise MarkupError(f"một dòng của bảng có {len(row)} ô nhưng bảng có {len(self.columns)} cột; "
                              f"dòng: {_shown(item.line)}")

    def add_row(self, item: _Item, resolve: _Resolver) -> None:
        bold = "dam" in item.options
        if item.text:
            cells = [[resolve.text(c.strip()).strip()] for c in item.text.split("|")]
        else:
            cells = [[]]
            for line in item.lines:
                if line == "|":
                    cells.append([])
                else:
                    cells[-1].append(resolve.text(line).strip())
        self._check_width(cells, item)
        self.rows.append(tuple(self._cell(column, cell, bold) for column, cell in zip(self.columns, cells)))

    def build(self) -> Table:
        return Table(self.columns, tuple(self.rows), size=self.size)
