"""The job queue (issue 15): drafts rendered in the background and kept by content hash, the whole
dossier made by the embedded worker (SQLite and PostgreSQL) and by ``cchc worker`` processes on Redis,
where a worker killed with kill -9 mid-job loses nothing: its message comes back and another worker
completes the job."""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from service import document_files
from service.jobs.dossier import Item, _files, build_dossier
from service.jobs.prerender import edit_key, prerender
from service.jobs.queue import make_queue, send
from service.jobs.tasks import DOSSIER
from service.store import jobs
from service.store.campaigns import load_whole_campaign
from service.store.lifecycle import state_of
from service.store.rendered import kept_count
from tests.conftest import issue_through_the_form, login

#: A Redis database of this test process's own (pytest-xdist workers gw0, gw1, … use 9, 10, …).
REDIS = f"redis://127.0.0.1:6379/{9 + int(os.environ.get('PYTEST_XDIST_WORKER', 'gw0')[2:] or 0)}"


def _engine(app):
    return app.extensions["cchc_engine"]


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"sau {seconds} s vẫn chưa: {what}")


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def embedded_worker(app):
    from service.jobs.embedded import start_embedded_worker, stop_embedded_worker
    worker = start_embedded_worker(app.extensions["cchc_queue"], 2)
    yield worker
    stop_embedded_worker(worker)


@pytest.mark.slow
def test_an_edit_queues_its_rendering_which_renders_once_and_the_download_reads_it(app, monkeypatch):
    """A stored edit queues the rendering of what it changed (with the key it saw); the task renders
    Sở Xây dựng's self-assessment report once; the download then reads that file (the writer is not
    called again); a task superseded by a later edit renders nothing."""
    engine = _engine(app)
    sent = []
    debouncer, now = app.extensions["cchc_debouncer"], [0.0]
    monkeypatch.setattr(debouncer, "send", lambda args: sent.append(("cchc.prerender", args)))   # this app's only
    monkeypatch.setattr(debouncer, "delay", 1.0)
    monkeypatch.setattr(debouncer, "clock", lambda: now[0])    # the test says when time passes, not CI's speed
    client = app.test_client()
    _, token = login(client, "admin")
    data = client.get("/api/campaigns/ninh-binh-2026").get_json()
    for n in range(3):                          # three edits in a row: one rendering, of the last
        data["name"] = data["name"] + " "
        response = client.put("/api/campaigns/ninh-binh-2026", json=data, headers={"X-CSRF-Token": token})
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    time.sleep(1.2)                             # the waiting thread wakes, but no time has passed for it
    assert sent == []                           # nothing while the edits go on
    with debouncer.changed:                     # the unit has now been quiet for two seconds
        now[0] += 2.0
        debouncer.changed.notify()
    _wait_for(lambda: sent, 10, "việc vẽ lại được gửi khi không còn sửa")
    time.sleep(0.5)
    assert sent == [("cchc.prerender", ["ninh-binh-2026", None, edit_key(engine, "ninh-binh-2026", None)])]

    import threading
    calls, here = [], threading.current_thread()
    real = document_files.WRITERS["pdf"]
    # counted in this thread only: a queue thread left by an earlier test of this process may still render
    monkeypatch.setitem(document_files.WRITERS, "pdf",
                        lambda d, m: (threading.current_thread() is here and calls.append(d.kind)) or real(d, m))
    key = edit_key(engine, "ninh-binh-2026", "sxd")
    before = kept_count(engine)
    done = prerender(engine, "ninh-binh-2026", "sxd", key)
    assert "bao-cao-tu-danh-gia" in done and calls == done and kept_count(engine) == before + len(done)
    assert prerender(engine, "ninh-binh-2026", "sxd", key) == done
    assert calls == done                                         # kept by content hash: not rendered again

    pdf = client.get("/chien-dich/ninh-binh-2026/van-ban/bao-cao-tu-danh-gia/sxd.pdf")
    assert pdf.status_code == 200 and calls == done
    assert "DỰ THẢO" in _pdf_text(pdf.data)
    assert prerender(engine, "ninh-binh-2026", "sxd", "a-key-an-edit-has-since-replaced") == []


