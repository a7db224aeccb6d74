"""The mentor answers from the course's texts with citations, refuses what it cannot ground, keeps every exchange."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import sqlalchemy as sa

from lms.courses import mentor
from lms.courses.mentor.index import index_lesson
from lms.courses.models import MentorExchange, MentorPassage
from lms.extensions import db
from tests.conftest import free_port
from tests.courses.conftest import lesson_of


def _ask(course, user, question, locale="en"):
    return mentor.ask(user_id=user.id, version=course.current_version, question=question, locale=locale)


def test_index_holds_passages_per_language(make_course):
    make_course(kinds=("ebook", "video"))
    rows = db.session.execute(sa.select(MentorPassage.language, sa.func.count()).group_by(MentorPassage.language)).all()
    counts = dict(rows)
    assert counts["en"] == 3 + 3  # three eBook paragraphs and three transcript paragraphs
    assert counts["ar"] == 1


def test_grounded_answer_cites_lesson_and_passage(make_course, learner):
    course = make_course(kinds=("ebook", "video"))
    exchange = _ask(course, learner, "How can I detect overfitting?")
    assert exchange.grounded
    ebook = lesson_of(course, "ebook")
    assert {c["lesson_id"] for c in exchange.citations} == {ebook.id}
    # the paragraphs under the heading "How to detect it"
    assert {"passage-4", "passage-5"} <= {c["anchor"] for c in exchange.citations}
    assert all("How to detect it" in c["title"] for c in exchange.citations[:2])
    assert "validation" in exchange.answer and "[1]" in exchange.answer
    # stored for history and review
    assert db.session.get(MentorExchange, exchange.id).question == "How can I detect overfitting?"


def test_transcripts_are_material_too(make_course, learner):
    course = make_course(kinds=("video",))
    exchange = _ask(course, learner, "Why do language models hallucinate?")
    assert exchange.grounded
    assert exchange.citations[0]["anchor"].startswith("transcript-")
    assert "hallucination" in exchange.answer


@pytest.mark.parametrize(
    "question",
    ["How do I bake sourdough bread?", "What is the capital of Australia?", "what is this?"],
)
def test_refuses_what_the_course_does_not_cover(make_course, learner, question):
    course = make_course(kinds=("ebook", "video"))
    exchange = _ask(course, learner, question)
    assert not exchange.grounded
    assert exchange.citations == []
    assert "not covered in this course" in exchange.answer
    assert exchange.id is not None  # refusals are kept for review too


def test_answers_in_the_learners_language_where_content_exists(make_course, learner):
    course = make_course(kinds=("ebook",))
    exchange = _ask(course, learner, "ما هو الإفراط في التخصيص؟", locale="ar")
    assert exchange.grounded and exchange.language == "ar"
    assert "النموذج" in exchange.answer


def test_falls_back_to_primary_language_content(make_course, learner):
    course = make_course(kinds=("video",))  # transcript in English only
    exchange = _ask(course, learner, "What is a hallucination of a language model?", locale="de")
    assert exchange.grounded and exchange.language == "en"


def test_only_the_courses_own_material_is_searched(make_course, learner):
    make_course(kinds=("ebook",))  # another course covers overfitting
    course = make_course(kinds=("video",))
    exchange = _ask(course, learner, "How do I detect overfitting with a validation set?")
    assert not exchange.grounded


def test_reindexing_follows_edits(make_course, learner):
    course = make_course(kinds=("ebook",))
    lesson = lesson_of(course, "ebook")
    lesson.bodies = {"en": "<p>Gradient descent updates weights step by step.</p>"}
    index_lesson(lesson)
    assert not _ask(course, learner, "How do I detect overfitting?").grounded
    assert _ask(course, learner, "What does gradient descent update?").grounded


def test_question_length_is_checked(make_course, learner):
    from lms.core.errors import DomainError

    course = make_course(kinds=("ebook",))
    with pytest.raises(DomainError):
        _ask(course, learner, "  ")
    with pytest.raises(DomainError):
        _ask(course, learner, "x" * 1001)


class _FakeModel(BaseHTTPRequestHandler):
    requests: list = []
    reply = "Keep a validation set and watch its error rise [1]."

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": type(self).reply}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_model(app):
    port = free_port()
    server = HTTPServer(("127.0.0.1", port), _FakeModel)
    _FakeModel.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    old = {k: app.config.get(k) for k in ("MENTOR_URL", "MENTOR_MODEL", "MENTOR_API_KEY")}
    app.config.update(MENTOR_URL=f"http://127.0.0.1:{port}/v1", MENTOR_MODEL="tiny-test", MENTOR_API_KEY="k-test")
    yield _FakeModel
    app.config.update(old)
    server.shutdown()
    thread.join(timeout=5)


def test_model_writes_the_answer_from_retrieved_passages_only(make_course, learner, fake_model):
    course = make_course(kinds=("ebook", "video"))
    exchange = _ask(course, learner, "How can I detect overfitting?")
    assert exchange.grounded and exchange.provider == "llm:tiny-test"
    assert exchange.answer == fake_model.reply
    sent = fake_model.requests[0]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["auth"] == "Bearer k-test"
    user_message = sent["body"]["messages"][1]["content"]
    assert "validation set" in user_message  # the retrieved passage
    assert "hallucination" not in user_message  # nothing that was not retrieved
    assert "NOT_COVERED" in sent["body"]["messages"][0]["content"]


def test_model_is_not_called_for_ungrounded_questions(make_course, learner, fake_model):
    course = make_course(kinds=("ebook",))
    exchange = _ask(course, learner, "Recommend a pizza topping")
    assert not exchange.grounded and fake_model.requests == []


def test_model_saying_not_covered_is_a_refusal(make_course, learner, fake_model):
    fake_model.reply = "NOT_COVERED"
    try:
        course = make_course(kinds=("ebook",))
        exchange = _ask(course, learner, "How can I detect overfitting?")
    finally:
        fake_model.reply = _FakeModel.reply = "Keep a validation set and watch its error rise [1]."
    assert not exchange.grounded and exchange.citations == []


def test_unreachable_model_falls_back_to_retrieval(make_course, learner, app):
    app.config.update(MENTOR_URL=f"http://127.0.0.1:{free_port()}", MENTOR_MODEL="gone")
    try:
        course = make_course(kinds=("ebook",))
        exchange = _ask(course, learner, "How can I detect overfitting?")
    finally:
        app.config.update(MENTOR_URL="", MENTOR_MODEL="")
    assert exchange.grounded and exchange.provider == "retrieval"
