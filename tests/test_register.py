"""The register of outgoing documents on SQLite and PostgreSQL: numbers from 01 each Vietnamese year,
never duplicated or skipped under concurrent issuing (threads and processes), voided numbers kept."""
import datetime as dt
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest
from sqlalchemy import inspect

from service.store.db import make_engine
from service.store.migrate import downgrade, upgrade
from service.store.register import issue_number, register_numbers, vietnam_today, void_number

NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.timezone.utc)

def _issue(engine, agency="snv", register="chung", now=NOW, symbol="SNV-CCHC"):
    return issue_number(engine, agency=agency, register=register, symbol=symbol, kind="cong-van",
                        issued_by="vanthu@snv", now=now)


def test_migration_creates_and_drops_the_schema(database):
    engine = make_engine(database)
    assert {"campaigns", "register_counters", "register_entries", "audit_entries"} <= set(inspect(engine).get_table_names())
    engine.dispose()
    downgrade(database)
    engine = make_engine(database)
    assert "register_entries" not in inspect(engine).get_table_names()
    engine.dispose()
    upgrade(database)


def test_numbers_per_agency_register_and_vietnamese_year(database):
    engine = make_engine(database)
    assert [_issue(engine).number for _ in range(3)] == [1, 2, 3]
    assert _issue(engine, agency="stc", symbol="STC-NS").number == 1          # another agency
    assert _issue(engine, register="hoi-dong", symbol="HĐTĐ").number == 1      # the council's own sequence
    eve = dt.datetime(2026, 12, 31, 16, 59, 59, tzinfo=dt.timezone.utc)       # 23:59:59 on 31/12 in Vietnam
    new_year = dt.datetime(2026, 12, 31, 17, 0, 0, tzinfo=dt.timezone.utc)   # 00:00:00 on 01/01/2027
    assert vietnam_today(eve) == dt.date(2026, 12, 31) and vietnam_today(new_year) == dt.date(2027, 1, 1)
    assert _issue(engine, now=eve).number == 4
    first = _issue(engine, now=new_year)
    assert (first.year, first.number, first.issued_on) == (2027, 1, dt.date(2027, 1, 1))
    engine.dispose()


def test_voided_numbers_stay_and_are_not_reused(database):
    engine = make_engine(database)
    first, second = _issue(engine), _issue(engine)
    void_number(engine, second.id, "Cấp nhầm cho văn bản chưa ký", "vanthu@snv")
    assert _issue(engine).number == 3
    assert register_numbers(engine, "snv", 2026) == [(1, "issued"), (2, "voided"), (3, "issued")]
    with pytest.raises(ValueError, match="phải ghi lý do"):
        void_number(engine, first.id, "  ", "vanthu@snv")
    with pytest.raises(ValueError, match="đã bị hủy"):
        void_number(engine, second.id, "lần nữa", "vanthu@snv")
    engine.dispose()


def test_a_failed_issue_skips_no_number(database):
    engine = make_engine(database)
    _issue(engine)
    with pytest.raises(Exception):
        _issue(engine, symbol=None)       # the entry cannot be recorded: its number is rolled back
    assert _issue(engine).number == 2
    assert [n for n, _ in register_numbers(engine, "snv", 2026)] == [1, 2]
    engine.dispose()


def _issue_many(url: str, count: int) -> list[int]:
    engine = make_engine(url)
    try:
        return [_issue(engine).number for _ in range(count)]
    finally:
        engine.dispose()


@pytest.mark.slow
def test_concurrent_threads_and_processes_never_duplicate_or_skip(database):
    threads, processes, each = 8, 3, 15
    with ThreadPoolExecutor(max_workers=threads) as pool:
        thread_numbers = [n for batch in pool.map(lambda _: _issue_many(database, each), range(threads)) for n in batch]
    with ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn")) as pool:
        process_numbers = [n for batch in pool.map(_issue_many, [database] * processes, [each] * processes) for n in batch]
    total = (threads + processes) * each
    everything = thread_numbers + process_numbers
    assert sorted(everything) == list(range(1, total + 1))
    engine = make_engine(database)
    assert [n for n, _ in register_numbers(engine, "snv", 2026)] == list(range(1, total + 1))
    engine.dispose()