@pytest.mark.slow
def test_the_workspace_renders_every_campaign_at_its_start(app, monkeypatch):
    """Walk U32: 'cchc serve' and the WSGI app queue, at start, one rendering per stored campaign with the
    campaign as it stands; a start with CCHC_WARM_AT_START=0 (the benchmarks) queues none."""
    from service.store.campaigns import list_campaigns
    from service.web import background
    engine = _engine(app)
    sent = []
    monkeypatch.setattr(background, "send", lambda celery, task, args, countdown=None: sent.append((task, args)) or True)
    assert background.warm_drafts(app) == len(list_campaigns(engine)) >= 3
    assert ("cchc.prerender", ["ninh-binh-2026", None, edit_key(engine, "ninh-binh-2026", None)]) in sent
    assert {args[0] for _, args in sent} == {row[0] for row in list_campaigns(engine)}
    monkeypatch.setenv("CCHC_WARM_AT_START", "0")
    assert background.warm_drafts(app) == 0 and len(sent) == len(list_campaigns(engine))
    # gunicorn's workers share a parent: only the first to start queues the rendering
    monkeypatch.setattr(background.os, "getppid", lambda: 424242)
    assert background.first_worker_of_its_server(app) and not background.first_worker_of_its_server(app)
    monkeypatch.setattr(background.os, "getppid", lambda: 434343)          # the next start of the server
    assert background.first_worker_of_its_server(app)
    assert [p.name for p in Path(app.instance_path).glob("warm-*.start")] == ["warm-434343.start"]
    submitted = []                                           # next year's clone is typeset when made
    monkeypatch.setattr(app.extensions["cchc_debouncer"], "submit", lambda key, args: submitted.append(key))
    client = app.test_client()
    _, token = login(client, "admin")
    assert client.post("/chien-dich/ninh-binh-2026/nhan-ban", data={"csrf_token": token}).status_code == 302
    assert submitted == [("ninh-binh-2027", None)]


@pytest.mark.slow
def test_whole_dossier_through_the_embedded_queue(app, embedded_worker):
    """The Sở Nội vụ of Hà Nam starts the dossier; the page shows its progress; the ZIP holds every
    document that can be made, DOCX that opens and PDF marked DỰ THẢO, and a table of contents."""
    client = app.test_client()
    _, token = login(client, "admin-ha-nam")
    response = client.post("/chien-dich/ha-nam-2023/ho-so-tong-hop", data={"csrf_token": token})
    assert response.status_code == 302
    page = client.get("/chien-dich/ha-nam-2023/ho-so-tong-hop").get_data(as_text=True)
    assert "Tạo hồ sơ tổng hợp" in page and "<progress" in page
    assert re.search(r'data-ho-so="\d+"><td class="num">\d+</td><td>[^<(]*[A-ZĐ][^<]* [^<]+</td>', page)   # a name (U30)
    job_id = int(page.split('data-ho-so="')[1].split('"')[0])
    again = client.post("/chien-dich/ha-nam-2023/ho-so-tong-hop", data={"csrf_token": token}, follow_redirects=True)
    assert f"số {job_id}" in again.get_data(as_text=True)

    status = _wait_for(lambda: (s := client.get(f"/api/campaigns/ha-nam-2023/dossiers/{job_id}").get_json())["trang_thai"]
                       in ("xong", "loi") and s, 240, "hồ sơ tổng hợp xong")
    assert status["trang_thai"] == "xong", status
    assert status["phan_tram"] == 100 and status["da_xong"] == status["tong_so"] > 20
    page = client.get("/chien-dich/ha-nam-2023/ho-so-tong-hop").get_data(as_text=True)
    assert "Tải ZIP" in page and 'http-equiv="refresh"' not in page
    assert __import__("re").search(r"\(\d+,\d MB\)", page)                   # walk U30: a decimal comma

    download = client.get(status["tai_ve"])
    assert download.status_code == 200 and download.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    names = archive.namelist()
    contents = archive.read(next(n for n in names if n.endswith("MUC-LUC.txt"))).decode("utf-8-sig")
    assert f"{status['tong_so']} văn bản" in contents and "chưa lập được: " in contents
    docx_names = [n for n in names if n.endswith(".docx")]
    pdf_names = [n for n in names if n.endswith(".pdf")]
    assert len(docx_names) == len(pdf_names) >= 10
    assert any("/don-vi/" in n for n in pdf_names) and any("/chung/" in n for n in pdf_names)
    plan = next(n for n in docx_names if "ke-hoach-du-thao" in n)
    assert "KẾ HOẠCH" in "\n".join(p.text for p in docx.Document(io.BytesIO(archive.read(plan))).paragraphs)
    assert "DỰ THẢO" in _pdf_text(archive.read(plan.replace(".docx", ".pdf")))


