"""Issuing on SQLite and PostgreSQL: only an approved document, only when it is ready; numbers from the
register (or the e-office's for UBND documents, each recorded once) written into the campaign, the
document frozen with its hashes and text, refusals, nothing consumed on failure."""
import datetime as dt
import hashlib
import io
import json

import docx
import pytest
from pypdf import PdfReader

from data_models import InvalidCampaign
from service.domain.lifecycle import IllegalTransition
from service.store.campaigns import Change, load_stored_campaign, update_campaign
from service.store.db import make_engine
from service.store.issuing import NotReady, issue_document, issued_version, issued_versions
from service.store.lifecycle import state_of, take_step
from tests.conftest import approver_of
from service.store.register import NumberTaken, register_numbers

NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.timezone.utc)
C = "ninh-binh-2026"


@pytest.fixture()
def engine(demo_database):
    """The demo workspace's database: Ninh Bình stored, its leaders linked to the people they are."""
    engine = make_engine(demo_database)
    yield engine
    engine.dispose()


def approved(engine, kind, unit=None):
    """The drafter submits, the leader it goes to (the signer) approves (the steps before issuing)."""
    take_step(engine, C, kind, unit, "trinh-duyet", "admin", "admin", reason="Kính trình")
    take_step(engine, C, kind, unit, "duyet", approver_of(engine, C, kind, unit), "leader")


def finished(engine):
    """Sở Xây dựng, the one unit still at round 1, sends its explanation, is appraised again and is sent
    its round-2 letter (the other units' are in the fixture)."""
    def edit(data):
        assessment = next(a for a in data["assessments"] if a["unit"] == "sxd")
        assessment["explanation_report"] = {"issuer": "sxd", "number": 190, "date": {"year": 2026, "month": 11, "day": 13}}
        assessment["letters"] = {"thong-bao-tham-dinh-lan-2": {"issuer": "snv", "number": 499, "symbol_units": ["CCHC"],
                                                               "date": {"year": 2026, "month": 11, "day": 17}}}
        for score in assessment["scores"]:
            if score.get("response"):
                score["round2"] = score["round1"]
        return [Change(f"{C}/sxd/giai-trinh", None, "đã gửi")]
    update_campaign(engine, C, edit, "test")


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return " ".join([p.text for p in document.paragraphs] +
                    [c.text for t in document.tables for r in t.rows for c in r.cells]).replace("\u00a0", " ")


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_own_register_number_frozen_version(engine):
    finished(engine)
    approved(engine, "bao-cao-ket-qua")
    issued = issue_document(engine, C, "bao-cao-ket-qua", None, "vanthu", now=NOW)
    # the Sở Nội vụ's reports already run to 237/BC-SNV of 13/11 in the campaign: the register goes on
    assert issued.number_line == "Số: 238/BC-SNV" and issued.issued_on == dt.date(2026, 11, 22)
    version = issued_versions(engine, C)[0]
    text = _text(version.docx)
    assert "Số: 238/BC-SNV" in text and "Ninh Bình, ngày 22 tháng 11 năm 2026" in text
    # the PDF is typeset after the commit (the job queue, else its first reader), from the frozen print HTML
    assert issued.pdf_sha256 is None and version.pdf is None and "Số: 238/BC-SNV" in json.loads(version.pdf_source)["html"]
    typeset = issued_version(engine, version.id)
    assert typeset.pdf.startswith(b"%PDF-") and hashlib.sha256(typeset.pdf).hexdigest() == typeset.pdf_sha256
    assert typeset.pdf_source is None and "238/BC-SNV" in _pdf_text(typeset.pdf)
    assert "Số: 238/BC-SNV" in version.html and "Số: 238/BC-SNV" in version.text_lines
    assert json.loads(version.signers)["ChuKy"]["ten"] == "Đinh Thị Thu Hà"
    assert json.loads(version.signers)["DauCoQuan"]["co_quan"] == "snv"
    stored = load_stored_campaign(engine, C).documents["bao-cao-ket-qua"].header
    assert stored.number == 238 and (stored.date.day, stored.date.month) == (22, 11)
    assert register_numbers(engine, "snv", 2026) == [(238, "issued")]
    assert state_of(engine, C, "bao-cao-ket-qua", None).state == "da-ban-hanh"
    with pytest.raises(IllegalTransition, match="đã được ban hành"):
        issue_document(engine, C, "bao-cao-ket-qua", None, "vanthu", now=NOW)


