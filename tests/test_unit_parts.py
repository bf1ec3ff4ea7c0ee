"""A campaign kept in parts (issue 15), on SQLite and PostgreSQL: campaign.json goes in and comes out
byte for byte; a unit's save writes only that unit's part, checked with the core, and stores exactly
what a whole-campaign save of the same edit would; a unit's edit that reaches outside its part is
refused; on PostgreSQL one unit's save does not wait for another's, while an edit of the core waits
for both; the migration splits and joins existing campaigns without changing a byte of them."""
import copy
import json
import threading

import pytest
import sqlalchemy as sa

from data_models import campaign_data, parse_campaign
from fixtures import FIXTURES_DIR
from service.store.campaign_parts import text_of
from service.store.campaigns import (Change, ensure_organisation, load_whole_campaign, save_campaign, stored_campaign_hash,
                                     stored_campaign_text, update_campaign)
from service.store.db import make_engine
from service.store.migrate import upgrade

C = "ninh-binh-2026"


def _raw(name: str) -> dict:
    return json.loads((FIXTURES_DIR / name / "campaign.json").read_text(encoding="utf-8"))


@pytest.fixture()
def engine(database):
    engine = make_engine(database)
    ensure_organisation(engine, "ninh-binh", "Tỉnh Ninh Bình")
    yield engine
    engine.dispose()


def _rows(engine, table: str) -> dict:
    with engine.connect() as connection:
        if table == "campaigns":
            return dict(connection.execute(sa.text("SELECT id, sha256 FROM campaigns")).all())
        return {(c, u): sha for c, u, sha in connection.execute(sa.text("SELECT campaign_id, unit_id, sha256 FROM unit_parts"))}


def _score(unit: str, code: str, value):
    def edit(data: dict) -> list[Change]:
        row = next(s for a in data["assessments"] if a["unit"] == unit for s in a["scores"] if s["code"] == code)
        old, row["self_score"] = row.get("self_score"), value
        return [Change(f"{C}/{unit}/{code}/self_score", old, value)]
    return edit


@pytest.mark.parametrize("fixture", ["ninh-binh-2026", "ha-nam-2023", "tra-vinh-2023"])
def test_campaign_json_round_trips_exactly(engine, fixture):
    data = _raw(fixture)
    save_campaign(engine, data, "test", "ninh-binh")
    expected = text_of(campaign_data(parse_campaign(data)))
    assert stored_campaign_text(engine, data["id"]) == expected
    units_with_entries = {a["unit"] for a in data.get("assessments", [])} | {s["unit"] for s in data.get("survey_answers", [])}
    assert {u for c, u in _rows(engine, "unit_parts") if c == data["id"]} == units_with_entries
    save_campaign(engine, json.loads(expected), "test", "ninh-binh")      # storing it again changes nothing
    assert stored_campaign_text(engine, data["id"]) == expected
    assembled, digest = load_whole_campaign(engine, data["id"])           # from the parts validated one by one
    assert text_of(campaign_data(assembled)) == expected and digest == stored_campaign_hash(engine, data["id"])


def test_a_units_save_writes_its_part_only_and_equals_a_whole_save(engine):
    data = _raw("ninh-binh-2026")
    save_campaign(engine, data, "test", "ninh-binh")
    code = next(s["code"] for a in data["assessments"] if a["unit"] == "sxd" for s in a["scores"] if s.get("self_score"))
    cores, parts = _rows(engine, "campaigns"), _rows(engine, "unit_parts")
    before = stored_campaign_hash(engine, C)
    campaign, changes = update_campaign(engine, C, _score("sxd", code, 0), "test", unit_id="sxd")
    assert [u.id for u in campaign.units() if campaign.assessment(u.id)] == ["sxd"] and len(changes) == 1
    assert _rows(engine, "campaigns") == cores                                   # the core is not written
    changed = {key for key, sha in _rows(engine, "unit_parts").items() if parts.get(key) != sha}
    assert changed == {(C, "sxd")} and stored_campaign_hash(engine, C) != before
    whole = copy.deepcopy(data)
    _score("sxd", code, 0)(whole)
    assert stored_campaign_text(engine, C) == text_of(campaign_data(parse_campaign(whole)))
    assert text_of(campaign_data(load_whole_campaign(engine, C)[0])) == text_of(campaign_data(parse_campaign(whole)))

    over = _score("sxd", code, 999)                                             # checked against the core's criteria
    with pytest.raises(Exception) as refused:
        update_campaign(engine, C, over, "test", unit_id="sxd")
    assert "vượt" in str(refused.value) or "tối đa" in str(refused.value)
    assert stored_campaign_text(engine, C) == text_of(campaign_data(parse_campaign(whole)))

    def reaches_out(data: dict) -> list[Change]:
        data["name"] = "Tên khác"
        return [Change(f"{C}/name", "", "Tên khác")]
    with pytest.raises(ValueError, match="chỉ được sửa phần của đơn vị đó"):
        update_campaign(engine, C, reaches_out, "test", unit_id="sxd")
    assert stored_campaign_text(engine, C) == text_of(campaign_data(parse_campaign(whole)))


