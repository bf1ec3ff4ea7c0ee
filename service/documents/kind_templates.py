"""Kind templates: the wording of every document kind, outside Python.

A template is plain Vietnamese text with ``{{ tên_biến }}`` for facts, a few ``{% if %}`` /
``{% for %}``, and the block language of ``markup.py`` for structure. It runs in Jinja's immutable
sandbox with strict undefined variables and a budget per filling — loop turns and calls counted, a
wall-clock limit, every string that could grow (products, concatenation, padding, replace, join)
sized before it is made, printed values counted against the output limit — so a province's template
can neither reach Python internals nor starve the shared service of CPU or memory (review S4). Every error is
Vietnamese and names the template line and the variable (``dòng 14: biến 'hoi_dong.pho_chu_tich'
không tồn tại``).

The default templates live in ``doc_templates/kinds/<kind>.txt`` with their variables documented in
``<kind>.bien.json`` (``_chung.bien.json``: the variables every kind has). A province's or a
campaign's version is handed in by the caller as text; this module knows no database.
"""
from __future__ import annotations

import contextlib
import contextvars
import json
import re
import time
import traceback
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2 import meta, nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import TemplateError as JinjaError
from jinja2.visitor import NodeTransformer
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from doc_templates import TEMPLATES_DIR
from service.vietnamese import capitalize_first, upper_vi

from .markup import REF_CLOSE, REF_OPEN, VALUE_CLOSE, VALUE_OPEN, Chart, Filled, MarkupError, TableRows, parse_markup

KINDS_DIR = TEMPLATES_DIR / "kinds"
EXTENSION = ".txt"
TEMPLATE_NAME = "<mẫu>"
MAX_TEMPLATE_CHARS = 200_000
MAX_OUTPUT_CHARS = 4_000_000
MAX_RANGE_ITEMS = 20_000            # all range() calls of one filling together
MAX_STRING_PRODUCT = 100_000       # the longest string (or list) a template may build
MAX_STEPS = 100_000                 # loop turns and calls of one filling (the largest default needs ~300)
MAX_SECONDS = 10.0                  # wall-clock of one filling
FUNCTIONS = {"dieu": "«Điều n» của Điều mang nhãn (@dieu(#nhãn))",
             "phu_luc": "«Phụ lục I» của phụ lục mang nhãn (@phu-luc(#nhãn))",
             "cac_phu_luc": "mọi phụ lục, «Phụ lục I, Phụ lục II»",
             "range": "dãy số 0, 1, … (giới hạn)", "loop": "biến của vòng lặp"}


class TemplateError(ValueError):
    """A template that cannot be used: its Vietnamese reason, with the line when there is one."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(f"dòng {line}: {message}" if line else message)
        self.line = line


# ---------------------------------------------------------------------------- the sandbox
_VALUES: contextvars.ContextVar[list] = contextvars.ContextVar("template_values")
_RANGE_LEFT: contextvars.ContextVar[list[int]] = contextvars.ContextVar("template_range_left")
_PATHS: contextvars.ContextVar[dict[int, str]] = contextvars.ContextVar("template_paths")
_BUDGET: contextvars.ContextVar[list] = contextvars.ContextVar("template_budget")   # [steps left, deadline, printed]


class Record:
    """A mapping seen by a template as attributes (``hoi_dong.chu_tich``) that remembers where it
    is in the context, so an unknown attribute is reported with its full name."""
    __slots__ = ("_data", "_path")

    def __init__(self, data: dict, path: str):
        self._data, self._path = data, path

    def __getattr__(self, name: str):
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name):
        return self._data[name]

    def __contains__(self, name) -> bool:
        return name in self._data

    def __bool__(self) -> bool:
        return bool(self._data)

    def __iter__(self):
        raise TypeError(f"'{self._path}' không phải danh sách, không lặp được")


class _Undefined(jinja2.StrictUndefined):
    """Strict, with the variable's full name in Vietnamese."""

    def _fail_with_undefined_error(self, *args, **kwargs):
        owner = self._undefined_obj
        if self._undefined_hint and "unsafe" in self._undefined_hint:
            raise SecurityError(f"không được truy cập '{self._undefined_name}'")
        if isinstance(owner, Record):
            name = f"{owner._path}.{self._undefined_name}"
        elif owner is jinja2.utils.missing:
            name = str(self._undefined_name)
        else:
            name = f"{_PATHS.get({}).get(id(owner), type(owner).__name__)}.{self._undefined_name}"
        raise UndefinedError(f"biến '{name}' không tồn tại")



