from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Regexp

from jood.cases.forms import localise_regions, options, region_choices


class ApplicationForm(FlaskForm):
    name_ar = StringField(_l("Name in Arabic"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)])
    licence_number = StringField(_l("Licence number"), validators=[
        DataRequired(), Length(max=40), Regexp(r"^[0-9A-Za-z\-/]+$", message=_l("Use digits and letters only."))])
    region = SelectField(_l("Region"), choices=options(region_choices()))
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=80)])
    contact_name = StringField(_l("Contact person (the charity's manager)"), validators=[DataRequired(),
                                                                                          Length(max=120)])
    contact_email = EmailField(_l("Contact e-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    contact_phone = StringField(_l("Contact phone"), validators=[DataRequired(), Length(max=30)])
    licence_document = FileField(_l("Licence document (PDF, JPEG or PNG)"),
                                 validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Send the application"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        localise_regions(self.region)

    def cleaned(self) -> dict:
        names = ("name_ar", "name_en", "licence_number", "region", "city", "contact_name", "contact_email",
                 "contact_phone")
        return {name: getattr(self, name).data.strip() for name in names}


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("Reason (required to reject or suspend)"), validators=[Length(max=500)])


class InviteForm(FlaskForm):
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Invite the researcher"))
