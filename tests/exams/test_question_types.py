import random
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from lms.exams.question_types import QUESTION_TYPES, InvalidItem, InvalidResponse, question_type

CHOICE = {
    "stem": "Which?",
    "options": [
        {"id": "a", "text": "A"},
        {"id": "b", "text": "B"},
        {"id": "c", "text": "C"},
        {"id": "d", "text": "All of the above", "fixed": True},
    ],
}
MATCHING = {
    "stem": "Match",
    "options": [{"id": "a", "text": "x"}, {"id": "b", "text": "y"}],
    "prompts": [{"id": "p1", "text": "one"}, {"id": "p2", "text": "two"}],
}


@pytest.mark.parametrize(
    ("kind", "text", "key"),
    [
        ("single_choice", "b", {"correct": "b"}),
        ("multiple_response", "c;a", {"correct": ["a", "c"]}),
        ("true_false", "TRUE", {"correct": True}),
        ("ordering", "c;a;b", {"order": ["c", "a", "b"]}),
        ("matching", "p2=a;p1=b", {"pairs": {"p1": "b", "p2": "a"}}),
    ],
)
def test_keys_read_and_write_their_one_line_form(app, kind, text, key):
    qtype = question_type(kind)
    assert qtype.parse_key(text) == key
    assert qtype.parse_key(qtype.format_key(key)) == key


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("single_choice", "a;b"),
        ("true_false", "maybe"),
        ("matching", "p1"),
        ("ordering", "a"),
        ("multiple_response", ""),
    ],
)
def test_malformed_keys_are_refused(app, kind, text):
    with pytest.raises(InvalidItem):
        question_type(kind).parse_key(text)


def test_validation_messages_are_translated(app):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("fr"):
        with pytest.raises(InvalidItem) as caught:
            question_type("single_choice").validate({"stem": "", "options": []}, {"correct": "a"})
        assert str(caught.value) != "The question text is empty."
        assert str(caught.value)


def test_a_key_must_name_existing_options(app):
    with pytest.raises(InvalidItem):
        question_type("single_choice").validate(CHOICE, {"correct": "z"})
    with pytest.raises(InvalidItem):
        question_type("matching").validate(MATCHING, {"pairs": {"p1": "a"}})
    question_type("matching").validate(MATCHING, {"pairs": {"p1": "a", "p2": "b"}})


def test_render_never_contains_the_key(app):
    for name, qtype in QUESTION_TYPES.items():
        content = MATCHING if name == "matching" else CHOICE
        view = qtype.render(content)
        assert "key" not in view and "correct" not in view and "fixed" not in str(view), name


@given(st.integers(min_value=0, max_value=10_000))
def test_fixed_options_keep_their_place_and_the_rest_is_a_permutation(seed):
    order = question_type("single_choice").option_order(CHOICE, random.Random(seed))
    assert order[3] == "d"
    assert sorted(order) == ["a", "b", "c", "d"]


@given(st.integers(min_value=0, max_value=10_000))
def test_ordering_is_never_presented_in_its_authored_order(seed):
    content = {"stem": "x", "options": [{"id": i, "text": i} for i in "abcd"]}
    assert question_type("ordering").option_order(content, random.Random(seed)) != list("abcd")


def test_scores_with_and_without_partial_credit(app):
    mr = question_type("multiple_response")
    assert mr.score({"correct": ["a", "c"]}, ["a", "c"]).fraction == 1
    assert mr.score({"correct": ["a", "c"]}, ["a"]).fraction == 0
    assert mr.score({"correct": ["a", "c"]}, ["a"], partial_credit=True).fraction == Fraction(1, 2)
    assert mr.score({"correct": ["a", "c"]}, ["a", "b"], partial_credit=True).fraction == 0
    order = question_type("ordering")
    assert order.score({"order": ["a", "b", "c"]}, ["a", "c", "b"], partial_credit=True).fraction == Fraction(1, 3)
    match = question_type("matching")
    assert match.score({"pairs": {"p1": "a", "p2": "b"}}, {"p1": "a"}, partial_credit=True).fraction == Fraction(1, 2)
    assert question_type("true_false").score({"correct": False}, False).correct
    assert not question_type("single_choice").score({"correct": "b"}, None).correct


def test_responses_are_checked_against_the_item(app):
    with pytest.raises(InvalidResponse):
        question_type("single_choice").check_response(CHOICE, "z")
    with pytest.raises(InvalidResponse):
        question_type("ordering").check_response(CHOICE, ["a", "b"])
    assert question_type("multiple_response").check_response(CHOICE, ["c", "a", "a"]) == ["a", "c"]
    assert question_type("true_false").check_response(CHOICE, "false") is False


def test_form_responses_for_the_page_without_script(app):
    form = MultiDict([("q1-a", "2"), ("q1-b", "3"), ("q1-c", "1"), ("q1-d", "4")])
    assert question_type("ordering").form_response(CHOICE, "q1", form.getlist) == ["c", "a", "b", "d"]
    duplicate = MultiDict([("q1-a", "1"), ("q1-b", "1"), ("q1-c", "2"), ("q1-d", "3")])
    with pytest.raises(InvalidResponse):
        question_type("ordering").form_response(CHOICE, "q1", duplicate.getlist)
    assert question_type("ordering").form_response(CHOICE, "q1", MultiDict().getlist) is None
    pairs = MultiDict([("q2-p1", "b"), ("q2-p2", "")])
    assert question_type("matching").form_response(MATCHING, "q2", pairs.getlist) == {"p1": "b"}
    assert question_type("multiple_response").form_response(
        CHOICE, "q3", MultiDict([("q3", "a"), ("q3", "c")]).getlist
    ) == [
        "a",
        "c",
    ]
