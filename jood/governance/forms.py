from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, SubmitField
from wtforms.validators import Length, Optional, ValidationError


def strip(value):
    return value.strip() if isinstance(value, str) else value


class AuditSearchForm(FlaskForm):
    """A GET search form: it changes nothing, so it carries no CSRF token (the links stay shareable)."""

    class Meta:
        csrf = False

    actor = StringField(_l("Actor (e-mail)"), filters=[strip], validators=[Optional(), Length(max=254)])
    object_type = StringField(_l("Object type"), filters=[strip], validators=[Optional(), Length(max=40)])
    object_id = StringField(_l("Object id"), filters=[strip], validators=[Optional(), Length(max=40)])
    action = StringField(_l("Action"), filters=[strip], validators=[Optional(), Length(max=60)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    submit = SubmitField(_l("Search"))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))
