from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from jood.core.db import utcnow
from jood.support import rules
from jood.support.periods import riyadh_today
from jood.support.rules import Decision, Kind


def strip(value):
    return value.strip() if isinstance(value, str) else value


KIND_CHOICES = [
    SelectChoice(Kind.INQUIRY.value, _l("Inquiry")),
    SelectChoice(Kind.COMPLAINT.value, _l("Complaint")),
    SelectChoice(Kind.SUGGESTION.value, _l("Suggestion")),
    SelectChoice(Kind.GRIEVANCE.value, _l("Grievance against a decision")),
]
DECISION_CHOICES = [
    SelectChoice(Decision.UPHELD.value, _l("Uphold the grievance")),
    SelectChoice(Decision.DISMISSED.value, _l("Dismiss the grievance")),
    SelectChoice(Decision.MORE_STUDY.value, _l("Needs more study")),
]


class RequestForm(FlaskForm):
    kind = RadioField(_l("What is it about?"), choices=KIND_CHOICES, default=Kind.INQUIRY.value,
                      validators=[DataRequired(message=_l("Choose the kind of request."))])
    name = StringField(_l("Your name"), filters=[strip], validators=[
        DataRequired(message=_l("Enter your name.")),
        Length(max=120, message=_l("The name must be at most 120 characters.")),
    ])
    email = EmailField(_l("E-mail"), filters=[strip], validators=[
        Optional(), Email(message=_l("Enter a valid e-mail address."), check_deliverability=False),
        Length(max=254, message=_l("The e-mail address is too long.")),
    ])
    mobile = StringField(_l("Mobile number"), filters=[strip], validators=[Optional()])
    case_code = StringField(_l("Case code (optional)"), filters=[strip],
                            validators=[Optional(), Length(max=20, message=_l("The case code is too long."))])
    donation_reference = StringField(_l("Donation reference (optional)"), filters=[strip], validators=[
        Optional(), Length(max=40, message=_l("The donation reference is too long.")),
    ])
    message = TextAreaField(_l("Your message"), filters=[strip], validators=[
        DataRequired(message=_l("Write your message.")),
        Length(min=10, max=5000, message=_l("The message must be between 10 and 5000 characters.")),
    ])
    contested_decision = TextAreaField(_l("The decision you are contesting"), filters=[strip], validators=[
        Optional(), Length(max=2000, message=_l("At most 2000 characters.")),
    ])
    notified_on = DateField(_l("Date you were notified of the decision"), validators=[Optional()])
    submit = SubmitField(_l("Send"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.email.data or self.mobile.data) and not self.email.errors:
            self.email.errors.append(_l("Give an e-mail address or a mobile number so we can answer you."))
            valid = False
        if self.mobile.data and not rules.is_valid_mobile(self.mobile.data):
            self.mobile.errors.append(_l("Enter a Saudi mobile number such as 05XXXXXXXX."))
            valid = False
        if self.kind.data == Kind.GRIEVANCE:
            valid = self._validate_grievance() and valid
        return valid

    def _validate_grievance(self) -> bool:
        valid = True
        if not self.contested_decision.data:
            self.contested_decision.errors.append(_l("Describe the decision you are contesting."))
            valid = False
        if self.notified_on.errors:
            return False
        if not self.notified_on.data:
            self.notified_on.errors.append(_l("Enter the date you were notified of the decision."))
            return False
        problem = rules.grievance_window_error(self.notified_on.data, riyadh_today(utcnow()))
        if problem == "future":
            self.notified_on.errors.append(_l("The notification date cannot be in the future."))
            valid = False
        elif problem == "late":
            self.notified_on.errors.append(_l(
                "A grievance must be filed within %(days)s days of being notified of the decision; this date is "
                "past that limit, so the grievance cannot be accepted. You can still send a complaint or an inquiry.",
                days=rules.GRIEVANCE_FILING_WINDOW_DAYS,
            ))
            valid = False
        return valid


class StatusLookupForm(FlaskForm):
    tracking = StringField(_l("Tracking number"), filters=[strip],
                           validators=[DataRequired(message=_l("Enter the tracking number."))])
    contact = StringField(_l("The e-mail or mobile number you gave"), filters=[strip],
                          validators=[DataRequired(message=_l("Enter the e-mail or mobile number you gave."))])
    submit = SubmitField(_l("Show my request"))


class RateForm(FlaskForm):
    rating = RadioField(_l("How satisfied are you with how your request was handled?"),
                        choices=[SelectChoice(str(n), str(n)) for n in range(5, 0, -1)],
                        validators=[DataRequired(message=_l("Choose a rating from 1 to 5."))])
    submit = SubmitField(_l("Send rating"))


class AssignForm(FlaskForm):
    assignee = SelectField(_l("Assign to"), coerce=int)
    submit = SubmitField(_l("Assign"))


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Reply to the requester"), filters=[strip], validators=[
        DataRequired(message=_l("Write the reply.")),
        Length(max=5000, message=_l("At most 5000 characters.")),
    ])
    submit = SubmitField(_l("Send reply"))


class ActionForm(FlaskForm):
    """A button with its CSRF token (resolve, record the decision, remove a member)."""

    submit = SubmitField(_l("Confirm"))


class VoteForm(FlaskForm):
    vote = RadioField(_l("Your vote"), choices=DECISION_CHOICES,
                      validators=[DataRequired(message=_l("Choose your vote."))])
    note = TextAreaField(_l("Reasoning (kept in the committee record)"), filters=[strip],
                         validators=[Optional(), Length(max=2000, message=_l("At most 2000 characters."))])
    submit = SubmitField(_l("Vote"))


class MemberForm(FlaskForm):
    user = SelectField(_l("Staff member"), coerce=int)
    submit = SubmitField(_l("Add to the committee"))
