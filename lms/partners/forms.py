"""Forms of the partner network (labels are lazy: they are translated when rendered)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from lms.core.i18n import LANGUAGES, all_timezones
from lms.core.security import ROLE_LABELS
from lms.partners.models import INVITABLE_ROLES


def language_choices() -> list[tuple[str, str]]:
    return [(code, lang.native_name) for code, lang in LANGUAGES.items()]


def class_language_choices() -> list[tuple[str, str]]:
    from babel import Locale
    from flask_babel import get_locale

    from lms.partners.services.classes import CLASS_LANGUAGES

    here = get_locale() or Locale("en")
    choices = []
    for code in CLASS_LANGUAGES:
        name = LANGUAGES[code].native_name if code in LANGUAGES else Locale(code).get_display_name(here) or code
        choices.append((code, name))
    return choices


def timezone_choices() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in all_timezones()]


class EmptyForm(FlaskForm):
    """Only the CSRF token: buttons that POST."""


class ApplicationForm(FlaskForm):
    kind = SelectField(_l("Kind of partner"), validators=[DataRequired()])
    name = StringField(_l("Organisation name"), validators=[DataRequired(), Length(max=200)])
    country = StringField(
        _l("Country code (two letters)"),
        validators=[DataRequired(), Length(min=2, max=2)],
        description=_l("e.g. AE, DE, JP"),
    )
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300)])
    languages = SelectMultipleField(_l("Languages you teach in"), choices=language_choices, validators=[DataRequired()])
    expected_learners = IntegerField(
        _l("Learners you expect to train in a year"), validators=[Optional(), NumberRange(min=0, max=10_000_000)]
    )
    motivation = TextAreaField(_l("Whom do you train, and how?"), validators=[DataRequired(), Length(min=20, max=4000)])
    submit = SubmitField(_l("Send application"))


class DecisionForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=[("approve", _l("Approve")), ("reject", _l("Reject"))])
    reason = TextAreaField(_l("Reason (sent to the applicant)"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Record decision"))


class PartnerStatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=[])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Change status"))


class AgreementForm(FlaskForm):
    own_partner_percent = DecimalField(_l("Own sale: partner share (%)"), places=2, validators=[InputRequired()])
    own_body_percent = DecimalField(
        _l("Own sale: certification body share (%)"), places=2, validators=[InputRequired()]
    )
    resale_delivering_percent = DecimalField(
        _l("Resale: delivering partner (%)"), places=2, validators=[InputRequired()]
    )
    resale_reseller_percent = DecimalField(_l("Resale: reselling partner (%)"), places=2, validators=[InputRequired()])
    resale_body_percent = DecimalField(_l("Resale: certification body (%)"), places=2, validators=[InputRequired()])
    refund_window_days = IntegerField(
        _l("Refund window (days)"), validators=[InputRequired(), NumberRange(min=0, max=365)]
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Record new terms"))


class BrandingForm(FlaskForm):
    display_name = StringField(_l("Name shown to learners"), validators=[DataRequired(), Length(max=200)])
    primary_colour = StringField(
        _l("Primary colour"),
        validators=[DataRequired(), Length(min=7, max=7)],
        description=_l("Header and buttons, with white text on it. Format: #1D4ED8."),
    )
    secondary_colour = StringField(
        _l("Secondary colour"),
        validators=[DataRequired(), Length(min=7, max=7)],
        description=_l("Accents. Format: #0E7C86."),
    )
    tagline = StringField(_l("Tagline (in your first language)"), validators=[Optional(), Length(max=200)])
    languages = SelectMultipleField(_l("Languages you teach in"), choices=language_choices, validators=[DataRequired()])
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Email(), Length(max=254)])
    signatory_name = StringField(_l("Signatory name (on certificates)"), validators=[Optional(), Length(max=200)])
    signatory_title = StringField(_l("Signatory title"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Save branding"))


class ImageForm(FlaskForm):
    image = FileField(_l("Image (PNG or JPEG, at most 2 MB)"))
    submit = SubmitField(_l("Upload"))


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=[(r.value, ROLE_LABELS[r]) for r in INVITABLE_ROLES])
    submit = SubmitField(_l("Send invitation"))


class ClassForm(FlaskForm):
    course_version_id = SelectField(_l("Course"), coerce=int)
    language = SelectField(_l("Language of instruction"), choices=class_language_choices)
    timezone = SelectField(_l("Time zone of the meetings"), choices=timezone_choices)
    capacity = IntegerField(_l("Capacity (seats)"), validators=[InputRequired(), NumberRange(min=1, max=1000)])
    format = SelectField(_l("Format"), choices=[("virtual", _l("Virtual")), ("in_person", _l("In person"))])
    meeting_url = StringField(
        _l("Meeting link (virtual)"),
        validators=[Optional(), Length(max=500)],
        description=_l("Shown only to learners with a seat."),
    )
    venue = StringField(_l("Address (in person)"), validators=[Optional(), Length(max=300)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    country = StringField(_l("Country code"), validators=[Optional(), Length(min=2, max=2)])
    notes = TextAreaField(_l("Notes for learners"), validators=[Optional(), Length(max=4000)])
    resale_allowed = BooleanField(
        _l("Other partners may resell seats"),
        description=_l("They reserve or sell seats at your price; the split follows your partner agreement."),
    )
    cancellation_cutoff_hours = IntegerField(
        _l("Cancellation allowed until (hours before the first meeting)"),
        default=72,
        validators=[InputRequired(), NumberRange(min=0, max=1440)],
    )
    transfer_cutoff_hours = IntegerField(
        _l("Transfer to another learner allowed until (hours before)"),
        default=24,
        validators=[InputRequired(), NumberRange(min=0, max=1440)],
    )
    submit = SubmitField(_l("Save class"))


class MeetingForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired()])
    start = TimeField(_l("From"), validators=[DataRequired()])
    end = TimeField(_l("To"), validators=[DataRequired()])
    title = StringField(_l("Topic (optional)"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Add meeting"))


class PriceForm(FlaskForm):
    currency = StringField(_l("Currency"), validators=[DataRequired(), Length(min=3, max=3)], default="USD")
    list_price = DecimalField(_l("List price"), places=2, validators=[InputRequired(), NumberRange(min=0)])
    academic_price = DecimalField(_l("Academic price"), places=2, validators=[Optional(), NumberRange(min=0)])
    association_price = DecimalField(
        _l("Association member price"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    submit = SubmitField(_l("Save price"))


class StaffForm(FlaskForm):
    user_id = SelectField(_l("Person"), coerce=int)
    role = SelectField(_l("Role in the class"), choices=[("instructor", _l("Instructor")), ("proctor", _l("Proctor"))])
    submit = SubmitField(_l("Add to class"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Confirm"))


class TransferForm(FlaskForm):
    email = EmailField(_l("E-mail of the new learner"), validators=[DataRequired(), Email(), Length(max=254)])
    display_name = StringField(_l("Their name"), validators=[Optional(), Length(max=120)])
    submit = SubmitField(_l("Pass the seat on"))


class AssignForm(FlaskForm):
    email = EmailField(_l("Learner's e-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    display_name = StringField(_l("Learner's name"), validators=[Optional(), Length(max=120)])
    language = SelectField(_l("Language"), choices=language_choices, default="en")
    submit = SubmitField(_l("Assign seat"))


class AllotmentForm(FlaskForm):
    quantity = IntegerField(_l("Seats"), validators=[InputRequired(), NumberRange(min=1, max=500)], default=3)
    release_on = DateField(
        _l("Release unused seats on"),
        validators=[DataRequired()],
        description=_l("Unused seats return to public sale on this date."),
    )
    submit = SubmitField(_l("Reserve allotment"))


class BuySeatsForm(FlaskForm):
    quantity = IntegerField(_l("Seats"), validators=[InputRequired(), NumberRange(min=1, max=50)], default=1)
    currency = SelectField(_l("Currency"), choices=[])
    submit = SubmitField(_l("Buy seats"))


class CodeForm(FlaskForm):
    code = StringField(_l("Voucher or referral code"), validators=[DataRequired(), Length(max=40)])
    submit = SubmitField(_l("Apply"))


class PayForm(FlaskForm):
    provider = SelectField(_l("Payment method"), choices=[])
    po_number = StringField(_l("Purchase order number (for an invoice)"), validators=[Optional(), Length(max=80)])
    submit = SubmitField(_l("Confirm and pay"))


class RedeemForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    submit = SubmitField(_l("Redeem"))


class RedeemForLearnerForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    email = EmailField(_l("Learner's e-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    display_name = StringField(_l("Learner's name"), validators=[Optional(), Length(max=120)])
    language = SelectField(_l("Language"), choices=language_choices, default="en")
    submit = SubmitField(_l("Redeem for this learner"))


class VoucherBatchForm(FlaskForm):
    name = StringField(_l("Batch name"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=[("seat", _l("Seat voucher")), ("exam", _l("Exam voucher"))])
    client_id = SelectField(_l("Enterprise client"), coerce=int)
    target = SelectField(_l("Valid for"), choices=[])
    track_id = SelectField(_l("Certification (exam vouchers)"), coerce=int)
    count = IntegerField(_l("Number of codes"), validators=[Optional(), NumberRange(min=1, max=1000)], default=10)
    max_uses = IntegerField(
        _l("Uses per code"),
        validators=[Optional(), NumberRange(min=1, max=10000)],
        default=1,
        description=_l("1 = single use; more = multi-use with this cap."),
    )
    discount_percent = DecimalField(
        _l("Discount (%)"), places=2, default=100, validators=[Optional(), NumberRange(min=0.01, max=100)]
    )
    expires_on = DateField(_l("Expires on"), validators=[Optional()])
    assigned_emails = TextAreaField(
        _l("Assign to e-mail addresses (optional)"),
        validators=[Optional(), Length(max=50_000)],
        description=_l("One address per line: each gets its own single-use code that only they can redeem."),
    )
    submit = SubmitField(_l("Generate codes"))


class ClientForm(FlaskForm):
    name = StringField(_l("Client name"), validators=[DataRequired(), Length(max=200)])
    country = StringField(_l("Country code"), validators=[Optional(), Length(min=2, max=2)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    submit = SubmitField(_l("Add client"))


class CohortForm(FlaskForm):
    name = StringField(_l("Cohort name"), validators=[DataRequired(), Length(max=120)])
    client_id = SelectField(_l("Enterprise client"), coerce=int)
    submit = SubmitField(_l("Create cohort"))


class UploadForm(FlaskForm):
    file = FileField(_l("CSV file"))
    submit = SubmitField(_l("Check the file"))


class MemberCodesForm(FlaskForm):
    count = IntegerField(
        _l("Number of member codes"), validators=[InputRequired(), NumberRange(min=1, max=1000)], default=20
    )
    valid_until = DateField(_l("Valid until (optional)"), validators=[Optional()])
    submit = SubmitField(_l("Generate member codes"))


class MemberRosterForm(FlaskForm):
    file = FileField(_l("Member roster (CSV with an “email” column)"))
    valid_until = DateField(_l("Membership valid until (optional)"), validators=[Optional()])
    submit = SubmitField(_l("Upload roster"))


class ClaimCodeForm(FlaskForm):
    code = StringField(_l("Member code"), validators=[DataRequired(), Length(max=32)])
    submit = SubmitField(_l("Confirm my membership"))


class MarkPaidForm(FlaskForm):
    reference = StringField(_l("Payment reference"), validators=[Optional(), Length(max=120)])
    submit = SubmitField(_l("Mark invoice paid"))


class RefundForm(FlaskForm):
    line_id = HiddenField()
    seats = IntegerField(_l("Seats to refund"), validators=[InputRequired(), NumberRange(min=0)], default=1)
    amount = DecimalField(
        _l("Amount (leave empty for the seats' share)"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Refund"))