def test_only_an_approved_document_is_issued(engine):
    with pytest.raises(IllegalTransition, match="chưa được lãnh đạo duyệt"):
        issue_document(engine, C, "huong-dan", None, "vanthu", now=NOW)
    take_step(engine, C, "huong-dan", None, "trinh-duyet", "admin", "admin")
    with pytest.raises(IllegalTransition, match="đang chờ lãnh đạo duyệt"):
        issue_document(engine, C, "huong-dan", None, "vanthu", now=NOW)
    with pytest.raises(IllegalTransition, match="vai trò của bạn"):
        take_step(engine, C, "huong-dan", None, "duyet", "admin", "admin")
    with pytest.raises(IllegalTransition, match="phải ghi lý do"):
        take_step(engine, C, "huong-dan", None, "tra-lai", "lanhdao", "leader")
    take_step(engine, C, "huong-dan", None, "tra-lai", "lanhdao", "leader", reason="Bổ sung hạn nộp")
    assert state_of(engine, C, "huong-dan", None).state == "tra-lai"
    approved(engine, "huong-dan")
    with pytest.raises(IllegalTransition, match="vai trò của bạn không ban hành"):
        issue_document(engine, C, "huong-dan", None, "lanhdao", role="leader", now=NOW)
    assert issue_document(engine, C, "huong-dan", None, "vanthu", now=NOW).number_line == "Số: 01/HD-SNV"


def test_ubnd_documents_take_the_e_office_number_once(engine):
    finished(engine)
    for kind in ("bien-ban", "to-trinh-ket-qua", "quyet-dinh-cong-bo", "to-trinh-hoi-dong", "quyet-dinh-hoi-dong"):
        approved(engine, kind)
    for kind in ("bien-ban", "to-trinh-ket-qua", "to-trinh-hoi-dong"):
        issue_document(engine, C, kind, None, "vanthu", now=NOW)
    with pytest.raises(ValueError, match="nhập số và ngày"):
        issue_document(engine, C, "quyet-dinh-cong-bo", None, "vanthu")
    issued = issue_document(engine, C, "quyet-dinh-cong-bo", None, "vanthu",
                            external_number=777, external_date=dt.date(2026, 12, 14))
    assert issued.number_line == "Số: 777/QĐ-UBND" and issued.issued_on == dt.date(2026, 12, 14)
    text = _text(issued_versions(engine, C)[-1].docx)
    assert "Số: 777/QĐ-UBND" in text and "Ninh Bình, ngày 14 tháng 12 năm 2026" in text
    assert "(Kèm theo Quyết định số 777/QĐ-UBND ngày 14 tháng 12 năm 2026 của Ủy ban nhân dân tỉnh Ninh Bình)" in text
    assert register_numbers(engine, "ubnd-tinh", 2026) == []            # not from our register
    assert register_numbers(engine, "ubnd-tinh", 2026, register="ngoai-QĐ") == [(777, "issued")]
    before = load_stored_campaign(engine, C)
    with pytest.raises(NumberTaken, match="777/QĐ-UBND năm 2026 đã ghi cho văn bản khác .*quyet-dinh-cong-bo"):
        issue_document(engine, C, "quyet-dinh-hoi-dong", None, "vanthu", external_number=777,
                       external_date=dt.date(2026, 11, 10))          # before the meeting of 18/11 (walk U18)
    assert load_stored_campaign(engine, C) == before and state_of(engine, C, "quyet-dinh-hoi-dong", None).state == "da-duyet"
    # issue 27: a number out of the days' order is named before anything is stored
    with pytest.raises(NumberTaken, match=r"số 800/QĐ-UBND ngày 10/11/2026 trái thứ tự sổ: số 777/QĐ-UBND \(nhỏ hơn"):
        issue_document(engine, C, "quyet-dinh-hoi-dong", None, "vanthu", external_number=800,
                       external_date=dt.date(2026, 11, 10))
    assert register_numbers(engine, "ubnd-tinh", 2026, register="ngoai-QĐ") == [(777, "issued")]


