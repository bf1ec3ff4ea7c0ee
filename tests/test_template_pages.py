"""The Sở Nội vụ changes the wording of its documents (issue 12), on SQLite and PostgreSQL: a saved
sentence reaches the real document; the province's and the campaign's versions layer over the default;
a bad template — unknown variable, syntax, sandbox escape, missing block, a Decree 30 fault — is refused
in Vietnamese with the typed text kept and nothing stored; versions are listed, compared, restored; a
template file and the province's folder go down and up; an issued document keeps the template it was
worded by; next year's campaign keeps the campaign's templates."""
import pytest
import io
import re
import zipfile

import docx
import lxml.html

from service.documents import KINDS
from service.documents.kind_templates import default_template
from service.store.issuing import issued_version
from service.store.lifecycle import state_of
from service.store.templates import campaign_templates, history
from tests.conftest import issue_through_the_form, login

C = "ninh-binh-2026"
ORG = "ninh-binh"
BASE = f"/chien-dich/{C}/mau-van-ban"
SENTENCE = "Bảo đảm việc tự đánh giá, chấm điểm thống nhất"


def _admin(app):
    client = app.test_client()
    _, token = login(client, "admin")
    return client, token


def _save(client, token, kind, text, layer="chien-dich", comment=""):
    return client.post(f"{BASE}/{kind}", data={"csrf_token": token, "noi-dung": text, "lop": layer, "ghi-chu": comment})


def _guidance_lines(client) -> str:
    data = client.get(f"/chien-dich/{C}/van-ban/huong-dan.docx").data
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def _engine(app):
    return app.extensions["cchc_engine"]


def test_a_saved_sentence_reaches_the_document_and_layers_apply(app):
    admin, token = _admin(app)
    assert SENTENCE in _guidance_lines(admin)
    province = default_template("huong-dan").replace(SENTENCE, "Tỉnh: bảo đảm việc tự đánh giá thống nhất")
    response = _save(admin, token, "huong-dan", province, "tinh", "lời văn của tỉnh")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert "Tỉnh: bảo đảm" in _guidance_lines(admin)
    campaign_text = default_template("huong-dan").replace(SENTENCE, "Chiến dịch: bảo đảm việc tự đánh giá & chấm điểm")
    assert _save(admin, token, "huong-dan", campaign_text).status_code == 302
    lines = _guidance_lines(admin)
    assert "Chiến dịch: bảo đảm việc tự đánh giá & chấm điểm" in lines and "Tỉnh:" not in lines
    pdf = admin.get(f"/chien-dich/{C}/van-ban/huong-dan.pdf").data
    from pypdf import PdfReader
    assert "Chiến dịch: bảo đảm" in " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    page = admin.get(f"{BASE}/huong-dan").get_data(as_text=True)
    assert "Đang dùng: <b>mẫu của chiến dịch</b>" in page and "lời văn của tỉnh" in page
    listing = lxml.html.fromstring(admin.get(BASE).get_data(as_text=True)).text_content()
    assert "mẫu của chiến dịch" in listing
    assert admin.post(f"{BASE}/huong-dan/mac-dinh", data={"csrf_token": token, "lop": "chien-dich"}).status_code == 302
    assert "Tỉnh: bảo đảm" in _guidance_lines(admin)                     # back to the province's
    assert admin.post(f"{BASE}/huong-dan/mac-dinh", data={"csrf_token": token, "lop": "tinh"}).status_code == 302
    assert SENTENCE in _guidance_lines(admin)                             # back to the default
    assert campaign_templates(_engine(app), ORG, C)["huong-dan"].layer == "mac-dinh"


