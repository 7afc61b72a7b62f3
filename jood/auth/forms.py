from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from jood.auth.services import find_user_by_email


def strip(value):
    """Phones and copy-paste add stray spaces around e-mail addresses."""
    return value.strip() if isinstance(value, str) else value


PASSWORD_RULES = [
    DataRequired(message=_l("Enter a password.")),
    Length(min=10, max=128, message=_l("The password must be between 10 and 128 characters.")),
]


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail"), filters=[strip], validators=[DataRequired(message=_l("Enter your e-mail address."))]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password."))])
    remember = BooleanField(_l("Keep me signed in"))
    submit = SubmitField(_l("Sign in"))


class SignupForm(FlaskForm):
    display_name = StringField(
        _l("Name"),
        validators=[
            DataRequired(message=_l("Enter your name.")),
            Length(max=120, message=_l("The name must be at most 120 characters.")),
        ],
    )
    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Email(message=_l("Enter a valid e-mail address."), check_deliverability=False),
        ],
    )
    password = PasswordField(_l("Password"), validators=PASSWORD_RULES)
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", message=_l("The two passwords do not match."))],
    )
    submit = SubmitField(_l("Create account"))

    def validate_email(self, field):
        if find_user_by_email(field.data or "") is not None:
            raise ValidationError(_l("An account with this e-mail address already exists."))


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Email(message=_l("Enter a valid e-mail address."), check_deliverability=False),
        ],
    )
    submit = SubmitField(_l("Send reset link"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=PASSWORD_RULES)
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", message=_l("The two passwords do not match."))],
    )
    submit = SubmitField(_l("Change password"))