for _name in dir(jinja2.StrictUndefined):                  # every operation that fails, with our message
    if _name.startswith("__") and _name != "__getattr__" and \
            getattr(jinja2.StrictUndefined, _name) is jinja2.Undefined._fail_with_undefined_error:
        setattr(_Undefined, _name, _Undefined._fail_with_undefined_error)


def _wrap(value, path: str, paths: dict[int, str]):
    """The context as a template sees it: mappings as Records, every value's place remembered."""
    if isinstance(value, dict):
        return Record({k: _wrap(v, f"{path}.{k}", paths) for k, v in value.items()}, path)
    if isinstance(value, (list, tuple)) and not isinstance(value, TableRows):
        return [_wrap(v, f"{path}[{i}]", paths) for i, v in enumerate(value)]
    paths.setdefault(id(value), path)
    return value


_MARKERS = str.maketrans("", "", VALUE_OPEN + VALUE_CLOSE + REF_OPEN + REF_CLOSE)


class _Reference(str):
    """What dieu() / phu_luc() print: a marker resolved once everything is numbered."""


@jinja2.pass_context                                      # never at compile time: a token is per filling
def _finalize(context, value) -> str:
    """What ``{{ … }}`` prints: a token for the value, so the data never becomes structure."""
    if isinstance(value, _Reference):
        return str(value)
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()                    # raises, naming the variable
    if isinstance(value, Markup):                             # a macro's output: template text, values already tokens
        return value
    if isinstance(value, str):
        value = value.translate(_MARKERS)
    budget = _BUDGET.get(None)
    if budget is not None:
        budget[2] += len(value) if isinstance(value, str) else 1
        if budget[2] > MAX_OUTPUT_CHARS:
            raise TemplateError(f"mẫu sinh ra quá {MAX_OUTPUT_CHARS:,} ký tự".replace(",", "."))
    values = _VALUES.get()
    values.append(value)
    return f"{VALUE_OPEN}{len(values) - 1}{VALUE_CLOSE}"


def _reference(kind: str):
    def reference(label: str = "") -> str:
        return _Reference(f"{REF_OPEN}{kind}:{label}{REF_CLOSE}")
    return reference


def _step(count: int = 1) -> None:
    """Spend ``count`` steps of the filling's budget; SecurityError when it is spent or time is up."""
    budget = _BUDGET.get(None)
    if budget is None:
        return
    budget[0] -= count
    if budget[0] < 0:
        raise SecurityError(f"mẫu chạy quá {MAX_STEPS:,} bước".replace(",", ".") + " (lượt lặp, lời gọi)")
    if (budget[0] & 1023) == 0 or count > 1:
        if time.monotonic() > budget[1]:
            raise SecurityError(f"mẫu chạy quá {MAX_SECONDS:g} giây")


def _check_size(size: int) -> None:
    if size > MAX_STRING_PRODUCT:
        raise SecurityError(f"chuỗi hoặc danh sách dài quá {MAX_STRING_PRODUCT:,} phần tử".replace(",", "."))


def _counted_loop(iterable):
    """What a ``{% for %}`` walks: the same items, each turn spending a step."""
    for item in iterable:
        _step()
        yield item


def _sized_concat(*parts):
    """``a ~ b``: the joined string, sized before it is made."""
    texts = [part if isinstance(part, str) else str(part) for part in parts]
    _check_size(sum(len(text) for text in texts))
    return jinja2.runtime.markup_join(parts)