def test_dossier_access(app):
    """Only staff of the campaign's province see dossiers; only the Sở Nội vụ starts one; another
    province's job is not found."""
    engine = _engine(app)
    theirs = jobs.create_job(engine, DOSSIER, "ha-nam", "ha-nam-2023", "admin-ha-nam")
    ours = jobs.create_job(engine, DOSSIER, "ninh-binh", "ninh-binh-2026", "admin")
    unit = app.test_client()
    _, token = login(unit, "soxaydung")
    assert unit.get("/chien-dich/ninh-binh-2026/ho-so-tong-hop").status_code == 403
    assert unit.post("/api/campaigns/ninh-binh-2026/dossiers", headers={"X-CSRF-Token": token}).status_code == 403
    leader = app.test_client()
    _, token = login(leader, "lanhdao")
    assert leader.get("/chien-dich/ninh-binh-2026/ho-so-tong-hop").status_code == 200
    assert leader.post("/chien-dich/ninh-binh-2026/ho-so-tong-hop", data={"csrf_token": token}).status_code == 403
    assert leader.get(f"/api/campaigns/ninh-binh-2026/dossiers/{ours}").status_code == 200
    assert leader.get(f"/api/campaigns/ninh-binh-2026/dossiers/{theirs}").status_code == 404
    assert leader.get(f"/api/campaigns/ha-nam-2023/dossiers/{theirs}").status_code == 404
    assert leader.get(f"/chien-dich/ninh-binh-2026/ho-so-tong-hop/{ours}.zip").status_code == 404   # not made yet


def test_the_dossier_holds_the_issued_version_not_a_new_draft(app):
    """An issued document goes into the dossier as issued (its number, its bytes), not re-rendered."""
    from service.store.issuing import issued_version
    assert issue_through_the_form(app, "ninh-binh-2026", "huong-dan").status_code == 302
    engine = _engine(app)
    campaign, _ = load_whole_campaign(engine, "ninh-binh-2026")
    state = state_of(engine, "ninh-binh-2026", "huong-dan", None)
    version = issued_version(engine, state.current_version_id)
    files, status = _files(engine, campaign, Item("huong-dan", None), state, {})
    assert dict(files) == {name: data for name, data in files}
    assert [data for _, data in files] == [version.docx, version.pdf]
    assert status.startswith("đã ban hành, ") and version.number_line in status
    assert all("du-thao" not in name for name, _ in files)


def test_a_dossier_made_twice_is_the_same_and_renders_nothing_again(app, monkeypatch):
    engine = _engine(app)
    moment = dt.datetime(2026, 11, 28, 9, 30)
    first = build_dossier(engine, "tra-vinh-2023", moment)
    monkeypatch.setitem(document_files.WRITERS, "pdf", lambda d, m: pytest.fail("rendered again"))
    monkeypatch.setitem(document_files.WRITERS, "docx", lambda d, m: pytest.fail("rendered again"))
    assert build_dossier(engine, "tra-vinh-2023", moment) == first


