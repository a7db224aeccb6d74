"""Forms of the affiliate programmes (labels are lazy: they are translated when rendered)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.affiliates.models import AttributionModel, Payer, PayoutMethod, ProductKind, ProgrammeStatus


def payout_method_choices() -> list[tuple[str, object]]:
    return [(PayoutMethod.BANK.value, _l("Bank transfer (IBAN)")), (PayoutMethod.PAYPAL.value, _l("PayPal"))]


def product_kind_choices() -> list[tuple[str, object]]:
    return [
        ("", _l("Every product")),
        (ProductKind.ELEARNING_SEAT.value, _l("eLearning seat")),
        (ProductKind.CLASS_SEAT.value, _l("Class seat")),
        (ProductKind.EXAM_VOUCHER.value, _l("Exam voucher")),
    ]


class EmptyForm(FlaskForm):
    """Only the CSRF token: buttons that POST."""


class ApplyForm(FlaskForm):
    website = StringField(
        _l("Website"),
        validators=[Optional(), Length(max=300)],
        description=_l("Your blog, channel or profile page, starting with https://"),
    )
    channels = TextAreaField(
        _l("Where will you share your links?"),
        validators=[DataRequired(), Length(min=3, max=2000)],
        description=_l("Newsletter, YouTube channel, podcast, LinkedIn, a company intranet…"),
    )
    audience = TextAreaField(_l("Who is your audience?"), validators=[DataRequired(), Length(min=10, max=2000)])
    payout_method = SelectField(_l("How should we pay you?"), choices=payout_method_choices)
    payout_details = StringField(
        _l("Payout details"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("Your IBAN for a bank transfer, or the e-mail address of your PayPal account."),
    )
    preferred_code = StringField(
        _l("Preferred referral code (optional)"),
        validators=[Optional(), Length(max=32)],
        description=_l("Letters, digits and hyphens, e.g. SARA-AI. We pick one for you if it is empty or taken."),
    )
    submit = SubmitField(_l("Send application"))


class PayoutDetailsForm(FlaskForm):
    payout_method = SelectField(_l("Payout method"), choices=payout_method_choices)
    payout_details = StringField(_l("Payout details"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Save payout details"))


class DecisionForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=[])
    reason = TextAreaField(_l("Reason (sent to the affiliate)"), validators=[Length(max=2000)])
    submit = SubmitField(_l("Record decision"))


class ProgrammeForm(FlaskForm):
    name = StringField(_l("Programme name"), validators=[DataRequired(), Length(min=3, max=120)])
    status = SelectField(
        _l("Status"),
        choices=[
            (ProgrammeStatus.OPEN.value, _l("Open: takes applications and pays commissions")),
            (ProgrammeStatus.PAUSED.value, _l("Paused: no new applications or commissions")),
        ],
    )
    cookie_window_days = IntegerField(
        _l("Attribution window (days)"),
        validators=[InputRequired(), NumberRange(min=1, max=365)],
        description=_l("A click counts for sign-ups and purchases this many days after it."),
    )
    attribution_model = SelectField(
        _l("Attribution model"),
        choices=[
            (AttributionModel.FIRST_CLICK.value, _l("First click: the first affiliate in the window")),
            (AttributionModel.LAST_CLICK.value, _l("Last click: the latest affiliate in the window")),
        ],
    )
    binding_days = IntegerField(
        _l("Binding period (days)"),
        validators=[InputRequired(), NumberRange(min=0, max=3650)],
        description=_l("After sign-up or a first purchase, later purchases stay with the same affiliate this long."),
    )
    holding_days = IntegerField(
        _l("Holding period (days)"),
        validators=[InputRequired(), NumberRange(min=0, max=365)],
        description=_l("Commissions stay pending this long (the refund window) before they are approved."),
    )
    coupon_percent = DecimalField(
        _l("Coupon discount for buyers (%)"), places=2, validators=[InputRequired(), NumberRange(min=0, max=50)]
    )
    payout_minimum = DecimalField(
        _l("Payout minimum"),
        places=2,
        validators=[InputRequired(), NumberRange(min=0)],
        description=_l("In the payout's currency: balances below it wait for the next payout."),
    )
    terms = TextAreaField(_l("Terms shown to applicants"), validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Save programme"))


class RuleForm(FlaskForm):
    name = StringField(_l("Rule name"), validators=[DataRequired(), Length(max=120)])
    product_kind = SelectField(_l("Product"), choices=product_kind_choices)
    affiliate_id = SelectField(_l("Affiliate"), choices=[], coerce=str)
    percent = DecimalField(_l("Percentage (%)"), places=2, validators=[Optional(), NumberRange(min=0, max=100)])
    flat = DecimalField(_l("Or a flat amount per seat"), places=2, validators=[Optional(), NumberRange(min=0)])
    currency = StringField(_l("Currency of the flat amount"), validators=[Optional(), Length(max=3)])
    min_monthly_sales = IntegerField(
        _l("From sales in the previous month"),
        default=0,
        validators=[InputRequired(), NumberRange(min=0, max=100000)],
        description=_l("A volume tier: the rule applies when the affiliate made at least this many sales last month."),
    )
    payer = SelectField(
        _l("Paid out of"),
        choices=[
            (Payer.DEFAULT.value, _l("The programme owner's share")),
            (Payer.BODY.value, _l("The certification body's share")),
            (Payer.PARTNER.value, _l("The delivering partner's share")),
        ],
    )
    submit = SubmitField(_l("Add rule"))


class CouponForm(FlaskForm):
    code = StringField(_l("Coupon code"), validators=[Optional(), Length(max=32)])
    percent = DecimalField(_l("Discount (%)"), places=2, validators=[InputRequired(), NumberRange(min=0, max=50)])
    submit = SubmitField(_l("Create coupon"))


class FlagDecisionForm(FlaskForm):
    decision = SelectField(
        _l("Decision"),
        choices=[
            ("clear", _l("Clear: nothing wrong, the commissions continue")),
            ("confirm", _l("Confirm: fraud, the held commissions are rejected")),
        ],
    )
    note = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Decide"))


class MarkPaidForm(FlaskForm):
    reference = StringField(_l("Bank or payment reference"), validators=[Optional(), Length(max=120)])
    submit = SubmitField(_l("Mark as paid"))


class LinkForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only builds a link

    page = StringField(_l("Page of this site"), validators=[Optional(), Length(max=300)])
