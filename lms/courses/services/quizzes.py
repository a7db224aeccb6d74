"""Practice quizzes: ungraded, with feedback right after each submission, scored by the exam question types."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from werkzeug.datastructures import MultiDict

from lms.courses.models import Enrolment, Lesson, PracticeAttempt, PracticeQuestion
from lms.courses.services.progress import Verb, record
from lms.exams.question_types import InvalidResponse, question_type
from lms.extensions import db

DEFAULT_PASS_MARK = 70


@dataclass
class QuestionFeedback:
    question: PracticeQuestion
    view: dict[str, Any]
    response: Any
    answered: bool
    correct: bool
    explanation: str
    #: The right answer in a form the template shows (practice quizzes may reveal it).
    solution: Any


@dataclass
class PracticeResult:
    feedback: list[QuestionFeedback]
    score_percent: int
    passed: bool
    pass_mark: int

    @property
    def by_question(self) -> dict[int, QuestionFeedback]:
        return {f.question.id: f for f in self.feedback}


def pass_mark(lesson: Lesson) -> int:
    return int((lesson.settings or {}).get("pass_mark", DEFAULT_PASS_MARK))


def question_views(lesson: Lesson, locale: str) -> list[tuple[PracticeQuestion, dict[str, Any]]]:
    return [(q, question_type(q.qtype).render(q.content(locale))) for q in lesson.questions]


def response_from_form(question: PracticeQuestion, content: dict[str, Any], form: MultiDict) -> Any:
    """Read one question's answer from the posted form, in the shape the question type expects."""
    name = f"q{question.id}"
    qtype = question.qtype
    if qtype == "multiple_response":
        chosen = form.getlist(name)
        return chosen or None
    if qtype == "ordering":
        positions = {}
        for option in content["options"]:
            value = form.get(f"{name}-{option['id']}", "")
            if not value.strip().isdigit():
                return None
            positions[option["id"]] = int(value)
        if len(set(positions.values())) != len(positions):
            return None
        return [oid for oid, _pos in sorted(positions.items(), key=lambda item: item[1])]
    if qtype == "matching":
        pairs = {p["id"]: form.get(f"{name}-{p['id']}", "") for p in content["prompts"]}
        pairs = {k: v for k, v in pairs.items() if v}
        return pairs or None
    value = form.get(name)
    return value or None


def grade(lesson: Lesson, form: MultiDict, locale: str) -> PracticeResult:
    """Score the posted answers without storing anything (the staff preview uses it as it is)."""
    feedback = []
    total = Fraction(0)
    for question in lesson.questions:
        qtype = question_type(question.qtype)
        content = question.content(locale)
        raw = response_from_form(question, content, form)
        try:
            response = qtype.check_response(content, raw)
        except InvalidResponse:
            response = None
        result = qtype.score(question.key, response) if response is not None else None
        if result is not None:
            total += result.fraction
        feedback.append(
            QuestionFeedback(
                question=question,
                view=qtype.render(content),
                response=response,
                answered=response is not None,
                correct=bool(result and result.correct),
                explanation=question.explanation(locale),
                solution=solution_for(question, content),
            )
        )
    count = len(lesson.questions)
    percent = int(total * 100 / count) if count else 0
    mark = pass_mark(lesson)
    return PracticeResult(feedback, percent, percent >= mark, mark)


def solution_for(question: PracticeQuestion, content: dict[str, Any]) -> Any:
    """The key in words: option texts rather than ids."""
    texts = {o["id"]: o["text"] for o in content.get("options", [])}
    key = question.key
    if question.qtype == "single_choice":
        return [texts.get(key.get("correct"), "")]
    if question.qtype == "multiple_response":
        return [texts.get(k, "") for k in key.get("correct", [])]
    if question.qtype == "true_false":
        return key.get("correct")
    if question.qtype == "ordering":
        return [texts.get(k, "") for k in key.get("order", [])]
    if question.qtype == "matching":
        prompts = {p["id"]: p["text"] for p in content.get("prompts", [])}
        return [(prompts.get(p, ""), texts.get(o, "")) for p, o in key.get("pairs", {}).items()]
    return None


def submit(enrolment: Enrolment, lesson: Lesson, form: MultiDict, locale: str) -> PracticeResult:
    """Score a learner's quiz, keep the attempt, and record completion (and a pass at the pass mark)."""
    result = grade(lesson, form, locale)
    db.session.add(
        PracticeAttempt(
            enrolment_id=enrolment.id,
            lesson_id=lesson.id,
            answers={str(f.question.id): f.response for f in result.feedback},
            results={str(f.question.id): f.correct for f in result.feedback},
            score_percent=result.score_percent,
            passed=result.passed,
        )
    )
    db.session.flush()
    record(enrolment, lesson, Verb.PASSED if result.passed else Verb.COMPLETED, score=result.score_percent)
    return result
