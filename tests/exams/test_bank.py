import json

import sqlalchemy as sa

from lms.core.csvio import read_csv
from lms.exams.models import Item, ItemStatus, ItemVersion
from lms.exams.services import bank, transfer
from lms.extensions import db
from tests.exams.conftest import DOMAINS


def _csv(rows: list[dict]) -> str:
    from lms.core.csvio import write_csv

    header = bank.CSV_HEADER
    return write_csv(header, [[row.get(col, "") for col in header] for row in rows])


def test_csv_round_trip_leaves_the_bank_unchanged(exam):
    exported = transfer.export_csv(exam.track.id)
    entries, errors = transfer.inputs_from_csv(exported)
    assert not errors
    report = bank.apply_inputs(exam.track, entries, actor_id=None)
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(exam.items))


def test_json_round_trip_leaves_the_bank_unchanged(exam):
    exported = json.dumps(transfer.export_json(exam.track.id))
    entries, errors = transfer.inputs_from_json(exported)
    assert not errors
    report = bank.apply_inputs(exam.track, entries, actor_id=None)
    assert report.ok and report.unchanged == len(exam.items)


def test_one_item_in_two_languages_is_one_item_with_two_variants(exam):
    rows = [
        {
            "code": "NEW-1",
            "language": "en",
            "type": "single_choice",
            "domain": "basics",
            "stem": "Which is AI?",
            "option_a": "A model",
            "option_b": "A rock",
            "key": "a",
            "status": "live",
        },
        {
            "code": "NEW-1",
            "language": "ar",
            "type": "single_choice",
            "domain": "basics",
            "stem": "ما الذكاء الاصطناعي؟",
            "option_a": "نموذج",
            "option_b": "حجر",
            "key": "a",
            "status": "live",
        },
    ]
    entries, errors = transfer.inputs_from_csv(_csv(rows))
    assert not errors
    report = bank.apply_inputs(exam.track, entries, actor_id=None)
    assert report.created == 1
    item = db.session.execute(sa.select(Item).where(Item.code == "NEW-1")).scalar_one()
    assert item.latest.languages == ["ar", "en"]
    assert item.latest.content["ar"]["options"][0]["text"] == "نموذج"


def test_errors_are_reported_per_row_and_nothing_is_imported(exam):
    before = db.session.execute(sa.select(sa.func.count(Item.id))).scalar()
    rows = [
        {
            "code": "OK-1",
            "language": "en",
            "type": "single_choice",
            "domain": "basics",
            "stem": "Fine?",
            "option_a": "yes",
            "option_b": "no",
            "key": "a",
        },
        {
            "code": "BAD-1",
            "language": "en",
            "type": "single_choice",
            "domain": "basics",
            "stem": "Key?",
            "option_a": "yes",
            "option_b": "no",
            "key": "z",
        },
        {"code": "BAD-2", "language": "en", "type": "essay", "domain": "basics", "stem": "?", "key": "a"},
        {
            "code": "BAD-3",
            "language": "en",
            "type": "true_false",
            "domain": "nowhere",
            "stem": "Sky is blue",
            "key": "true",
        },
        {"code": "BAD-4", "language": "xx", "type": "true_false", "domain": "basics", "stem": "?", "key": "true"},
        {
            "code": "BAD-5",
            "language": "en",
            "type": "true_false",
            "domain": "basics",
            "stem": "?",
            "key": "true",
            "difficulty": "9",
        },
    ]
    report = transfer.import_file(exam.track, _csv(rows).encode(), "items.csv", actor_id=None)
    assert [e.row for e in report.errors] == [3, 4, 5, 6, 7]
    assert not report.created
    assert db.session.execute(sa.select(sa.func.count(Item.id))).scalar() == before


def test_a_row_whose_key_does_not_fit_names_its_row(exam):
    rows = [
        {
            "code": "K-1",
            "language": "en",
            "type": "single_choice",
            "domain": "basics",
            "stem": "x",
            "option_a": "1",
            "option_b": "2",
            "key": "c",
        }
    ]
    entries, errors = transfer.inputs_from_csv(_csv(rows))
    assert not errors
    report = bank.apply_inputs(exam.track, entries, actor_id=None)
    assert [e.row for e in report.errors] == [2]
    assert "key" in report.errors[0].message.lower()