def test_bad_templates_are_refused_with_the_typed_text_kept(app):
    admin, token = _admin(app)
    good = default_template("quyet-dinh-cong-bo")
    cases = [
        (good.replace("{{ nam }}", "{{ nam_sau }}", 1), "biến &#39;nam_sau&#39; không tồn tại"),
        (good.replace("{% endfor %}", "", 1), "lỗi cú pháp mẫu"),
        (good + "\n{{ ''.__class__.__mro__[1].__subclasses__() }}", "không được truy cập"),
        (good + "\n{{ config.items() }}", "biến &#39;config&#39; không tồn tại"),
        (good.replace("@quyet-dinh QUYẾT ĐỊNH:", ""), "mẫu phải có khối &#39;@quyet-dinh&#39;"),
        (good.replace("@dieu Trách nhiệm", "@doan(co-chu 10) Chữ nhỏ.\n@dieu Trách nhiệm"), "R27: cỡ chữ nội dung 10.0"),
        (good.replace("@dieu Trách nhiệm", "@doan Điều 9. Gõ tay\n@dieu Trách nhiệm"), "số Điều không liên tục"),
    ]
    for text, message in cases:
        response = _save(admin, token, "quyet-dinh-cong-bo", text)
        body = response.get_data(as_text=True)
        assert response.status_code == 400 and message in body, (message, body[:3000])
        typed = lxml.html.fromstring(body).get_element_by_id("noi-dung").text_content()
        assert typed.replace("\r\n", "\n") == text.replace("\r\n", "\n").lstrip("\n") or typed.strip() == text.strip()
    assert history(_engine(app), ORG, C, "quyet-dinh-cong-bo") == []
    assert campaign_templates(_engine(app), ORG, C)["quyet-dinh-cong-bo"].layer == "mac-dinh"


def test_preview_shows_the_typed_template_or_its_problems(app):
    admin, token = _admin(app)
    text = default_template("to-trinh-hoi-dong").replace("(dự thảo Quyết định kèm theo)./.", "(dự thảo Quyết định kèm theo), sớm quyết định./.")
    shown = admin.post(f"{BASE}/to-trinh-hoi-dong/xem-truoc", data={"csrf_token": token, "noi-dung": text})
    assert shown.status_code == 200 and "sớm quyết định" in shown.get_data(as_text=True)
    assert "frame-ancestors 'self'" in shown.headers["Content-Security-Policy"]
    bad = admin.post(f"{BASE}/to-trinh-hoi-dong/xem-truoc", data={"csrf_token": token, "noi-dung": "{{ x }"})
    assert "Chưa xem trước được" in bad.get_data(as_text=True)
    assert history(_engine(app), ORG, C, "to-trinh-hoi-dong") == []             # a preview stores nothing
    unit = admin.get(f"{BASE}/bao-cao-giai-trinh/xem-truoc?don-vi=sxd").get_data(as_text=True)
    assert "Sở Xây dựng" in unit


def test_versions_compare_and_restore(app):
    admin, token = _admin(app)
    first = default_template("huong-dan").replace(SENTENCE, "Bản một: bảo đảm")
    second = default_template("huong-dan").replace(SENTENCE, "Bản hai: bảo đảm")
    assert _save(admin, token, "huong-dan", first, comment="bản một").status_code == 302
    assert _save(admin, token, "huong-dan", second, comment="bản hai").status_code == 302
    versions = history(_engine(app), ORG, C, "huong-dan")
    assert [v.comment for v in versions] == ["bản hai", "bản một"]
    diff = admin.get(f"{BASE}/huong-dan/phien-ban/{versions[0].id}").get_data(as_text=True)
    assert "-Bản một: bảo đảm" in diff and "+Bản hai: bảo đảm" in diff
    restored = admin.post(f"{BASE}/huong-dan/khoi-phuc/{versions[1].id}", data={"csrf_token": token})
    assert restored.status_code == 302
    assert "Bản một: bảo đảm" in _guidance_lines(admin)
    latest = history(_engine(app), ORG, C, "huong-dan")[0]
    assert latest.text == first and latest.comment == f"khôi phục phiên bản #{versions[1].id}"
    assert admin.get(f"{BASE}/huong-dan/phien-ban/999999").status_code == 404
    other_client = app.test_client()
    login(other_client, "admin-ha-nam")
    assert other_client.get(f"{BASE}/huong-dan/phien-ban/{versions[1].id}").status_code == 404


