"""The cchc command as a user runs it: outputs, messages, exit status, nothing written on error."""
import json
import subprocess
import sys

import pytest

from data_models import Campaign, load_campaign
from fixtures import FIXTURES_DIR
from service.cli import main

from .conftest import docx_units, open_docx


def run(*args):
    return subprocess.run([sys.executable, "-m", "service.cli", *args], capture_output=True, text=True, timeout=300)


def test_render_writes_docx_and_pdf(tmp_path):
    result = run("render", str(FIXTURES_DIR / "ha-nam-2023"), "--doc", "ke-hoach", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ke-hoach.docx", "ke-hoach.pdf"]
    assert "Trương Quốc Huy" in docx_units(open_docx((tmp_path / "ke-hoach.docx").read_bytes()))
    assert (tmp_path / "ke-hoach.pdf").read_bytes().startswith(b"%PDF-")


def test_invalid_campaign_exits_2_with_paths_and_writes_nothing(tmp_path):
    data = json.loads((FIXTURES_DIR / "ha-nam-2023" / "campaign.json").read_text(encoding="utf-8"))
    data["plan"]["tasks"]["items"][3]["time"] = ""
    data["plan"]["header"]["date"] = {"year": 2023, "month": 2, "day": 31}
    campaign = tmp_path / "hong"
    campaign.mkdir()
    (campaign / "campaign.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    result = run("render", str(campaign), "--doc", "ke-hoach", "-o", str(out))
    assert result.returncode == 2
    assert "plan.tasks.items[3].time: không được để trống" in result.stderr
    assert "plan.header.date: ngày 31/2/2023 không tồn tại" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "JSON không hợp lệ ở dòng 1"),
    (b"\xff\xfe\x00bad", "không phải văn bản UTF-8"),
    ("[]", "phải là một đối tượng"),
])
def test_unreadable_campaign(tmp_path, content, message):
    path = tmp_path / "campaign.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = run("render", str(tmp_path), "--doc", "ke-hoach", "-o", str(tmp_path / "out"))
    assert result.returncode == 2 and message in result.stderr
    assert not (tmp_path / "out").exists()


