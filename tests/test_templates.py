"""Kind templates (issue 12): every kind renders from its template; an edited sentence reaches both
writers; numbering and references follow an inserted Điều; the variables are documented as the
composers really give them; bad and hostile templates are refused in Vietnamese with the line; typed
data never becomes structure; no running Vietnamese text is left in the composers."""
import ast
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from data_models import load_campaign
from fixtures import FIXTURES_DIR
from service.documents import KINDS, compose
from service.documents import wording
from service.documents.kind_templates import (TemplateError, check, default_template, example_context, fill,
                                              kinds_with_templates, variables)
from service.render.docx_writer import render_docx
from service.render.pdf_writer import render_pdf

from .conftest import docx_units, normalise, open_docx

ROOT = Path(__file__).resolve().parents[1]
NB = "ninh-binh-2026"


@pytest.fixture(scope="module")
def ninh_binh():
    return load_campaign(FIXTURES_DIR / NB)


def _pdf_text(data: bytes) -> str:
    return normalise(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_every_kind_has_a_template_that_checks_clean():
    kinds = set(kinds_with_templates())
    assert set(KINDS) <= kinds
    for kind in KINDS:
        assert check(kind, default_template(kind)) == [], kind


def test_an_edited_sentence_reaches_the_docx_and_the_pdf(ninh_binh):
    source = default_template("to-trinh-hoi-dong").replace(
        "(dự thảo Quyết định kèm theo)./.", "(dự thảo Quyết định kèm theo)./.\nxem xét, quyết định trước ngày 15 tháng 12 & ban hành sớm./.")
    assert source != default_template("to-trinh-hoi-dong")
    document = compose(ninh_binh, "to-trinh-hoi-dong", templates={"to-trinh-hoi-dong": source})
    sentence = "xem xét, quyết định trước ngày 15 tháng 12 & ban hành sớm./."
    assert any(sentence in unit for unit in docx_units(open_docx(render_docx(document))))
    assert sentence in _pdf_text(render_pdf(document))
    default = compose(ninh_binh, "to-trinh-hoi-dong")
    assert not any(sentence in line for line in default.text_lines())


def test_an_inserted_article_renumbers_the_rest_and_its_references(ninh_binh):
    source = default_template("quyet-dinh-cong-bo").replace(
        "@dieu(#thi-hanh)", "@dieu Giao Sở Nội vụ lưu trữ hồ sơ đánh giá theo quy định.\n@dieu(#thi-hanh)")
    document = compose(ninh_binh, "quyet-dinh-cong-bo", templates={"quyet-dinh-cong-bo": source})
    lines = document.text_lines()
    assert "Điều 3. Giao Sở Nội vụ lưu trữ hồ sơ đánh giá theo quy định." in lines
    assert any(line.startswith("Điều 4. Quyết định này có hiệu lực") for line in lines)
    assert "- Như Điều 4;" in document.frame.recipient_lines
    assert "- Như Điều 3;" in compose(ninh_binh, "quyet-dinh-cong-bo").frame.recipient_lines


def test_annexes_are_numbered_and_cited_as_the_template_places_them(ninh_binh):
    document = compose(ninh_binh, "quyet-dinh-hoi-dong")
    assert [a.label for a in document.annexes] == ["Phụ lục I", "Phụ lục II"]
    assert any("có tên tại Phụ lục I kèm theo" in line for line in document.text_lines())
    context = example_context("quyet-dinh-hoi-dong")
    context["to_thu_ky"] = None                                       # no Tổ Thư ký: one annex, no numeral
    alone = fill(default_template("quyet-dinh-hoi-dong"), context)
    assert [a.label for a in alone.annexes] == ["Phụ lục"]
    texts = [b.text for b in alone.body]
    assert any("có tên tại Phụ lục kèm theo" in t for t in texts)
    assert any("Sở Nội vụ là cơ quan thường trực" in t for t in texts)
    assert any("có tên tại Điều 1 chịu trách nhiệm" in t for t in texts)


def _captured_contexts():
    """Every context the composers hand to their templates, over the three fixtures."""
    captured, original = [], wording.fill
    wording.fill = lambda source, context, overrides=None: captured.append(context) or original(source, context, overrides)
    try:
        for folder in sorted(p for p in FIXTURES_DIR.iterdir() if (p / "campaign.json").exists()):
            campaign = load_campaign(folder)
            for kind in KINDS.values():
                units = [u.id for u in campaign.units() if kind.applies(campaign, u.id)] if kind.per_unit else [None]
                for unit in units:
                    before = len(captured)
                    try:
                        compose(campaign, kind.key, unit)
                    except ValueError:
                        continue
                    yield kind.key, captured[before]
    finally:
        wording.fill = original


def _paths(value, prefix=""):
    if isinstance(value, dict):
        for key, inner in value.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path
            yield from _paths(inner, path)
    elif isinstance(value, list):
        for inner in value:
            yield from _paths(inner, prefix)


def test_the_documented_variables_are_what_the_composers_give():
    seen: dict[str, set[str]] = {}
    for kind, context in _captured_contexts():
        documented = {v.name: v for v in variables(kind)}
        assert set(context) == set(documented), (kind, set(context) ^ set(documented))
        seen.setdefault(kind, set()).update(_paths(context))
    assert set(seen) == set(KINDS)
    for kind, paths in seen.items():
        documented = {f"{v.name}.{field}" for v in variables(kind) for field in v.fields}
        nested = {p for p in paths if "." in p}
        assert nested == documented, (kind, sorted(nested ^ documented))
        assert all(v.description for v in variables(kind))


@pytest.mark.parametrize("source, message", [
    ("{{ nam_sau }}", "biến 'nam_sau' không tồn tại"),
    ("@trich-yeu\nA\n\n@can-cu\n@quyet-dinh\n@dieu {% if nam %}x", "dòng 6: lỗi cú pháp mẫu: mẫu kết thúc khi"),
    ("@trich-yeu\n{{ nam }\n", "dòng 2: lỗi cú pháp mẫu"),
    ("{{ ''.__class__.__mro__ }}", "không được truy cập '__class__'"),
    ("{{ config }}", "biến 'config' không tồn tại"),
    ("{% for c in ''.__class__.__mro__[1].__subclasses__() %}{{ c }}{% endfor %}", "không được truy cập"),
    ("{{ cycler.__init__.__globals__ }}", "biến 'cycler' không tồn tại"),
    ("{{ hoi_dong.pho_chu_tich }}", "biến 'hoi_dong.pho_chu_tich' không tồn tại"),
    ("@trich-yeu\nA\n\n@can-cu\nB\n\n@dieu C", "mẫu phải có khối '@quyet-dinh'"),
    ("@trich-yeu\nA\n\n@can-cu\nB\n\n@quyet-dinh\n@dieu X {{ dieu('khong-co') }}", "không có Điều mang nhãn 'khong-co'"),
    ("@bang {{ hoi_dong }}: STT (12, giữa) | Tên (40, trái)", "có 4 ô nhưng bảng có 2 cột"),
    ("@bang {{ hoi_dong }}: STT (300, giữa) | A (1, trái) | B (1, trái) | C (1, trái)", "quá 252 mm"),
    ("@dieu(#a, to) x", "tùy chọn 'to' không dùng được với '@dieu'"),
    ("@dong a | b", "'@dong' phải đứng sau một '@bang'"),
    ("@lạ x", "khối '@lạ' không có"),
])
def test_bad_templates_are_refused_in_vietnamese(source, message):
    problems = check("quyet-dinh-hoi-dong", source)
    assert problems and any(message in p for p in problems), problems


@pytest.mark.parametrize("source", [
    "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    "{{ 'x' * 100000000 }}",
    "{{ 9 ** 9 ** 9 }}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{% for i in range(20000) %}{{ hoi_dong }}{{ hoi_dong }}{{ hoi_dong }}{% endfor %}" * 2,
    # review S4: CPU and memory of the shared service, each refused by counting or sizing first
    "{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
    "{% set l = [1] * 100000 %}{% for a in l %}{% for b in l %}{% endfor %}{% endfor %}",
    "{{ 'x'.ljust(150000000) }}", "{{ 'x'.rjust(150000000) }}", "{{ 'x'.zfill(150000000) }}",
    "{{ '{:>150000000}'.format(1) }}", "{{ '{:>150000000}'.format_map({}) }}", "{{ '%0150000000d' % 1 }}",
    "{% set s = 'x' * 100000 %}{% for i in range(200) %}{{ s }}{% endfor %}",
    "{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n - 1) }}{% endif %}{% endmacro %}{{ f('x', 40) }}",
    "{% macro g(n) %}{% if n %}{{ g(n - 1) }}{{ g(n - 1) }}{% endif %}{% endmacro %}{{ g(40) }}",
    "{{ ('x' * 100000).replace('x', 'x' * 1000) }}", "{{ ('x' * 100000) | replace('x', 'yy') }}",
    "{{ ('y' * 50000).join(['a'] * 50000) }}", "{{ (['a'] * 50000) | join('y' * 50000) }}",
    "{{ ('x' * 1000).expandtabs(100000) }}", "{{ ['a'] * 100000 + ['b'] * 100000 }}",
    "{{ 'x' | center(150000000) }}", "{{ [1] | batch(150000000, 'x') }}",
])
def test_hostile_templates_stop_with_a_reason(source):
    with pytest.raises(TemplateError) as error:
        fill(source, example_context("quyet-dinh-hoi-dong"))
    assert re.search(r"giới hạn|không được phép|quá sâu|quá|không có", str(error.value))


@pytest.mark.parametrize("source, message", [
    ("{{ nam|khong_co }}", "bộ lọc không có"), ("{{ nam|attr('x') }}", "bộ lọc không có"),
    ("{% if nam is khong_co %}x{% endif %}", "phép thử không có"),
])
def test_unknown_filters_and_tests_are_named_not_crashed(source, message):
    """Review S11: these raised out of the check as Jinja's own errors (HTTP 500 on the editor)."""
    problems = check("huong-dan", default_template("huong-dan") + source)
    assert problems and message in problems[0], problems


def test_a_huge_or_nul_template_is_refused():
    assert "quá giới hạn" in check("huong-dan", "x" * 300_000)[0]
    assert "ký tự không được phép" in check("huong-dan", "a\x00b")[0]


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40))
def test_typed_data_never_becomes_structure(value):
    """Whatever a unit types — '@dieu', '|', '(', new lines, braces — stays its own text."""
    source = "@trich-yeu\n{{ v }}\n\n@khoan {{ v }}\n@bang: A (20, trái) | B (20, trái)\n@dong {{ v }} | x\n{{ v }}\n"
    filled = fill(source, {"v": value})
    kinds = [block.kind for block in filled.body]
    tables = [b for b in filled.body if b.kind == "table"]
    assert len(tables) == 1 and len(tables[0].rows) == 1 and len(tables[0].columns) == 2
    assert filled.used == {"trich-yeu", "khoan", "bang", "dong", "doan"}
    assert kinds.count("table") == 1
    assert tables[0].rows[0][1][0].text == "x"


