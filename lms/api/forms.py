from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectMultipleField, StringField, SubmitField, URLField
from wtforms.validators import DataRequired, Length, Optional

from lms.api.events import EVENTS
from lms.api.scopes import SCOPE_LABELS


class _PrefixedForm(FlaskForm):
    """Two forms share a page, so their fields carry a prefix; CSRFProtect checks the page's token."""

    class Meta:
        csrf = False


class ApiKeyForm(_PrefixedForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("Which system will use it, for example “HR system”."),
    )
    scopes = SelectMultipleField(_l("Scopes"))
    expires_on = DateField(
        _l("Expires on"), validators=[Optional()], description=_l("Leave empty for a key that does not expire.")
    )
    submit = SubmitField(_l("Create key"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="key", **kwargs)
        self.scopes.choices = [(scope.value, label) for scope, label in SCOPE_LABELS.items()]


class WebhookForm(_PrefixedForm):
    url = URLField(
        _l("Endpoint URL"),
        validators=[DataRequired(), Length(max=500)],
        description=_l("Where we POST the events, e.g. https://crm.example.com/hooks/lms."),
    )
    description = StringField(_l("Description"), validators=[Optional(), Length(max=200)])
    events = SelectMultipleField(_l("Events"))
    is_active = BooleanField(_l("Active (receives events)"), default=True)
    submit = SubmitField(_l("Save endpoint"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="hook", **kwargs)
        self.events.choices = [(event.name, event.label) for event in EVENTS.values()]
