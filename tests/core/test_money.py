from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.core.money import Money, split_largest_remainder


def test_three_way_split_adds_up_exactly():
    assert split_largest_remainder(1000, [Fraction(1, 3)] * 3) == [334, 333, 333]
    assert split_largest_remainder(9999, [70, 20, 10]) == [6999, 2000, 1000]


def test_a_refund_mirrors_its_sale():
    sale = split_largest_remainder(1001, [50, 30, 20])
    refund = split_largest_remainder(-1001, [50, 30, 20])
    assert refund == [-part for part in sale]


@given(
    total=st.integers(min_value=-(10**9), max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=6).filter(any),
)
def test_parts_always_sum_to_the_total_and_stay_within_one_unit_of_the_exact_share(total, weights):
    parts = split_largest_remainder(total, weights)
    assert sum(parts) == total
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(Fraction(part) - Fraction(total * weight, weight_sum)) < 1


def test_money_refuses_floats_and_mixed_currencies():
    with pytest.raises(TypeError):
        Money(10.5, "EUR")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Money(100, "EUR") + Money(100, "USD")
    assert Money(100, "EUR") - Money(30, "EUR") == Money(70, "EUR")


def test_money_is_formatted_in_the_viewers_locale(app):
    from lms.core.i18n import money

    with app.test_request_context():
        assert money(123456, "EUR", "de") == "1.234,56\xa0€"
        assert money(123456, "USD", "en") == "$1,234.56"
        assert money(5000, "JPY", "ja") == "￥5,000"  # no minor unit in yen


def test_money_on_an_arabic_page_is_one_left_to_right_run(app):
    from lms.core.i18n import money_on_page

    with app.test_request_context():
        # Without the isolate the browser shows "$US 3,528.00" in a right-to-left paragraph.
        assert money_on_page(352800, "USD", "ar") == "\u20663,528.00\xa0US$\u2069"
        assert money_on_page(352800, "USD", "en") == "$3,528.00"


def test_dates_on_an_arabic_page_are_isolated_and_medium_times_have_no_seconds(app):
    from datetime import UTC, datetime

    import flask_babel

    from lms.core.i18n import datetime_on_page

    moment = datetime(2026, 12, 4, 2, 30, tzinfo=UTC)
    with app.test_request_context():
        with flask_babel.force_locale("en"):
            assert datetime_on_page(moment) == "Dec 4, 2026, 2:30\u202fAM"
        with flask_babel.force_locale("ar"):
            shown = datetime_on_page(moment)
            # A first-strong isolate: a partner's Latin name beside it cannot reorder its parts.
            assert shown.startswith("\u2068") and shown.endswith("\u2069") and ":30:" not in shown