def test_campaigns_are_validated_before_they_are_stored(database):
    import json as _json

    from data_models import InvalidCampaign
    from fixtures import FIXTURES_DIR
    from service.store.campaigns import audit_trail, list_campaigns, load_stored_campaign, save_campaign

    engine = make_engine(database)
    data = _json.loads((FIXTURES_DIR / "ninh-binh-2026" / "campaign.json").read_text(encoding="utf-8"))
    save_campaign(engine, data, "admin@snv", "ninh-binh")
    assert list_campaigns(engine) == [("ninh-binh-2026", 2026, data["name"])]
    broken = _json.loads(_json.dumps(data))
    broken["assessments"][0]["scores"][0]["self_score"] = 99
    with pytest.raises(InvalidCampaign) as error:
        save_campaign(engine, broken, "admin@snv", "ninh-binh")
    assert any("vượt điểm tối đa" in str(p) for p in error.value.problems)
    stored = load_stored_campaign(engine, "ninh-binh-2026")             # the good version is intact
    assert stored.assessments[0].scores[0].self_score == data["assessments"][0]["scores"][0]["self_score"]
    data["name"] = data["name"] + " (bản sửa)"
    save_campaign(engine, data, "admin@snv", "ninh-binh")
    trail = audit_trail(engine, "campaign/")
    assert [a.action for a in trail] == ["luu-chien-dich", "luu-chien-dich"]
    assert _json.loads(trail[0].old_value)["sha256"] is None
    assert _json.loads(trail[1].old_value)["sha256"] == _json.loads(trail[0].new_value)["sha256"]
    engine.dispose()


def test_upgrade_puts_existing_data_in_its_province(database):
    """Migration 0006 on a database that already has campaigns, accounts and numbers: the campaign
    joins the province its campaign.json names, accounts join their campaign's province, names get
    their case-insensitive key and the counters are rebuilt per province."""
    import json as _json

    from sqlalchemy import text

    from fixtures import FIXTURES_DIR
    downgrade(database, "0005")
    engine = make_engine(database)
    data = (FIXTURES_DIR / "ninh-binh-2026" / "campaign.json").read_text(encoding="utf-8")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO campaigns (id, year, name, data, sha256) VALUES ('ninh-binh-2026', 2026, 'x', :d, 'h')"),
                           {"d": data})
        connection.execute(text("INSERT INTO users (username, password_hash, full_name, role, campaign_id) "
                                "VALUES ('VanThu', 'x', 'Văn thư', 'vanthu', 'ninh-binh-2026')"))
        connection.execute(text("INSERT INTO register_entries (agency, register, year, number, symbol, kind, campaign_id, "
                                "issued_on, status, issued_by) VALUES ('snv', 'chung', 2026, 7, 'HD-SNV', 'huong-dan', "
                                "'ninh-binh-2026', '2026-11-02', 'issued', 'vanthu')"))
        connection.execute(text("INSERT INTO register_counters (agency, register, year, last_number) VALUES ('snv', 'chung', 2026, 7)"))
    engine.dispose()
    upgrade(database)
    engine = make_engine(database)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id, name FROM organisations")).all() == [("ninh-binh", "tỉnh Ninh Bình")]
        assert connection.execute(text("SELECT organisation_id FROM campaigns")).scalar() == "ninh-binh"
        assert connection.execute(text("SELECT username_key, organisation_id FROM users")).one() == ("vanthu", "ninh-binh")
        assert connection.execute(text("SELECT organisation_id, last_number FROM register_counters")).one() == ("ninh-binh", 7)
    assert issue_number(engine, organisation="ninh-binh", agency="snv", symbol="HD-SNV", kind="huong-dan",
                        issued_by="vanthu", now=NOW).number == 8
    assert _json.loads(data)["province"] == "Ninh Bình"
    engine.dispose()


def test_register_over_the_api(app):
    """The register's year and voiding a number, as the register page does, for machine clients."""
    from tests.conftest import issue_through_the_form, login
    assert issue_through_the_form(app, "ninh-binh-2026", "huong-dan").status_code == 302
    clerk = app.test_client()
    _, token = login(clerk, "vanthu")
    year = vietnam_today().year
    listed = clerk.get(f"/api/register/{year}").get_json()["so_van_ban"]
    guide = next(e for e in listed if e["loai"] == "huong-dan")
    assert guide["trang_thai"] == "da-cap" and guide["so_ky_hieu"].endswith(guide["ky_hieu"])
    where = f"/api/register/entries/{guide['ma']}/void"
    headers = {"X-CSRF-Token": token}
    assert clerk.post(where, json={"ly_do": "Cấp nhầm"}, headers=headers).status_code == 400
    assert clerk.post(where, json={"xac_nhan": True, "ly_do": 5}, headers=headers).status_code == 422
    other = app.test_client()
    _, other_token = login(other, "admin-ha-nam")
    assert other.post(where, json={"xac_nhan": True, "ly_do": "x"}, headers={"X-CSRF-Token": other_token}).status_code == 404
    done = clerk.post(where, json={"xac_nhan": True, "ly_do": "Cấp nhầm số"}, headers=headers)
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.get_json()["so"]["trang_thai"] == "da-huy" and done.get_json()["so"]["ly_do_huy"] == "Cấp nhầm số"
    again = next(e for e in clerk.get(f"/api/register/{year}").get_json()["so_van_ban"] if e["ma"] == guide["ma"])
    assert again["trang_thai"] == "da-huy"
