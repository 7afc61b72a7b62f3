from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from jood.cases.forms import options
from jood.priority import POLICY_NAMES


class PolicyForm(FlaskForm):
    policy = SelectField(_l("Policy that scores new cases"), choices=options((name, name) for name in POLICY_NAMES))
    reason = StringField(_l("Reason for the change"), validators=[DataRequired(), Length(min=5, max=300)])
    submit = SubmitField(_l("Change the policy"))


class RescoreForm(FlaskForm):
    fingerprint = HiddenField(validators=[DataRequired()])
    confirm = BooleanField(_l("I have checked the before and after of every case listed above"),
                           validators=[DataRequired(_l("Confirm that you checked the preview."))])
    submit = SubmitField(_l("Re-score these cases"))