class _Budgeted(NodeTransformer):
    """Rewrites a parsed template so every loop turn and every ``~`` goes through the budget."""

    def visit_For(self, node):
        self.generic_visit(node)
        node.iter = nodes.Call(nodes.Name("_cchc_lap", "load"), [node.iter], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node):
        self.generic_visit(node)
        return nodes.Call(nodes.Name("_cchc_noi", "load"), list(node.nodes), [], None, None, lineno=node.lineno)


def _str_result_size(text: str, method: str, args: tuple) -> int | None:
    """How long a string method's answer would be (None: it cannot grow the string)."""
    if method in ("center", "ljust", "rjust", "zfill"):
        return max(len(text), int(args[0])) if args and isinstance(args[0], int) else len(text)
    if method == "expandtabs":
        tab = args[0] if args and isinstance(args[0], int) else 8
        return len(text) * max(tab, 1)
    if method == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        old, new = args[0], args[1]
        hits = text.count(old) if old else len(text) + 1
        return len(text) + hits * max(len(new) - len(old), 0)
    return None


@jinja2.pass_eval_context
def _bounded_replace(eval_ctx, value, old, new, count=None):
    """Jinja's ``replace`` filter, its answer sized first."""
    _check_size(_str_result_size(str(value), "replace", (str(old), str(new))) or 0)
    return jinja2.filters.do_replace(eval_ctx, value, old, new, count)


def _joinable(value, separator) -> list:
    """The items a join would glue (a step each), after sizing what it would make."""
    items = list(value)
    _step(len(items) + 1)
    _check_size(sum(len(str(item)) for item in items) + len(str(separator)) * max(len(items) - 1, 0))
    return items


@jinja2.pass_eval_context
def _bounded_join(eval_ctx, value, separator: str = "", attribute=None):
    """Jinja's ``join`` filter, its answer sized first."""
    return jinja2.filters.sync_do_join(eval_ctx, _joinable(value, separator), separator, attribute)


def _bounded_range(*args):
    items = range(*args)
    left = _RANGE_LEFT.get()
    left[0] -= len(items)
    if left[0] < 0:
        raise SecurityError(f"vòng lặp range() quá {MAX_RANGE_ITEMS} lần")
    return items


_SEQUENCES = (str, list, tuple)
#: String methods a template may not call: formatting with a width it chooses (review S4).
_REFUSED_METHODS = {"format", "format_map", "encode", "translate", "maketrans"}


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            raise SecurityError("phép lũy thừa không dùng trong mẫu")
        if operator == "%" and isinstance(left, str):
            raise SecurityError("định dạng chuỗi bằng % không dùng trong mẫu")
        if operator == "*" and (isinstance(left, _SEQUENCES) or isinstance(right, _SEQUENCES)):
            sequence, times = (left, right) if isinstance(left, _SEQUENCES) else (right, left)
            if len(sequence) * (times if isinstance(times, int) else 1) > MAX_STRING_PRODUCT:
                raise SecurityError("phép nhân chuỗi vượt giới hạn của mẫu")
        if operator == "+" and isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
            _check_size(len(left) + len(right))
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj, attribute):
        if isinstance(obj, str) and attribute in _REFUSED_METHODS:
            raise SecurityError(f"không dùng phương thức .{attribute}() trong mẫu")
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        if isinstance(obj, str) and argument in _REFUSED_METHODS:
            raise SecurityError(f"không dùng phương thức .{argument}() trong mẫu")
        return super().getitem(obj, argument)

    def call(__self, __context, __obj, *args, **kwargs):            # noqa: N805 — Jinja's own signature
        _step()
        owner, method = getattr(__obj, "__self__", None), getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if method in _REFUSED_METHODS:
                raise SecurityError(f"không dùng phương thức .{method}() trong mẫu")
            if method == "join":
                args = (_joinable(args[0] if args else [], owner), *args[1:])
            else:
                size = _str_result_size(owner, method, args)
                if size is not None:
                    _check_size(size)
        return super().call(__context, __obj, *args, **kwargs)


