import sqlalchemy as sa

from lms.core import audit
from lms.core.audit import AuditEvent, verify_chain
from lms.extensions import db


def test_events_are_chained_and_the_chain_verifies(create_user):
    user = create_user()
    first = audit.record("test.first", actor_id=user.id, details={"n": 1})
    second = audit.record("test.second", subject=user, details={"n": 2})
    assert second.prev_hash == first.hash
    assert second.subject_type == "User" and second.subject_id == str(user.id)
    assert verify_chain().ok


def test_editing_a_row_breaks_the_chain_at_that_row(create_user):
    create_user()
    target = audit.record("test.target", details={"amount": 100})
    audit.record("test.after")
    db.session.execute(sa.update(AuditEvent).where(AuditEvent.id == target.id).values(details={"amount": 1}))
    db.session.expire_all()
    report = verify_chain()
    assert not report.ok
    assert report.broken_at == target.id


def test_deleting_a_row_breaks_the_chain():
    audit.record("test.a")
    middle = audit.record("test.b")
    audit.record("test.c")
    db.session.execute(sa.delete(AuditEvent).where(AuditEvent.id == middle.id))
    db.session.expire_all()
    assert not verify_chain().ok


def test_sign_in_success_and_failure_are_recorded(client, create_user):
    user = create_user()
    client.post("/login", data={"email": user.email, "password": "wrong password!"})
    client.post("/login", data={"email": user.email, "password": "correct horse battery"})
    actions = (
        db.session.execute(
            sa.select(AuditEvent.action).where(AuditEvent.subject_id == str(user.id), AuditEvent.subject_type == "User")
        )
        .scalars()
        .all()
    )
    assert "login.failure" in actions and "login.success" in actions


def test_the_cli_reports_an_intact_chain(app):
    audit.record("test.cli")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "audit chain intact" in result.output