def test_a_unit_name_with_markup_prints_as_typed(ninh_binh):
    data = ninh_binh.model_dump(mode="json")
    unit = next(u for g in data["groups"] for u in g["units"] if u["id"] == "sxd")
    unit["name"] = "@dieu Sở | Xây (dựng) {{ nam }}"
    from data_models import parse_campaign
    campaign = parse_campaign(data, "test")
    lines = compose(campaign, "bao-cao-giai-trinh", "sxd").text_lines()
    assert any("@dieu Sở | Xây (dựng) {{ nam }} có" in line for line in lines)


# --------------------------------------------------------------------------- no sentences in Python
COMPOSERS = ["__init__.py", "drafting.py", "results.py", "unit_letters.py", "plan.py", "unit_reports.py", "text.py", "wording.py",
             "figures.py", "charts.py", "body.py"]
VIETNAMESE = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)


def _running_text(path: Path) -> list[str]:
    """String literals of three words or more with Vietnamese letters, outside error messages,
    docstrings, the kinds' UI labels and the vocabularies matched against data."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            allowed |= {id(n) for n in ast.walk(node.exc)}
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body and \
                isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            allowed.add(id(node.body[0].value))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "DocumentKind" and len(node.args) > 1:
            allowed.add(id(node.args[1]))
        if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets) \
                and isinstance(node.value, (ast.List, ast.Tuple, ast.Set)):
            allowed |= {id(n) for n in ast.walk(node.value)}
    return [f"{path.name}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in allowed
            and VIETNAMESE.search(node.value) and len(node.value.split()) >= 3]


def test_no_running_vietnamese_text_in_the_composers():
    found = [line for name in COMPOSERS for line in _running_text(ROOT / "service" / "documents" / name)]
    assert not found, "\n".join(found)


def test_the_sentence_check_sees_a_sentence(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text('def f(x):\n    """Docstring được phép."""\n    return "Đơn vị gửi báo cáo đúng hạn."\n', encoding="utf-8")
    assert len(_running_text(probe)) == 1