@lru_cache(maxsize=1)
def _environment() -> _Sandbox:
    # autoescape only so that a macro's output is marked as template text (Markup); values print as tokens
    env = _Sandbox(undefined=_Undefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                   autoescape=True, finalize=_finalize)
    env.globals.clear()
    env.globals.update(range=_bounded_range, dieu=_reference("dieu"), phu_luc=_reference("phu-luc"),
                       cac_phu_luc=lambda: _reference("cac-phu-luc")(), _cchc_lap=_counted_loop, _cchc_noi=_sized_concat)
    for name in ("safe", "forceescape", "escape", "e", "xmlattr", "urlize", "attr", "map", "select", "reject",
                 "selectattr", "rejectattr", "groupby", "tojson", "pprint", "indent", "wordwrap", "format",
                 "center", "batch", "slice", "random"):
        env.filters.pop(name, None)                        # printing is ours; keep the filters a drafter needs
    env.filters.update(viet_hoa_dau=capitalize_first, chu_hoa=upper_vi, replace=_bounded_replace, join=_bounded_join)
    return env


@lru_cache(maxsize=64)
def _compiled(source: str) -> jinja2.Template:
    """Compiled under the name errors point at, so their traceback carries the template's lines."""
    env = _environment()
    try:
        tree = _Budgeted().visit(env.parse(source, name=TEMPLATE_NAME, filename=TEMPLATE_NAME))
        code = env.compile(tree, name=TEMPLATE_NAME, filename=TEMPLATE_NAME)
    except TemplateSyntaxError as error:                      # an unknown filter or test
        raise TemplateError(f"lỗi cú pháp mẫu: {_syntax_message(error)}", error.lineno) from None
    return env.template_class.from_code(env, code, env.make_globals(None))


def _line_of(error: BaseException) -> int | None:
    line = getattr(error, "lineno", None)
    if line:
        return line
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == TEMPLATE_NAME]
    return frames[-1].lineno if frames else None


def _parse(source: str) -> nodes.Template:
    if len(source) > MAX_TEMPLATE_CHARS:
        raise TemplateError(f"mẫu dài {len(source):,} ký tự, quá giới hạn {MAX_TEMPLATE_CHARS:,}".replace(",", "."))
    if "\x00" in source or any(ch in source for ch in (VALUE_OPEN, VALUE_CLOSE, REF_OPEN, REF_CLOSE)):
        raise TemplateError("mẫu chứa ký tự không được phép (ký tự NUL hoặc ký tự riêng của hệ thống)")
    try:
        return _environment().parse(source, name=TEMPLATE_NAME)
    except TemplateSyntaxError as error:
        raise TemplateError(f"lỗi cú pháp mẫu: {_syntax_message(error)}", error.lineno) from None


def _syntax_message(error: TemplateSyntaxError) -> str:
    text = str(error.message or "")
    known = {"unexpected end of template": "mẫu kết thúc khi một khối {% … %} chưa đóng (thiếu {% endif %} hoặc {% endfor %})",
             "unexpected '}'": "thừa dấu '}'", "unexpected char": "ký tự không hợp lệ trong {{ … }} hoặc {% … %}",
             "Encountered unknown tag": "lệnh {% … %} không có", "expected token": "biểu thức trong {{ … }} chưa đúng",
             "No filter named": "bộ lọc không có", "No test named": "phép thử không có"}
    for english, vietnamese in known.items():
        if english.lower() in text.lower():
            return f"{vietnamese} ({text})"
    return text