def test_the_sweeper_sends_again_a_job_whose_worker_died(app, monkeypatch):
    """Embedded queue: a running job silent for longer than STALE_AFTER (its process was killed) is
    sent again; a finished one is not."""
    from service.jobs import embedded
    engine = _engine(app)
    lost = jobs.create_job(engine, DOSSIER, "ha-nam", "ha-nam-2023", "admin-ha-nam")
    done = jobs.create_job(engine, DOSSIER, "ha-nam", "ha-nam-2023", "admin-ha-nam")
    assert jobs.start_job(engine, lost) and jobs.start_job(engine, done)
    jobs.finish_job(engine, done, b"zip")
    later = dt.datetime.now(dt.timezone.utc) + jobs.STALE_AFTER + dt.timedelta(seconds=5)
    assert jobs.stale_jobs(engine, DOSSIER, now=later) == [lost]
    assert jobs.stale_jobs(engine, DOSSIER) == []
    sent = []
    monkeypatch.setattr(embedded, "send", lambda c, task, args, countdown=None: sent.append((task, args)))
    real = jobs.stale_jobs
    monkeypatch.setattr(jobs, "stale_jobs", lambda e, kind, now=None: real(e, kind, now=later))
    assert embedded.sweep(app.extensions["cchc_queue"]) == [lost]
    assert sent == [("cchc.dossier", [lost])]


@pytest.mark.slow
def test_issuing_leaves_the_pdf_to_the_queue_which_typesets_it_once(app, embedded_worker, monkeypatch):
    """The văn thư's request numbers and freezes the Hướng dẫn without typesetting its PDF (the
    campaign's lock is not held for weasyprint); the embedded worker typesets it from the frozen print
    HTML, with the ND30 signature fields; the download reads those bytes, and the task delivered once
    more changes nothing."""
    import threading

    from service.store import issued_pdf
    from service.store.issuing import issued_version
    engine = _engine(app)
    calls = []
    real = issued_pdf.pdf_from_html
    monkeypatch.setattr(issued_pdf, "pdf_from_html",
                        lambda html, seal_place: calls.append(threading.current_thread().name) or real(html, seal_place))
    request_thread = threading.current_thread().name
    assert issue_through_the_form(app, "ninh-binh-2026", "huong-dan").status_code == 302
    state = state_of(engine, "ninh-binh-2026", "huong-dan", None)
    version = _wait_for(lambda: (v := issued_version(engine, state.current_version_id, with_pdf=False)).pdf and v, 60,
                        "PDF bản ban hành được tạo trong hàng đợi")
    assert calls and request_thread not in calls and len(calls) == 1
    assert version.pdf_source is None and "01/HD-SNV" in _pdf_text(version.pdf)
    assert {"ChuKy", "DauCoQuan"} <= set(PdfReader(io.BytesIO(version.pdf)).get_fields() or {})
    client = app.test_client()
    login(client, "vanthu")
    page = client.get("/chien-dich/ninh-binh-2026/van-ban/huong-dan.html").get_data(as_text=True)
    assert version.pdf_sha256[:16] in page and "đang tạo PDF" not in page
    download = client.get(f"/chien-dich/ninh-binh-2026/ban-chinh-thuc/{version.id}.pdf")
    assert download.status_code == 200 and download.data == version.pdf and len(calls) == 1
    assert send(app.extensions["cchc_queue"], "cchc.issued_pdfs", ["ninh-binh-2026"])
    time.sleep(2)
    assert len(calls) == 1 and issued_version(engine, version.id).pdf == version.pdf