def test_a_template_file_goes_down_and_up(app):
    admin, token = _admin(app)
    downloaded = admin.get(f"{BASE}/huong-dan.txt")
    assert downloaded.data.decode("utf-8") == default_template("huong-dan")
    edited = downloaded.data.decode("utf-8").replace(SENTENCE, "Tệp: bảo đảm").encode("utf-8-sig")
    response = admin.post(f"{BASE}/huong-dan/tai-len", data={"csrf_token": token, "lop": "chien-dich",
                                                               "tep": (io.BytesIO(edited), "huong-dan.txt")})
    assert response.status_code == 302
    assert "Tệp: bảo đảm" in _guidance_lines(admin)
    for data, message in [("\xff\xfe x".encode("latin-1"), "không phải văn bản UTF-8"),
                          (b"x" * 300_000, "quá 200 kB")]:
        refused = admin.post(f"{BASE}/huong-dan/tai-len", data={"csrf_token": token, "tep": (io.BytesIO(data), "mau.txt")})
        assert refused.status_code == 400 and message in refused.get_data(as_text=True)
    assert len(history(_engine(app), ORG, C, "huong-dan")) == 1


@pytest.mark.slow
def test_the_province_folder_goes_down_and_up_all_or_nothing(app):
    admin, token = _admin(app)
    archive = zipfile.ZipFile(io.BytesIO(admin.get(f"{BASE}-tinh.zip").data))
    names = archive.namelist()
    assert "huong-dan.txt" in names and "_cum-tu.txt" in names and len(names) == len(KINDS) + 1     # every kind and the shared phrases

    def upload(files):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as out:
            for name, text in files.items():
                out.writestr(name, text)
        return admin.post(f"{BASE}-tinh", data={"csrf_token": token, "tep": (io.BytesIO(buffer.getvalue()), "tinh.zip")})
    bad = upload({"huong-dan.txt": default_template("huong-dan").replace(SENTENCE, "Tỉnh gói: bảo đảm"),
                  "to-trinh-ke-hoach.txt": "{{ khong_co }}"})
    assert bad.status_code == 400 and "to-trinh-ke-hoach.txt: dòng " in bad.get_data(as_text=True) and "biến &#39;" in bad.get_data(as_text=True)
    assert history(_engine(app), ORG, None, "huong-dan") == []
    good = upload({name: archive.read(name).decode() for name in names} |
                  {"huong-dan.txt": default_template("huong-dan").replace(SENTENCE, "Tỉnh gói: bảo đảm")})
    assert good.status_code == 302, re.findall(r"class=\"error\"[^>]*>(.*?)</div>", good.get_data(as_text=True), re.S)
    assert [v.kind for v in history(_engine(app), ORG, None, "huong-dan")] == ["huong-dan"]
    assert history(_engine(app), ORG, None, "ke-hoach") == []                    # unchanged files are not versions
    assert "Tỉnh gói: bảo đảm" in _guidance_lines(admin)
    broken = admin.post(f"{BASE}-tinh", data={"csrf_token": token, "tep": (io.BytesIO(b"not a zip"), "tinh.zip")})
    assert broken.status_code == 400 and "không phải tệp .zip" in broken.get_data(as_text=True)


def test_an_issued_document_keeps_its_template(app):
    admin, token = _admin(app)
    text = default_template("huong-dan").replace(SENTENCE, "Ban hành: bảo đảm")
    assert _save(admin, token, "huong-dan", text).status_code == 302
    saved = history(_engine(app), ORG, C, "huong-dan")[0]
    assert issue_through_the_form(app, C, "huong-dan").status_code == 302
    state = state_of(_engine(app), C, "huong-dan", None)
    version = issued_version(_engine(app), state.current_version_id)
    assert version.template_ref == f"chien-dich:{saved.id}"
    issued = admin.get(f"/chien-dich/{C}/van-ban/huong-dan.docx").data
    assert _save(admin, token, "huong-dan", default_template("huong-dan")).status_code == 302
    assert admin.get(f"/chien-dich/{C}/van-ban/huong-dan.docx").data == issued          # frozen
    page = admin.get(f"/chien-dich/{C}/van-ban/huong-dan.html").get_data(as_text=True)
    assert "Dữ liệu hiện tại khác bản đã ban hành" in page
    assert f"mẫu của chiến dịch #{saved.id}</a>" in page