def test_missing_columns_and_empty_files_are_explained(exam):
    assert transfer.inputs_from_csv("code,stem\r\nX,y\r\n")[1][0].message.startswith("Columns missing")
    assert transfer.inputs_from_csv("")[1]
    assert transfer.inputs_from_json("{not json")[1]
    assert transfer.inputs_from_json("[]")[1]


def test_cells_that_look_like_formulas_survive_a_round_trip(exam):
    rows = [
        {
            "code": "F-1",
            "language": "en",
            "type": "single_choice",
            "domain": "basics",
            "stem": "=1+1 is?",
            "option_a": "-2",
            "option_b": "2",
            "key": "b",
            "status": "draft",
        }
    ]
    entries, _ = transfer.inputs_from_csv(_csv(rows))
    assert bank.apply_inputs(exam.track, entries, actor_id=None).ok
    exported = transfer.export_csv(exam.track.id)
    row = next(r for r in read_csv(exported) if r["code"] == "F-1")
    assert row["stem"] == "'=1+1 is?"  # neutralised for spreadsheets
    entries, _ = transfer.inputs_from_csv(exported)
    assert bank.apply_inputs(exam.track, entries, actor_id=None).updated == 0
    item = db.session.execute(sa.select(Item).where(Item.code == "F-1")).scalar_one()
    assert item.latest.content["en"]["stem"] == "=1+1 is?"


def test_editing_an_unserved_item_changes_it_in_place(exam):
    item = exam.items[0]
    entry = bank.editor_input(
        code=item.code,
        language="en",
        qtype="true_false",
        domain="basics",
        objective="o",
        difficulty=2,
        status="live",
        partial_credit=False,
        stem="Changed?",
        options={},
        fixed=[],
        prompts={},
        key_text="false",
    )
    bank.save_from_editor(exam.track, entry, actor_id=None)
    db.session.refresh(item)
    assert item.current_version == 1
    assert item.latest.type == "true_false" and item.latest.key == {"correct": False}


def test_editing_a_served_item_makes_a_new_version(exam, candidate, start_attempt):
    attempt = start_attempt(candidate, exam)
    served = attempt.items[0]
    item = db.session.get(Item, served.item_id)
    content = dict(item.latest.content)
    content["en"] = dict(content["en"], stem="A clearer wording?")
    entry = bank.ItemInput(
        code=item.code,
        type=item.latest.type,
        domain=item.domain.code,
        key=item.latest.key,
        content=content,
        objective=item.objective,
        difficulty=item.difficulty,
        status=item.status,
        partial_credit=item.latest.partial_credit,
    )
    report = bank.apply_inputs(exam.track, [entry], actor_id=None)
    assert report.updated == 1
    db.session.refresh(item)
    assert item.current_version == 2
    old = db.session.get(ItemVersion, served.item_version_id)
    assert old.number == 1 and old.content["en"]["stem"] != "A clearer wording?"


def test_a_key_correction_is_a_new_version_that_names_the_old_one(exam):
    item = next(i for i in exam.items if i.latest.type == "single_choice")
    version = bank.correct_key(item, "c", "Option c is the better answer", actor_id=None)
    assert version.corrects_version_id == item.versions[0].id
    assert bank.key_version_for(item.versions[0]).id == version.id
    assert version.content == item.versions[0].content


def test_status_changes_are_audited(exam):
    from lms.core.audit import AuditEvent

    bank.set_status(exam.items[0], ItemStatus.RETIRED, actor_id=None)
    assert db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == "exams.item_status")).scalars().first()


def test_domains_need_a_code_and_an_english_name(exam):
    import pytest

    from lms.core.errors import DomainError

    with pytest.raises(DomainError):
        bank.save_domain(exam.track, "bad code!", {"en": "x"}, actor_id=None)
    with pytest.raises(DomainError):
        bank.save_domain(exam.track, "fine", {"ar": "فقط"}, actor_id=None)
    assert [d.code for d in bank.domains_of(exam.track.id)] == list(DOMAINS)