def test_a_pdf_not_yet_typeset_is_made_by_its_first_reader_and_the_sweeper_resends_it(app, monkeypatch):
    """No worker (its message lost with its process): the document's page says the PDF is being made,
    the first download typesets and keeps it, a second typesetting stores nothing, and the sweeper
    sends the campaign's PDFs again once they are a minute late."""
    from service.jobs import embedded
    from service.store import issued_pdf
    engine = _engine(app)
    assert issue_through_the_form(app, "ninh-binh-2026", "huong-dan").status_code == 302
    [pending] = issued_pdf.pending(engine, "ninh-binh-2026")
    client = app.test_client()
    login(client, "vanthu")
    assert "đang tạo PDF" in client.get("/chien-dich/ninh-binh-2026/van-ban/huong-dan.html").get_data(as_text=True)
    assert issued_pdf.campaigns_pending(engine, dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)) == []
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=2)
    assert issued_pdf.campaigns_pending(engine, later) == ["ninh-binh-2026"]
    sent = []
    monkeypatch.setattr(embedded, "send", lambda c, task, args, countdown=None: sent.append((task, args)))
    monkeypatch.setattr(embedded.issued_pdf, "campaigns_pending", lambda e, older_than: issued_pdf.pending(e) and ["ninh-binh-2026"])
    embedded.sweep(app.extensions["cchc_queue"])
    assert sent == [("cchc.issued_pdfs", ["ninh-binh-2026"])]

    download = client.get("/chien-dich/ninh-binh-2026/van-ban/huong-dan.pdf")
    assert download.status_code == 200 and "01/HD-SNV" in _pdf_text(download.data)
    assert issued_pdf.pending(engine, "ninh-binh-2026") == [] and not issued_pdf.typeset(engine, pending)
    assert client.get("/chien-dich/ninh-binh-2026/van-ban/huong-dan.pdf").data == download.data


# ------------------------------------------------------------------- Redis: kill -9 of a worker
def _redis_or_skip():
    import redis
    client = redis.Redis.from_url(REDIS)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.skip(f"Redis không trả lời ở {REDIS}: {error}")
    client.flushdb()
    return client


def _worker(database_url: str, tmp_path, name: str, typeset_cache: bool = True, **extra: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "CCHC_QUEUE_URL": REDIS, "CCHC_QUEUE_VISIBILITY": "8",
           "CCHC_DATA_DIR": str(tmp_path / "instance"), "CCHC_JOB_HEARTBEAT": "1", **extra}
    if not typeset_cache:                 # worker A must still be typesetting when it is killed
        env.pop("CCHC_RENDER_CACHE", None)
    log = open(tmp_path / f"{name}.log", "wb")
    return subprocess.Popen([sys.executable, "-m", "service.cli", "worker", "--loglevel", "INFO"], env=env,
                            stdout=log, stderr=subprocess.STDOUT)


@pytest.mark.slow
def test_a_job_survives_its_worker_killed_with_kill_9(database, tmp_path):
    """On Redis with late acknowledgement: worker A takes the dossier of Hà Nam and is killed (SIGKILL)
    after a few documents; the message comes back after the visibility timeout, worker B takes the
    job over once A's heartbeat is stale, and completes it — with what A rendered kept, not redone."""
    _redis_or_skip()
    from service.store.db import make_engine
    from service.web.demo import seed_demo
    engine = make_engine(database)
    seed_demo(engine)
    os.environ["CCHC_QUEUE_URL"] = REDIS
    try:
        celery = make_queue(database)
    finally:
        del os.environ["CCHC_QUEUE_URL"]
    job_id = jobs.create_job(engine, DOSSIER, "ha-nam", "ha-nam-2023", "admin-ha-nam")
    first = _worker(database, tmp_path, "a", typeset_cache=False)
    second = None
    try:
        assert send(celery, "cchc.dossier", [job_id])
        _wait_for(lambda: (j := jobs.job(engine, job_id)).state == "dang-chay" and j.done >= 3, 120,
                  "worker A đã làm vài văn bản")
        kept_before = kept_count(engine)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        assert jobs.job(engine, job_id).state == "dang-chay"
        killed_at = time.monotonic()
        second = _worker(database, tmp_path, "b")
        finished = _wait_for(lambda: (j := jobs.job(engine, job_id)).finished and j, 90, "worker B làm xong việc")
        assert finished.state == "xong", (finished.message, (tmp_path / "b.log").read_text()[-2000:])
        assert time.monotonic() - killed_at < 60
        assert finished.attempts == 2
        assert kept_count(engine) >= kept_before
        archive = zipfile.ZipFile(io.BytesIO(jobs.job_result(engine, job_id)))
        assert archive.testzip() is None and any(n.endswith("MUC-LUC.txt") for n in archive.namelist())
        # the same message delivered once more (a duplicate) finds the job done: nothing happens
        assert send(celery, "cchc.dossier", [job_id])
        time.sleep(3)
        assert jobs.job(engine, job_id).attempts == 2
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
        engine.dispose()