def fill(source: str, context: dict, overrides: dict | None = None) -> Filled:
    """Run a template on a composer's context and read its blocks; TemplateError otherwise."""
    _parse(source)
    values: list = []
    paths: dict[int, str] = {}
    wrapped = {k: _wrap(v, k, paths) for k, v in context.items()}
    value_token, range_token, paths_token = _VALUES.set(values), _RANGE_LEFT.set([MAX_RANGE_ITEMS]), _PATHS.set(paths)
    budget_token = _BUDGET.set([MAX_STEPS, time.monotonic() + MAX_SECONDS, 0])
    try:
        template = _compiled(source)
        chunks, size = [], 0
        for chunk in template.generate(**wrapped):
            size += len(chunk)
            if size + _BUDGET.get()[2] > MAX_OUTPUT_CHARS:
                raise TemplateError(f"mẫu sinh ra quá {MAX_OUTPUT_CHARS:,} ký tự".replace(",", "."))
            chunks.append(chunk)
    except TemplateError:
        raise
    except UndefinedError as error:
        raise TemplateError(str(error), _line_of(error)) from None
    except SecurityError as error:
        raise TemplateError(f"mẫu dùng thao tác không được phép ({error})", _line_of(error)) from None
    except RecursionError as error:
        raise TemplateError("mẫu gọi lồng nhau quá sâu", _line_of(error)) from None
    except JinjaError as error:                           # an unknown test, met when it runs (review S11)
        raise TemplateError(f"lỗi cú pháp mẫu: {_syntax_message(error)}", _line_of(error)) from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as error:
        raise TemplateError(f"lỗi khi điền mẫu: {error}", _line_of(error)) from None
    except MemoryError:
        raise TemplateError("mẫu cần quá nhiều bộ nhớ") from None
    finally:
        _BUDGET.reset(budget_token)
        _VALUES.reset(value_token)
        _RANGE_LEFT.reset(range_token)
        _PATHS.reset(paths_token)
    try:
        return parse_markup("".join(chunks), values, overrides)
    except MarkupError as error:
        raise TemplateError(str(error)) from None


# ---------------------------------------------------------------------------- defaults and variables
def default_template(kind: str) -> str:
    path = KINDS_DIR / f"{kind}{EXTENSION}"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateError(f"không có mẫu mặc định cho loại văn bản '{kind}'") from None


PHRASES = "_cum-tu"


@lru_cache(maxsize=8)
def phrase_sources(text: str) -> dict[str, str]:
    """'tên: lời văn' lines of the shared phrases file (its Jinja comments and blank lines aside)."""
    out = {}
    for line in re.sub(r"\{#.*?#\}", "", text, flags=re.S).split("\n"):
        name, sep, body = line.partition(":")
        if sep and re.fullmatch(r"[a-z0-9-]+", name.strip()):
            out[name.strip()] = body.strip()
    return out


_PHRASES_IN_FORCE: contextvars.ContextVar[str | None] = contextvars.ContextVar("phrases_in_force", default=None)


@contextlib.contextmanager
def phrases_in_force(source: str | None):
    """While composing: the shared phrases of the province or campaign (None: the default file)."""
    token = _PHRASES_IN_FORCE.set(source)
    try:
        yield
    finally:
        _PHRASES_IN_FORCE.reset(token)


def phrase(name: str, values: dict | None = None, source: str | None = None) -> str:
    """A shared phrase (``doc_templates/kinds/_cum-tu.txt``, or the version in force) filled with
    ``values``: a citation of an unnumbered plan, the sentence of a replacement, a chart's axis."""
    text = source if source is not None else (_PHRASES_IN_FORCE.get() or default_template(PHRASES))
    body = phrase_sources(text).get(name)
    if body is None:            # a phrase added after the province saved its version: the default's
        body = phrase_sources(default_template(PHRASES)).get(name)
    if body is None:
        raise TemplateError(f"thiếu cụm từ '{name}' trong tệp cụm từ dùng chung")
    filled = fill(body, values or {})
    return " ".join(block.text for block in filled.body if block.kind == "paragraph")


@dataclass(frozen=True)
class Variable:
    name: str
    description: str
    example: object
    fields: dict[str, str]


@lru_cache(maxsize=None)
def variables(kind: str) -> tuple[Variable, ...]:
    """The variables of a kind's template, each with its Vietnamese description and an example."""
    out = []
    for path in (KINDS_DIR / "_chung.bien.json", KINDS_DIR / f"{kind}.bien.json"):
        if path.exists():
            for name, spec in json.loads(path.read_text(encoding="utf-8")).items():
                out.append(Variable(name, spec["mo_ta"], spec["vi_du"], spec.get("truong", {})))
    return tuple(out)