def test_a_units_first_assessment_is_placed_after_the_others(engine):
    data = _raw("ninh-binh-2026")
    moved = next(a for a in data["assessments"] if a["unit"] == "stp")
    data["assessments"].remove(moved)
    save_campaign(engine, data, "test", "ninh-binh")

    def add(data: dict) -> list[Change]:
        data["assessments"].append(copy.deepcopy(moved))
        return [Change(f"{C}/stp", None, "có")]
    update_campaign(engine, C, add, "test", unit_id="stp")
    stored = json.loads(stored_campaign_text(engine, C))
    assert [a["unit"] for a in stored["assessments"]][-1] == "stp"
    assert len(stored["assessments"]) == len(data["assessments"]) + 1


@pytest.mark.slow
def test_units_do_not_wait_for_each_other_but_the_core_waits_for_them(database):
    if not database.startswith("postgresql"):
        pytest.skip("SQLite writes one transaction at a time by design; row locks are PostgreSQL's")
    engine = make_engine(database)
    ensure_organisation(engine, "ninh-binh", "Tỉnh Ninh Bình")
    data = _raw("ninh-binh-2026")
    save_campaign(engine, data, "test", "ninh-binh")
    first_code = next(s["code"] for a in data["assessments"] if a["unit"] == "sxd" for s in a["scores"])
    other_code = next(s["code"] for a in data["assessments"] if a["unit"] == "stp" for s in a["scores"])
    inside, release, finished = threading.Event(), threading.Event(), {}

    def slow(data: dict) -> list[Change]:
        changes = _score("sxd", first_code, 0)(data)
        inside.set()
        assert release.wait(60)
        return changes

    def run(name, *args, **kwargs):
        update_campaign(engine, C, *args, **kwargs)
        finished[name] = True
    first = threading.Thread(target=run, args=("sxd", slow, "sxd-user"), kwargs={"unit_id": "sxd"})
    first.start()
    assert inside.wait(60)                                   # Sở Xây dựng's save holds its lock …
    run("stp", _score("stp", other_code, 0), "stp-user", unit_id="stp")     # … Sở Tư pháp's commits meanwhile
    assert finished == {"stp": True}

    def rename(data: dict) -> list[Change]:
        data["name"] = data["name"] + " (sửa)"
        return [Change(f"{C}/name", "", data["name"])]
    core = threading.Thread(target=run, args=("core", rename, "admin"))
    core.start()
    core.join(1.5)
    assert core.is_alive() and "core" not in finished        # an edit of the core waits for the unit's save
    release.set()
    first.join(60)
    core.join(60)
    assert finished == {"stp": True, "sxd": True, "core": True}
    stored = json.loads(stored_campaign_text(engine, C))
    scores = {(a["unit"], s["code"]): s.get("self_score") for a in stored["assessments"] for s in a["scores"]}
    assert scores[("sxd", first_code)] == 0 and scores[("stp", other_code)] == 0 and stored["name"].endswith("(sửa)")
    engine.dispose()