def test_huge_campaign_is_refused_before_parsing(tmp_path, monkeypatch):
    import data_models.loading as loading
    monkeypatch.setattr(loading, "MAX_CAMPAIGN_BYTES", 1000)
    (tmp_path / "campaign.json").write_text(" " * 2000 + "{}", encoding="utf-8")
    assert main(["render", str(tmp_path), "--doc", "ke-hoach", "-o", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


def test_unknown_kind_and_unit(tmp_path, capsys):
    assert main(["render", str(FIXTURES_DIR / "ha-nam-2023"), "--doc", "bien-ban-xyz", "-o", str(tmp_path)]) == 2
    assert "không có loại văn bản 'bien-ban-xyz'" in capsys.readouterr().err
    assert main(["render", str(FIXTURES_DIR / "ha-nam-2023"), "--doc", "ke-hoach", "--unit", "snv", "-o", str(tmp_path)]) == 2
    assert "không lập theo từng đơn vị" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.xdist_group("demo-renders")
def test_demo_renders_every_kind_of_every_campaign(tmp_path):
    result = run("demo", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for campaign in ("ha-nam-2023", "tra-vinh-2023", "ninh-binh-2026"):
        assert (tmp_path / campaign / "ke-hoach.docx").stat().st_size > 5000
        assert (tmp_path / campaign / "ke-hoach.pdf").stat().st_size > 5000
    made = {p.name for p in (tmp_path / "ninh-binh-2026").iterdir()}
    for kind in ("quyet-dinh-cong-bo", "bao-cao-ket-qua", "bien-ban", "bao-cao-tu-danh-gia-snv",
                 "bao-cao-tu-danh-gia-xa-gia-vien", "bao-cao-giai-trinh-sxd"):
        assert {f"{kind}.docx", f"{kind}.pdf"} <= made
    from service.batch import jobs_for
    campaign = load_campaign(FIXTURES_DIR / "ninh-binh-2026")
    expected = {f"{job.kind}-{job.unit}" if job.unit else job.kind
                for job in jobs_for(campaign, FIXTURES_DIR / "ninh-binh-2026", tmp_path)}
    assert made == {f"{stem}.{ext}" for stem in expected for ext in ("docx", "pdf")}
    assert len(expected) > 100                     # 13 campaign-level kinds and per-unit reports and letters
    from service.conformance.pdfa import pdfa_problems
    for pdf in sorted(tmp_path.glob("*/*.pdf")):   # every kind, every campaign: PDF/A-2b (issue 27)
        assert pdfa_problems(pdf.read_bytes()) == [], pdf


def test_kinds_schema_words(capsys):
    assert main(["kinds"]) == 0 and capsys.readouterr().out.startswith("ke-hoach\t")
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == Campaign.model_json_schema() and "plan" in schema["properties"]
    for args, expected in [(["1.050.000", "--currency"], "Một triệu không trăm năm mươi nghìn đồng"),
                           (["1050000"], "một triệu không trăm năm mươi nghìn"),
                           (["2,05"], "hai phẩy không năm"),
                           (["105", "--le"], "một trăm lẻ năm"),
                           (["1.000", "--ngan"], "một ngàn"),
                           (["24", "--tu"], "hai mươi tư")]:
        assert main(["words", *args]) == 0
        assert capsys.readouterr().out.strip() == expected
    assert main(["words", "abc"]) == 2
    assert "số không hợp lệ" in capsys.readouterr().err


@pytest.mark.slow
def test_help_on_every_command():
    for command in ("render", "demo", "kinds", "schema", "words", "templates", "clone", "remind"):
        result = run(command, "--help")
        assert result.returncode == 0 and "usage: cchc" in result.stdout


def test_render_per_unit_kinds(tmp_path, capsys):
    campaign = str(FIXTURES_DIR / "ninh-binh-2026")
    assert main(["render", campaign, "--doc", "bao-cao-tu-danh-gia", "--unit", "snv", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "bao-cao-tu-danh-gia-snv.docx").exists() and (tmp_path / "bao-cao-tu-danh-gia-snv.pdf").exists()
    assert main(["render", campaign, "--doc", "bao-cao-tu-danh-gia", "-o", str(tmp_path / "x")]) == 2
    assert "cần --unit" in capsys.readouterr().err
    assert main(["render", campaign, "--doc", "bao-cao-tu-danh-gia", "--unit", "so-ma", "-o", str(tmp_path / "x")]) == 2
    assert "không có đơn vị 'so-ma'" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_reference_in_documents_is_checked(tmp_path):
    data = json.loads((FIXTURES_DIR / "ninh-binh-2026" / "campaign.json").read_text(encoding="utf-8"))
    data["documents"]["quyet-dinh-cong-bo"]["basis"][1] = "Căn cứ {ref:kh-999};"
    (tmp_path / "campaign.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("render", str(tmp_path), "--doc", "quyet-dinh-cong-bo", "-o", str(tmp_path / "out"))
    assert result.returncode == 2 and "documents.quyet-dinh-cong-bo.basis[1]: {ref:kh-999}" in result.stderr


@pytest.mark.parametrize("content, words", [
    ("[" * 100_000 + "]" * 100_000, "JSON lồng quá sâu"),
    ('{"a": ' * 5000 + "1" + "}" * 5000, "JSON lồng quá sâu"),
    ("[1, 2, 3]", "phải là một đối tượng JSON"),
    ('{"id": NaN}', "chỉ nhận số hữu hạn"),
], ids=["deep-list", "deep-object", "top-level-list", "nan"])
def test_hostile_campaign_files_exit_2_without_a_traceback(tmp_path, content, words):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "campaign.json").write_text(content, encoding="utf-8")
    for args in (("render", str(folder), "--doc", "ke-hoach", "-o", str(tmp_path / "out")),
                 ("import", str(folder), "--previous", str(tmp_path / "none.xlsx"))):
        result = run(*args)
        assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert (folder / "campaign.json").read_text(encoding="utf-8") == content and not (tmp_path / "out").exists()


def test_output_paths_that_cannot_be_written(tmp_path):
    taken = tmp_path / "tep.txt"
    taken.write_text("đã có")
    result = run("render", str(FIXTURES_DIR / "tra-vinh-2023"), "--doc", "ke-hoach", "-o", str(taken))
    assert result.returncode == 2 and "đây là một tệp" in result.stderr and "Traceback" not in result.stderr
    assert taken.read_text() == "đã có"
    locked = tmp_path / "khoa"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = run("render", str(FIXTURES_DIR / "tra-vinh-2023"), "--doc", "ke-hoach", "-o", str(locked / "out"))
        import os
        if os.geteuid() != 0:                 # root may write anywhere: the check only matters for others
            assert result.returncode == 2 and "không có quyền ghi" in result.stderr
        assert "Traceback" not in result.stderr
    finally:
        locked.chmod(0o700)


def test_import_refuses_a_campaign_over_the_limit(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    data = json.loads((FIXTURES_DIR / "tra-vinh-2023" / "campaign.json").read_text(encoding="utf-8"))
    data["name"] = data["name"] + " " * (21 * 1024 * 1024)
    text = json.dumps(data, ensure_ascii=False)
    (folder / "campaign.json").write_text(text, encoding="utf-8")
    result = run("import", str(folder), "--previous", str(tmp_path / "none.xlsx"))
    assert result.returncode == 2 and "quá lớn" in result.stderr
    assert (folder / "campaign.json").read_text(encoding="utf-8") == text


def test_templates_list_show_vars(capsys):
    from service.documents.kind_templates import default_template
    assert main(["templates", "list"]) == 0
    listed = capsys.readouterr().out
    assert "quyet-dinh-hoi-dong.txt" in listed and "_cum-tu.txt" in listed
    assert main(["templates", "show", "huong-dan"]) == 0
    assert capsys.readouterr().out == default_template("huong-dan")            # exactly as stored
    assert main(["templates", "vars", "quyet-dinh-hoi-dong"]) == 0
    out = capsys.readouterr().out
    assert "hoi_dong: Bảng thành viên Hội đồng thẩm định" in out and "nam: Năm đánh giá" in out
    assert main(["templates", "vars", "khong-co"]) == 2
    assert "không có mẫu 'khong-co'" in capsys.readouterr().err


def test_a_campaign_folders_own_templates(tmp_path, capsys):
    import shutil
    campaign = tmp_path / "nb"
    shutil.copytree(FIXTURES_DIR / "ninh-binh-2026", campaign)
    (campaign / "templates").mkdir()
    own = campaign / "templates" / "huong-dan.txt"
    assert main(["templates", "show", "huong-dan", str(campaign)]) == 0
    own.write_text(capsys.readouterr().out.replace("Bảo đảm việc", "Thư mục: bảo đảm việc"), encoding="utf-8")
    assert main(["templates", "show", "huong-dan", str(campaign)]) == 0
    assert "Thư mục: bảo đảm việc" in capsys.readouterr().out
    assert main(["templates", "check", str(campaign)]) == 0
    result = run("render", str(campaign), "--doc", "huong-dan", "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert any("Thư mục: bảo đảm việc" in u for u in docx_units(open_docx((tmp_path / "out" / "huong-dan.docx").read_bytes())))
    own.write_text(own.read_text(encoding="utf-8") + "\n{{ nam_khac }}\n", encoding="utf-8")
    (campaign / "templates" / "la.txt").write_text("x", encoding="utf-8")
    assert main(["templates", "check", str(campaign)]) == 2
    err = capsys.readouterr().err
    assert "templates/huong-dan.txt: dòng " in err and "biến 'nam_khac' không tồn tại" in err and "templates/la.txt: không phải mẫu" in err
    result = run("render", str(campaign), "--doc", "ke-hoach", "-o", str(tmp_path / "out2"))
    assert result.returncode == 2 and "không tạo văn bản nào" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out2").exists()


#: Kinds a new year drafts before anything is scored (issue 14): each renders from a fresh clone.
BEFORE_SCORES = ["ke-hoach", "quyet-dinh-hoi-dong", "quyet-dinh-bo-tieu-chi", "huong-dan", "to-trinh-ke-hoach",
                 "to-trinh-hoi-dong", "cong-van-don-doc", "phieu-khao-sat"]


@pytest.mark.slow
def test_clone_makes_next_years_folder_whose_drafts_render(tmp_path):
    new = tmp_path / "ninh-binh-2027"
    result = run("clone", str(FIXTURES_DIR / "ninh-binh-2026"), "--year", "2027", "-o", str(new))
    assert result.returncode == 0, result.stderr
    assert "chưa ghi làm 'kết quả năm trước'" in result.stdout          # 2026 is not published: not copied
    cloned = load_campaign(new)
    assert (cloned.id, cloned.year, cloned.assessments, cloned.previous_results) == ("ninh-binh-2027", 2027, [], [])
    assert cloned.reporting.deadline.isoformat() == "2027-10-31" and cloned.plan.header.number is None
    for kind in BEFORE_SCORES:
        out = tmp_path / "out"
        rendered = run("render", str(new), "--doc", kind, "-o", str(out))
        assert rendered.returncode == 0, (kind, rendered.stderr)
        assert "Kiểm tra soạn thảo" not in rendered.stderr, (kind, rendered.stderr)
        text = docx_units(open_docx((out / f"{kind}.docx").read_bytes()))
        assert "2027" in " ".join(text), kind
    reminder = " ".join(docx_units(open_docx((tmp_path / "out" / "cong-van-don-doc.docx").read_bytes())))
    assert "Đến ngày 31/10/2027, 49 cơ quan, đơn vị chưa gửi báo cáo" in reminder      # not the Sở Nội vụ itself
    again = run("clone", str(FIXTURES_DIR / "ninh-binh-2026"), "--year", "2027", "-o", str(new))
    assert again.returncode == 2 and "không ghi đè" in again.stderr
    copied = run("clone", str(FIXTURES_DIR / "ninh-binh-2026"), "-o", str(tmp_path / "tam"), "--copy-provisional-results")
    assert copied.returncode == 0 and len(load_campaign(tmp_path / "tam").previous_results) == 50
    back = run("clone", str(FIXTURES_DIR / "ninh-binh-2026"), "--year", "2025", "-o", str(tmp_path / "lui"))
    assert back.returncode == 2 and "phải sau năm 2026" in back.stderr and not (tmp_path / "lui").exists()


@pytest.mark.slow
def test_remind_runs_against_the_workspace_database(tmp_path):
    """`cchc remind` migrates and reads the same database as the workspace; an empty one tells nobody."""
    import os
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cchc.sqlite3'}"}
    env.pop("CCHC_SMTP_HOST", None)
    result = subprocess.run([sys.executable, "-m", "service.cli", "remind", "--today", "2026-10-29"],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    assert "Đã nhắc hạn 0 tài khoản (hạn trong 3 ngày tới, tính từ 29/10/2026)." in result.stdout
    bad = subprocess.run([sys.executable, "-m", "service.cli", "remind", "--today", "29/10/2026"],
                         capture_output=True, text=True, timeout=300, env=env)
    assert bad.returncode == 2 and "phải viết YYYY-MM-DD" in bad.stderr and "Traceback" not in bad.stderr