def test_council_minutes_use_the_council_register(engine):
    approved(engine, "bien-ban")
    issued = issue_document(engine, C, "bien-ban", None, "vanthu", now=NOW)
    assert issued.number_line == "Số: 01/BB-HĐTĐ"          # the council's own number series (D20)
    assert register_numbers(engine, "hdtd", 2026, register="hoi-dong") == [(1, "issued")]
    signers = json.loads(issued_versions(engine, C)[0].signers)
    assert signers["ChuKyTrai"]["ten"] == "Hoàng Minh Tuấn" and signers["ChuKy"]["ten"] == "Trần Quang Minh"
    assert "DauCoQuan" not in signers                                    # the minutes carry no seal


def test_the_councils_documents_keep_the_meetings_order(engine):
    """Walk U18: a Biên bản was issued dated before the meeting it records, the invitation after the
    Biên bản, the QĐ Quy chế after the meeting. Now each is refused at issue, and the drafting check
    names a date written out of order; nothing is numbered by a refusal."""
    from service.domain.calendar import date_problems
    approved(engine, "bien-ban")                                          # the meeting is on 18/11/2026
    early = dt.datetime(2026, 11, 17, 3, 0, tzinfo=dt.timezone.utc)
    with pytest.raises(NotReady) as error:
        issue_document(engine, C, "bien-ban", None, "vanthu", now=early)
    assert "không ban hành trước ngày họp" in error.value.blocking[0] and "18/11/2026" in error.value.blocking[0]
    assert register_numbers(engine, "hdtd", 2026, register="hoi-dong") == []
    approved(engine, "giay-moi-hop-hoi-dong")
    with pytest.raises(NotReady) as error:
        issue_document(engine, C, "giay-moi-hop-hoi-dong", None, "vanthu", now=NOW)    # 22/11, after the meeting
    assert any("Giấy mời họp Hội đồng thẩm định phải ban hành trước cuộc họp" in r for r in error.value.blocking)
    assert issue_document(engine, C, "bien-ban", None, "vanthu", now=NOW).number_line == "Số: 01/BB-HĐTĐ"

    def out_of_order(data):
        data["meeting"]["header"].update(number=2, date={"year": 2026, "month": 11, "day": 10})
        data["documents"]["quyet-dinh-quy-che"]["header"].update(number=15, date={"year": 2026, "month": 11, "day": 20})
        return [Change(f"{C}/cuoc-hop", "18/11", "10/11")]
    campaign = load_stored_campaign(engine, C)
    from data_models import parse_campaign, campaign_data
    data = campaign_data(campaign)
    out_of_order(data)
    changed = parse_campaign(data)
    assert any("trước cuộc họp Hội đồng ngày 18/11/2026" in p for p in date_problems(changed, "bien-ban"))
    assert any("Quy chế làm việc của Hội đồng ghi ngày 20/11/2026, sau cuộc họp" in p
               for p in date_problems(changed, "quyet-dinh-quy-che"))


def test_failures_consume_no_number_and_change_nothing(engine):
    with pytest.raises(IllegalTransition, match="đã có số trong dữ liệu"):
        approved(engine, "cong-van-don-doc")
        issue_document(engine, C, "cong-van-don-doc", None, "vanthu", now=NOW)
    with pytest.raises(IllegalTransition, match="khi đơn vị gửi báo cáo"):
        issue_document(engine, C, "bao-cao-giai-trinh", "sxd", "vanthu", now=NOW)
    approved(engine, "quyet-dinh-hoi-dong")
    with pytest.raises(NotReady, match="Tờ trình thành lập Hội đồng chưa được ban hành"):
        issue_document(engine, C, "quyet-dinh-hoi-dong", None, "vanthu", external_number=7,
                       external_date=dt.date(2026, 11, 2))
    approved(engine, "to-trinh-hoi-dong")
    issue_document(engine, C, "to-trinh-hoi-dong", None, "vanthu", now=NOW)
    with pytest.raises(InvalidCampaign):    # outside the campaign's years: refused by the data's own checks
        issue_document(engine, C, "quyet-dinh-hoi-dong", None, "vanthu", external_number=7,
                       external_date=dt.date(2020, 1, 1))
    approved(engine, "bao-cao-ket-qua")
    with pytest.raises(NotReady) as error:                  # issue 10 #6: Sở Xây dựng is not appraised to the end
        issue_document(engine, C, "bao-cao-ket-qua", None, "vanthu", now=NOW)
    assert any("Sở Xây dựng (đã thẩm định lần 1)" in reason for reason in error.value.blocking)
    assert register_numbers(engine, "snv", 2026) == [(1, "issued")] and len(issued_versions(engine, C)) == 1
    assert register_numbers(engine, "ubnd-tinh", 2026, register="ngoai-QĐ") == []
    approved(engine, "huong-dan")
    assert issue_document(engine, C, "huong-dan", None, "vanthu", now=NOW).number_line == "Số: 02/HD-SNV"


