from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, MultipleFileField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional


class DisbursementForm(FlaskForm):
    """What the charity asks to be paid, to whom, under which contract. The service checks the rules."""

    amount = StringField(_l("Amount to pay (SAR)"), validators=[DataRequired(), Length(max=30)])
    payee_name = StringField(_l("Landlord or seller (kept private)"), validators=[DataRequired(), Length(max=200)])
    payee_phone = StringField(_l("Their phone (kept private)"), validators=[Optional(), Length(max=30)])
    contract_reference = StringField(_l("Lease or purchase contract number"), validators=[Optional(), Length(max=80)])
    period_start = DateField(_l("Lease starts"), validators=[Optional()])
    period_end = DateField(_l("Lease ends"), validators=[Optional()])
    outcome_text = StringField(_l("Public outcome, in a few words (no names or numbers)"),
                               validators=[DataRequired(), Length(max=200)])
    note = TextAreaField(_l("Note for the finance officer"), validators=[Optional(), Length(max=2000)])
    documents = MultipleFileField(_l("Evidence: contract, invoice (PDF, JPEG or PNG)"))


class DecisionForm(FlaskForm):
    outcome_text = StringField(_l("Public outcome"), validators=[Optional(), Length(max=200)])
    reason = TextAreaField(_l("Reasons, when returning it"), validators=[Optional(), Length(max=2000)])
    action = SelectField(_l("Decision"), choices=[SelectChoice("approve", _l("Approve and pay")),
                                                   SelectChoice("return", _l("Return to the charity"))])


class FollowUpForm(FlaskForm):
    months = SelectField(_l("Follow-up"), choices=[SelectChoice("6", _l("Six months")),
                                                  SelectChoice("12", _l("Twelve months"))])
    housed = RadioField(_l("Is the family still housed there?"),
                        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                        validators=[DataRequired()])
    note = StringField(_l("Public note (optional, no names or numbers)"), validators=[Optional(), Length(max=300)])


class ConfirmForm(FlaskForm):
    pass