def test_next_years_campaign_keeps_the_campaigns_templates(app):
    admin, token = _admin(app)
    text = default_template("huong-dan").replace(SENTENCE, "Năm sau vẫn: bảo đảm")
    assert _save(admin, token, "huong-dan", text).status_code == 302
    response = admin.post(f"/chien-dich/{C}/nhan-ban", data={"csrf_token": token})
    assert response.status_code == 302
    kept = campaign_templates(_engine(app), ORG, "ninh-binh-2027")["huong-dan"]
    assert kept.layer == "chien-dich" and kept.text == text
    flashed = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r"Giữ 1 mẫu văn bản riêng", flashed)


@pytest.mark.parametrize("database_kind", ["sqlite"])
def test_hostile_templates_answer_with_a_reason_on_every_route(app):
    """Review S4, S11: on the preview, the save and the API, each snippet of the security run is a
    Vietnamese refusal (never a 500, never a stalled worker) and nothing is stored."""
    admin, token = _admin(app)
    good = default_template("huong-dan")
    snippets = ["{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
                "{{ 'x'.ljust(150000000) }}", "{{ '{:>150000000}'.format(1) }}", "{{ '%0150000000d' % 1 }}",
                "{% set s = 'x' * 100000 %}{% for i in range(200) %}{{ s }}{% endfor %}",
                "{{ nam|khong_co }}", "{{ nam|attr('x') }}", "{% if nam is khong_co %}x{% endif %}"]
    for snippet in snippets:
        text = good + "\n" + snippet
        preview = admin.post(f"{BASE}/huong-dan/xem-truoc", data={"csrf_token": token, "noi-dung": text})
        assert preview.status_code in (200, 400) and "Chưa xem trước được" in preview.get_data(as_text=True), snippet
        saved = _save(admin, token, "huong-dan", text)
        assert saved.status_code == 400, snippet
        api = admin.put(f"/api/campaigns/{C}/templates/huong-dan", json={"noi_dung": text}, headers={"X-CSRF-Token": token})
        assert api.status_code == 422 and api.get_json()["loi"], snippet
    assert history(_engine(app), ORG, C, "huong-dan") == []


@pytest.mark.parametrize("database_kind", ["sqlite"])
def test_the_editor_speaks_to_a_clerk(app):
    """Walk U15: the unknown-variable error named a CLI command and no line; the examples showed
    'S\\u1edf N\\u1ed9i v\\u1ee5' and the fixture's 2026. Now the line, the table to look at, and each
    variable's value in this campaign, in Vietnamese letters."""
    admin, token = _admin(app)
    text = default_template("huong-dan").replace("{{ nam }}", "{{ nam_sau }}", 1)
    line = text[:text.index("{{ nam_sau }}")].count("\n") + 1
    refused = _save(admin, token, "huong-dan", text)
    box = lxml.html.fromstring(refused.get_data(as_text=True)).find_class("error")[0].text_content()
    assert refused.status_code == 400 and f"dòng {line}: biến 'nam_sau' không tồn tại" in box
    assert "cchc templates" not in box and "Biến của mẫu" in box
    page = html_text(admin.get(f"{BASE}/huong-dan"))
    table = " ".join(page[page.index("Biến của mẫu"):].split())
    assert "Giá trị trong chiến dịch này" in table and "\\u" not in table and "Năm đánh giá (2026)" not in table
    from data_models import Campaign
    from service.documents import compose
    from service.documents.kind_templates import variables
    from service.documents.wording import contexts_seen
    from service.store.campaigns import load_stored_campaign
    with contexts_seen() as seen:
        compose(load_stored_campaign(_engine(app), C), "huong-dan")
    context = dict(next(c for k, c in seen if k == "huong-dan"))
    shown = [n for n, v in context.items() if isinstance(v, str) and 0 < len(v) < 150 and n in {v.name for v in variables("huong-dan")}]
    assert len(shown) > 3 and all(context[n] in table for n in shown), shown      # this campaign's values …
    assert "namNăm đánh giá của chiến dịch 2026cac_nhom" in table                  # … not marked as mere examples


def html_text(response) -> str:
    return lxml.html.fromstring(response.get_data(as_text=True)).text_content()