def test_a_task_deadline_needs_a_reason_to_be_passed(engine):
    def enforce(data):
        data["settings"]["deadlines_enforced"] = True
        return [Change(f"{C}/settings", False, True)]
    update_campaign(engine, C, enforce, "test")
    approved(engine, "cong-van-ket-qua-tham-dinh", "sxd")
    late = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.timezone.utc)          # task 5's deadline is 20/11/2026
    with pytest.raises(NotReady) as error:
        issue_document(engine, C, "cong-van-ket-qua-tham-dinh", "sxd", "vanthu", now=late)
    assert "sau hạn 20/11/2026" in error.value.blocking[0]
    issued = issue_document(engine, C, "cong-van-ket-qua-tham-dinh", "sxd", "vanthu", now=late,
                            late_reason="Cơ quan thẩm định gửi kết quả chậm")
    notice = load_stored_campaign(engine, C).assessment("sxd").notice
    assert issued.number_line == "Số: 450/SNV-CCHC" and (notice.number, notice.date.day) == (450, 25)   # after 402–449 of 09/11


def test_a_letter_to_one_unit_keeps_its_own_number_in_the_units_assessment(engine):
    """The round-2 result to Sở Tư pháp: numbered in the Sở Nội vụ's register, kept in the unit's
    ``letters``, cleared again when its number is voided before signing."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session
    from service.store.lifecycle import void_register_entry
    from service.store.models import RegisterEntry
    def not_yet_sent(data):                      # the fixture's letter was sent outside: one not yet sent
        next(a for a in data["assessments"] if a["unit"] == "stp")["letters"].clear()
        return [Change(f"{C}/stp/thong-bao-tham-dinh-lan-2", "đã gửi", None)]
    sent = load_stored_campaign(engine, C).assessment("stp").letters["thong-bao-tham-dinh-lan-2"]
    other = load_stored_campaign(engine, C).assessment("stc").letters
    approved(engine, "thong-bao-tham-dinh-lan-2", "stp")
    with pytest.raises(IllegalTransition, match="đã có số trong dữ liệu"):          # not numbered twice
        issue_document(engine, C, "thong-bao-tham-dinh-lan-2", "stp", "vanthu", now=NOW)
    assert load_stored_campaign(engine, C).assessment("stp").letters["thong-bao-tham-dinh-lan-2"] == sent
    update_campaign(engine, C, not_yet_sent, "test")
    issued = issue_document(engine, C, "thong-bao-tham-dinh-lan-2", "stp", "vanthu", now=NOW)
    assert issued.number_line.endswith("/TB-SNV")
    letter = load_stored_campaign(engine, C).assessment("stp").letters["thong-bao-tham-dinh-lan-2"]
    assert (letter.issuer, letter.number, letter.date.day) == ("snv", int(issued.number_line.split()[1].split("/")[0]), 22)
    assert load_stored_campaign(engine, C).assessment("stc").letters == other          # another unit's untouched
    assert "Kết quả thẩm định lần 2" in _text(issued_versions(engine, C)[-1].docx)
    with Session(engine) as session:
        entry = session.scalar(select(RegisterEntry).where(RegisterEntry.kind == "thong-bao-tham-dinh-lan-2"))
    void_register_entry(engine, entry.id, "Cấp nhầm số", "vanthu", "ninh-binh")
    assert load_stored_campaign(engine, C).assessment("stp").letters == {}
    assert state_of(engine, C, "thong-bao-tham-dinh-lan-2", "stp").state == "du-thao"
