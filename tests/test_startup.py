"""Start-up and outages on PostgreSQL: gunicorn with two workers on a fresh database starts every
time (the schema is upgraded once, under an advisory lock); workers started before their database
keep retrying and serve once it is there; a database lost at run time answers 503 with Retry-After."""
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_ADMIN, login


def _admin():
    try:
        engine = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
        with engine.connect():
            pass
        return engine
    except Exception as error:
        pytest.skip(f"PostgreSQL không trả lời ở {POSTGRES_ADMIN}: {type(error).__name__}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(url: str, tmp_path, port: int, wait: str = "60") -> subprocess.Popen:
    environment = {**os.environ, "DATABASE_URL": url, "CCHC_DATA_DIR": str(tmp_path / "instance"), "SECRET_KEY": "x",
                   "CCHC_DB_WAIT_SECONDS": wait}
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "--bind", f"127.0.0.1:{port}",
                             "--graceful-timeout", "2", "service.web.wsgi:app"],
                            env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for_login_page(port: int, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("gunicorn dừng khi khởi động:\n" + process.stdout.read())
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise AssertionError("gunicorn không phục vụ trang đăng nhập sau 90 giây")


def _stop(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output


@pytest.mark.slow
def test_two_workers_on_a_fresh_database_start_five_times(tmp_path):
    admin = _admin()
    for attempt in range(5):
        name = f"cchc_boot_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"
        port = _free_port()
        process = _start(url, tmp_path / str(attempt), port)
        try:
            _wait_for_login_page(port, process)
            time.sleep(1.0)                               # both workers have booted (or died) by now
            assert process.poll() is None
        finally:
            output = _stop(process)
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        assert "Worker failed to boot" not in output and "UniqueViolation" not in output, output
        assert output.count("Booting worker") >= 2, output
    admin.dispose()


@pytest.mark.slow
def test_workers_wait_for_a_database_that_is_not_there_yet(tmp_path):
    admin = _admin()
    name = f"cchc_late_{uuid.uuid4().hex[:8]}"
    url = POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    port = _free_port()
    process = _start(url, tmp_path, port)
    try:
        time.sleep(4)
        assert process.poll() is None                   # still trying, not crashed
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        _wait_for_login_page(port, process)
    finally:
        output = _stop(process)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    assert "Cơ sở dữ liệu chưa sẵn sàng" in output


def test_database_lost_at_run_time_answers_503(app):
    from service.store.db import make_engine
    client = app.test_client()
    _, token = login(client, "admin")
    working = app.extensions["cchc_engine"]
    app.extensions["cchc_engine"] = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/gone")
    try:
        page = client.get("/chien-dich/ninh-binh-2026")
        api = client.get("/api/campaigns")
    finally:
        app.extensions["cchc_engine"].dispose()
        app.extensions["cchc_engine"] = working
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "tạm thời không truy cập được" in page.get_data(as_text=True)
    assert api.status_code == 503 and "tạm thời không truy cập được" in api.get_json()["loi"]
    assert client.get("/chien-dich/ninh-binh-2026").status_code == 200
