"""The one-way flow of the design card, checked on the source: models know nothing of rendering,
composers nothing of writers, signing or storage, writers no document kind (the PDF writer only
leaves the empty signature fields of signing/layout.py), nothing below the web knows Flask. An import that points back up fails here with the file and the line."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: package → module prefixes it must not import (at any depth, function-level imports included).
FORBIDDEN = {
    "data_models": ("service", "doc_templates", "flask"),
    "service/vietnamese": ("service.documents", "service.render", "service.store", "service.web", "flask"),
    "service/domain": ("service.documents", "service.render", "service.store", "service.web", "flask"),
    "service/documents": ("service.render", "service.signing", "service.store", "service.web", "service.editing",
                          "flask"),
    "service/render": ("service.documents.drafting", "service.documents.results", "service.documents.plan",
                       "service.documents.unit_reports", "service.store", "service.web", "service.signing.sign",
                       "service.signing.verify", "service.signing.signers", "service.signing.demo_pki", "flask"),
    "service/signing": ("service.render", "service.documents", "service.store", "service.web", "flask"),
    "service/store": ("service.web", "flask"),
    "service/editing": ("service.web", "flask"),
}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            yield node.lineno, name
            for alias in node.names:                    # 'from service import render' imports service.render
                yield node.lineno, f"{name}.{alias.name}"


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_only_point_down(package):
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, name in _imports(path):
            if any(name == prefix or name.startswith(prefix + ".") for prefix in FORBIDDEN[package]):
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert not bad, "\n".join(bad)


def test_the_check_sees_a_forbidden_import():
    """The walker resolves relative imports, so '..render' inside service/documents is caught."""
    module = ROOT / "service" / "documents" / "_probe_for_test.py"
    module.write_text("from ..render import pdf_writer\n", encoding="utf-8")
    try:
        found = [name for _, name in _imports(module)]
    finally:
        module.unlink()
    assert "service.render" in found and "service.render.pdf_writer" in found
