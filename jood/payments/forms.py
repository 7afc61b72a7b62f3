from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired


class MonthlyConsentForm(FlaskForm):
    consent = BooleanField(_l("I agree"), validators=[DataRequired(_l("Tick the box to agree to the monthly charge."))])