@pytest.mark.slow
def test_a_redis_worker_survives_garbage_and_sends_again_what_an_outage_lost(database, tmp_path):
    """Review S13: one unreadable message made `cchc worker` exit ("Unrecoverable error"); S6: a dossier
    asked for while Redis was down stayed 'đang chờ' for ever (only the embedded worker swept). Now
    the worker drops what it cannot read and keeps working, and sweeps too."""
    client = _redis_or_skip()
    from sqlalchemy import update
    from sqlalchemy.orm import Session
    from service.store.db import make_engine
    from service.store.models import JobRecord
    from service.web.demo import seed_demo
    engine = make_engine(database)
    seed_demo(engine)
    job_id = jobs.create_job(engine, DOSSIER, "ha-nam", "ha-nam-2023", "admin-ha-nam")   # its message was lost
    with Session(engine) as session, session.begin():
        session.execute(update(JobRecord).where(JobRecord.id == job_id).values(
            created_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=10)))
    client.lpush("cchc", b"\x00\xffnot json", b'{"khong": "phai phong bi"}', b"[1, 2")
    worker = _worker(database, tmp_path, "w", CCHC_JOB_LOST_SECONDS="1")
    try:
        _wait_for(lambda: jobs.job(engine, job_id).state != "cho", 90, "bộ quét gửi lại việc bị mất")
        os.environ["CCHC_QUEUE_URL"] = REDIS
        try:
            celery = make_queue(database)
        finally:
            del os.environ["CCHC_QUEUE_URL"]
        assert send(celery, "cchc.issued_pdfs", ["ha-nam-2023"])
        _wait_for(lambda: "cchc.issued_pdfs" in (tmp_path / "w.log").read_text() and "succeeded" in
                  (tmp_path / "w.log").read_text(), 60, "worker vẫn nhận việc sau thông điệp hỏng")
        log = (tmp_path / "w.log").read_text()
        assert worker.poll() is None and "Unrecoverable" not in log and "bỏ một thông điệp hỏng" in log, log[-3000:]
    finally:
        worker.terminate()
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()
        engine.dispose()


def test_an_issued_documents_download_reads_no_other_units_data(app, monkeypatch):
    """While every unit saves, the whole campaign's key changes with each save; the download of an
    issued document opens only the core (and its unit's part), never the whole campaign."""
    assert issue_through_the_form(app, "ninh-binh-2026", "huong-dan").status_code == 302
    client = app.test_client()
    login(client, "lanhdao")
    unit = app.test_client()
    login(unit, "soxaydung")
    monkeypatch.setattr("service.web.cache.load_whole_campaign",
                        lambda *a, **k: pytest.fail("the whole campaign was read for an issued file"))
    for fmt in ("pdf", "docx"):
        response = client.get(f"/chien-dich/ninh-binh-2026/van-ban/huong-dan.{fmt}")
        assert response.status_code == 200 and "01-HD-SNV" in response.headers["Content-Disposition"]
    assert "01/HD-SNV" in _pdf_text(client.get("/chien-dich/ninh-binh-2026/van-ban/huong-dan.pdf").data)
    assert unit.get("/chien-dich/ninh-binh-2026/van-ban/quyet-dinh-cong-bo.pdf").status_code == 403