def example_context(kind: str) -> dict:
    """Every variable at its documented example value (tables as TableRows)."""
    return {v.name: _example(v.example) for v in variables(kind)}


#: A 1×1 transparent PNG: what an example chart draws (checking a template never needs the picture).
_BLANK_PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                           "0000000d4944415478da63f8ffff3f0005fe02fea7d6a4c50000000049454e44ae426082")


def _example(value):
    if isinstance(value, dict) and set(value) == {"bang"}:
        return TableRows(tuple(tuple(row) for row in value["bang"]))
    if isinstance(value, dict) and set(value) == {"bieu_do"}:
        return Chart(value["bieu_do"], 165, lambda title: _BLANK_PNG)
    if isinstance(value, dict):
        return {k: _example(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_example(v) for v in value]
    return value


# ---------------------------------------------------------------------------- checking
def required_blocks(kind: str) -> set[str]:
    """Blocks a kind's template must keep: a decision without căn cứ, 'QUYẾT ĐỊNH:' or a Điều is not
    one; a công văn needs its V/v; every other document its trích yếu."""
    if kind.startswith("quyet-dinh"):
        return {"trich-yeu", "can-cu", "quyet-dinh", "dieu"}
    if kind.startswith("cong-van"):
        return {"v-v"}
    if kind == PHRASES:
        return set()
    return {"trich-yeu"}


def check(kind: str, source: str) -> list[str]:
    """Vietnamese problems of a template (empty: usable): syntax, variables the kind does not have,
    a run on the documented examples, and the blocks it must keep."""
    if kind == PHRASES:
        return _check_phrases(source)
    try:
        ast = _parse(source)
    except TemplateError as error:
        return [str(error)]
    known = {v.name for v in variables(kind)} | set(FUNCTIONS)
    try:
        undeclared = meta.find_undeclared_variables(ast)
    except TemplateSyntaxError as error:                  # an unknown filter or test (review S11)
        return [str(TemplateError(f"lỗi cú pháp mẫu: {_syntax_message(error)}", error.lineno))]
    unknown = undeclared - known
    lines = {}
    for node in ast.find_all(nodes.Name):
        if node.name in unknown and node.ctx == "load":
            lines.setdefault(node.name, node.lineno)
    problems = [f"dòng {lines.get(name, '?')}: biến '{name}' không tồn tại (các biến dùng được: bảng «Biến của mẫu» ở "
                "trang Mẫu văn bản)" for name in sorted(unknown, key=lambda n: (lines.get(n, 0), n))]
    if problems:
        return problems
    try:
        filled = fill(source, example_context(kind))
    except TemplateError as error:
        return [str(error)]
    problems += [f"mẫu phải có khối '@{name}'" for name in sorted(required_blocks(kind) - filled.used)]
    return problems


_PHRASE_EXAMPLE = {"nam": "2026", "co_quan": "Ủy ban nhân dân tỉnh", "loai": "Quyết định", "so": "1/QĐ-UBND",
                   "ngay": "01/01/2026", "ly_do": None, "tinh": "Ninh Bình", "thang": "10"}


def _check_phrases(source: str) -> list[str]:
    """The shared phrases file keeps every phrase of the default, each usable."""
    try:
        _parse(source)
    except TemplateError as error:
        return [str(error)]
    mine = phrase_sources(source)
    problems = [f"thiếu cụm từ '{name}'" for name in phrase_sources(default_template(PHRASES)) if name not in mine]
    for name in mine:
        try:
            phrase(name, _PHRASE_EXAMPLE, source=source)
        except TemplateError as error:
            problems.append(f"cụm từ '{name}': {error}")
    return problems


def kinds_with_templates() -> list[str]:
    return sorted(p.name[:-len(EXTENSION)] for p in Path(KINDS_DIR).glob(f"*{EXTENSION}"))
