"""The deployment's routing (docs/deploy/nginx/): nginx sends the downloads of issued documents to a
pool of their own and everything else to the web pool. Checked against the route table, so that a new
route cannot land in the downloads pool by accident, and nginx itself accepts the files as the
benchmark uses them."""
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from service.store.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]
NGINX = ROOT / "docs" / "deploy" / "nginx"
#: The routes that only send a frozen file: the version in force (web and API) and any issued version.
FROZEN_DOWNLOADS = {"documents.document", "documents.issued_file", "api_documents.issued_file"}
SAMPLE = {"campaign_id": "ninh-binh-2026", "kind": "huong-dan", "unit": "sxd", "unit_id": "sxd", "version_id": "7",
          "year": "2026", "job_id": "3", "entry_id": "5", "user_id": "4", "digest": "ab12", "action": "duyet"}


def _files_locations() -> list[re.Pattern]:
    """The regular expressions of the locations whose proxy_pass goes to the downloads pool."""
    text = (NGINX / "cchc-locations.conf").read_text(encoding="utf-8")
    blocks = re.findall(r"location ~ (\S+) \{\s*proxy_pass http://([$\w]+);", text)
    assert blocks, "no regex location in cchc-locations.conf"
    return [re.compile(pattern) for pattern, pool in blocks if pool in ("cchc_files", "$cchc_file_pool")]


def _samples(app):
    """(endpoint, methods, path) for every rule, each <fmt> tried with every extension the app serves."""
    for rule in app.url_map.iter_rules():
        formats = ("pdf", "docx", "html", "xlsx", "json", "zip") if "<fmt>" in rule.rule else ("",)
        for fmt in formats:
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: fmt if m.group(1) == "fmt" else SAMPLE.get(m.group(1), "x"),
                          rule.rule)
            yield rule.endpoint, rule.methods - {"HEAD", "OPTIONS"}, path


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from service.web import create_app
    url = f"sqlite:///{tmp_path_factory.mktemp('deploy') / 'cchc.sqlite3'}"
    upgrade(url)
    app = create_app(url, testing=True, secret_key="deploy")
    yield app
    app.extensions["cchc_engine"].dispose()


def test_only_the_frozen_downloads_go_to_the_downloads_pool(app):
    locations = _files_locations()
    routed = {(endpoint, path) for endpoint, methods, path in _samples(app) if any(p.fullmatch(path) for p in locations)}
    assert {endpoint for endpoint, _ in routed} == FROZEN_DOWNLOADS
    assert all(path.endswith((".pdf", ".docx")) for _, path in routed)         # never a page, never a workbook
    for endpoint, methods, path in _samples(app):
        if endpoint in FROZEN_DOWNLOADS and path.endswith((".pdf", ".docx")):
            assert methods == {"GET"} and any(p.fullmatch(path) for p in locations), path
    pools = (NGINX / "cchc-pools.conf").read_text(encoding="utf-8")            # a draft asked for stays on the web pool
    assert re.search(r"map \$arg_ban \$cchc_file_pool \{\s*default cchc_files;\s*~\.\s+cchc_web;", pools)


@pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
                    reason="nginx không có trên máy (tools/setup.sh cài nó)")
def test_nginx_accepts_the_configuration_the_benchmark_runs(tmp_path):
    spec = importlib.util.spec_from_file_location("rush", ROOT / "bench" / "rush.py")
    rush = importlib.util.module_from_spec(spec)
    sys.modules["rush"] = rush                     # its dataclass looks itself up there
    spec.loader.exec_module(rush)
    conf = rush.nginx_conf(str(tmp_path), 18080, 18000, 18001)
    checked = subprocess.run([rush.NGINX, "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "127.0.0.1:18001" in conf.read_text(encoding="utf-8")