def test_the_migration_splits_and_joins_without_changing_a_byte(tmp_path):
    url = f"sqlite:///{tmp_path / 'cu.db'}"
    upgrade(url, "0011")
    data = campaign_data(parse_campaign(_raw("ninh-binh-2026")))
    text = text_of(data)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO campaigns (id, organisation_id, year, name, data, sha256) "
                                   "VALUES (:i, 'ninh-binh', 2026, 'Cũ', :d, '')"), {"i": C, "d": text})
    upgrade(url)
    assert stored_campaign_text(engine, C) == text
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM unit_parts")).scalar() == \
            len({a["unit"] for a in data["assessments"]} | {s["unit"] for s in data["survey_answers"]})
    from alembic import command
    from service.store.migrate import alembic_config
    command.downgrade(alembic_config(url), "0011")
    with engine.connect() as connection:
        joined = json.loads(connection.execute(sa.text("SELECT data FROM campaigns")).scalar_one())
    assert joined == data
    engine.dispose()


def test_a_save_between_reading_a_hash_and_its_data_is_not_kept_under_the_old_hash(engine):
    """The whole campaign is read as hashes first and data later (only what is not validated yet).
    A unit that saves in between must not leave its new data kept under its old hash: the bench's
    units toggle a score, so the old hash comes back and would be served with the wrong data."""
    from service.store import campaign_parts, campaigns
    if engine.dialect.name == "sqlite":
        pytest.skip("on SQLite a read holds the database to its end: no save comes in between")
    save_campaign(engine, _raw("ninh-binh-2026"), "test", "ninh-binh")
    code = next(s["code"] for a in _raw("ninh-binh-2026")["assessments"] if a["unit"] == "sxd" for s in a["scores"]
                if s.get("self_score"))
    campaign_parts._PARTS.values.clear()
    before_hash = _rows(engine, "unit_parts")[(C, "sxd")]
    real_part_loader, raced = campaigns._part_loader, []

    def saving_in_between(session, campaign_id, unit_id, sha256):
        if unit_id == "sxd" and not raced:                    # another request saves sxd right now
            raced.append(update_campaign(engine, C, _score("sxd", code, 0), "test", unit_id="sxd"))
        return real_part_loader(session, campaign_id, unit_id, sha256)
    campaigns._part_loader = saving_in_between
    try:
        assembled, digest = load_whole_campaign(engine, C)
    finally:
        campaigns._part_loader = real_part_loader
    assert raced and digest == stored_campaign_hash(engine, C)           # read again after the race
    assert next(s.self_score for s in assembled.assessment("sxd").scores if s.code == code) == 0
    kept = campaign_parts._PARTS.values[(C, "sxd")]
    assert kept[0] != before_hash and kept[0] == _rows(engine, "unit_parts")[(C, "sxd")]


def test_only_the_current_part_of_each_unit_is_kept():
    from service.store.campaign_parts import Kept
    kept, made = Kept(2), []

    def make(value):
        return lambda: made.append(value) or value
    assert kept.latest("sxd", "h1", make("a")) == "a" and kept.latest("sxd", "h1", make("x")) == "a"
    assert kept.latest("sxd", "h2", make("b")) == "b" and len(kept.values) == 1       # h1's value is gone
    kept.latest("stp", "h1", make("c"))
    kept.latest("sct", "h1", make("d"))                                                 # the oldest slot goes
    assert set(kept.values) == {"stp", "sct"} and made == ["a", "b", "c", "d"]


def test_reads_take_no_transaction_on_postgresql_and_leave_none_behind(engine):
    """A read session on PostgreSQL runs its statements alone (no BEGIN or ROLLBACK to wait for);
    the pooled connection it used is transactional again for the next writer."""
    from sqlalchemy.orm import Session

    from service.store.db import reader
    save_campaign(engine, _raw("ninh-binh-2026"), "test", "ninh-binh")
    postgresql = engine.dialect.name == "postgresql"
    with reader(engine) as session:
        dbapi_connection = session.connection().connection.dbapi_connection
        assert session.execute(sa.text("SELECT count(*) FROM unit_parts")).scalar() > 0
        if postgresql:
            assert dbapi_connection.autocommit and dbapi_connection.info.transaction_status == 0   # IDLE: no BEGIN
    with Session(engine) as session:                 # the same pooled connection: a rollback undoes
        session.begin()
        if postgresql:
            assert session.connection().connection.dbapi_connection is dbapi_connection
            assert not dbapi_connection.autocommit
        session.execute(sa.text("UPDATE campaigns SET name = 'đổi' WHERE id = :c"), {"c": C})
        session.rollback()
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT name FROM campaigns WHERE id = :c"), {"c": C}).scalar() != "đổi"
