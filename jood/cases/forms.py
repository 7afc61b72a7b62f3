"""Forms of the cases feature. Amounts are typed in SAR (Arabic digits accepted) and handed on as integer halalas."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from jood.cases.messages import TRACK_LABELS
from jood.cases.models import REGISTRIES
from jood.ledger.core import MAX_AMOUNT_SAR
from jood.money import AmountError, parse_amount_sar
from jood.national_id import clean_national_id, normalize_digits
from jood.priority import POLICY_NAMES
from jood.regions import REGIONS

ROLE_LABELS = {
    "husband": _l("Husband"),
    "father": _l("Father"),
    "wife": _l("Wife"),
    "mother": _l("Mother"),
    "siblings": _l("Siblings jointly"),
    "divorced_woman": _l("Divorced woman"),
    "widowed_woman": _l("Widowed woman"),
    "unmarried_over_25": _l("Unmarried, over 25"),
    "disability": _l("Person with a disability or incurable disease"),
}
NATIONALITIES = [("SA", _l("Saudi")), ("YE", _l("Yemeni")), ("EG", _l("Egyptian")), ("SY", _l("Syrian")),
                 ("SD", _l("Sudanese")), ("PK", _l("Pakistani")), ("ZZ", _l("Other nationality"))]
BASIS_LABELS = {"lease": _l("Annual rent in the lease"), "quote": _l("Price quote of the home")}
RELATION_LABELS = {"spouse": _l("Spouse"), "son": _l("Son"), "daughter": _l("Daughter"), "other": _l("Other")}
MARITAL_LABELS = {"single": _l("Single"), "married": _l("Married"), "divorced": _l("Divorced"),
                  "widowed": _l("Widowed")}
DOCUMENT_LABELS = {
    "national_id": _l("National ID card"), "family_card": _l("Family card"), "lease": _l("Lease contract"),
    "price_quote": _l("Price quote"), "income_proof": _l("Proof of income"), "visit_photo": _l("Visit photo"),
    "other": _l("Other document"),
}
RECOMMENDATION_LABELS = {"support": _l("Support the case"), "do_not_support": _l("Do not support")}
REGISTRY_LABELS = {"social_security": _l("Social security"), "property_ownership": _l("Property ownership"),
                   "housing_support": _l("Prior housing support")}
OUTCOME_LABELS = {"clear": _l("Nothing on record"), "found": _l("Found on record")}
HOUSING_LABELS = {"ordinary_unit": _l("Ordinary housing unit"),
                  "housing_complex": _l("Unit in a housing complex for beneficiaries")}


def options(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def region_choices(language: str = "ar"):
    return [(code, names[0] if language == "ar" else names[1]) for code, names in REGIONS.items()]


def localise_regions(field) -> None:
    from jood.i18n import current_language

    field.choices = options(region_choices(current_language()))


class SarField(StringField):
    """An amount in SAR typed by a person; `.data` is integer halalas (or None when empty and optional)."""

    def __init__(self, label=None, validators=None, allow_zero: bool = False, maximum_sar: int = MAX_AMOUNT_SAR,
                 **kwargs):
        super().__init__(label, validators, **kwargs)
        self.allow_zero, self.maximum_sar = allow_zero, maximum_sar
        self.halalas: int | None = None

    def _value(self):
        if isinstance(self.data, int):
            whole, frac = divmod(self.data, 100)
            return f"{whole}.{frac:02d}" if frac else str(whole)
        return self.data or ""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None
            return
        if self.allow_zero and re.fullmatch(r"[0٠۰]+(?:[.٫][0٠۰]*)?", text):
            self.data = 0
            return
        try:
            self.data = parse_amount_sar(text, maximum_sar=self.maximum_sar)
        except AmountError as error:
            self.data = text
            raise ValueError(AMOUNT_ERRORS.get(error.code, AMOUNT_ERRORS["not_a_number"])) from error


AMOUNT_ERRORS = {
    "not_a_number": _l("Enter an amount in riyals, for example 18000 or 18,000.50."),
    "not_positive": _l("The amount must be more than zero."),
    "fractional_halala": _l("Use at most two decimals."),
    "too_large": _l("This amount is too large."),
}


def _valid_national_id(form, field):
    if field.data and clean_national_id(field.data) is None:
        if re.fullmatch(r"[12][0-9]{9}", normalize_digits(field.data).strip()):
            raise ValidationError(_l("This number's check digit does not match: check it for a typo (ten digits, "
                                     "as on the card)."))
        raise ValidationError(_l("Enter a valid 10-digit national ID or iqama number."))


def _not_in_future(form, field):
    if field.data and field.data > date.today():
        raise ValidationError(_l("This date cannot be in the future."))


_PERIOD = re.compile(r"(\d{4}-\d{2}-\d{2})\D+(\d{4}-\d{2}-\d{2})")


def parse_periods(text: str) -> list[list[str]]:
    """One period a line, "2024-01-01 to 2024-03-01" (the end is the day the application resumed)."""
    periods = []
    for line in normalize_digits(text or "").splitlines():
        if not line.strip():
            continue
        match = _PERIOD.search(line)
        if not match:
            raise ValueError(line)
        began, resumed = date.fromisoformat(match[1]), date.fromisoformat(match[2])
        if resumed < began:
            raise ValueError(line)
        periods.append([began.isoformat(), resumed.isoformat()])
    return periods


class CaseForm(FlaskForm):
    full_name = StringField(_l("Applicant's full name"), validators=[DataRequired(), Length(min=3, max=200)])
    national_id = StringField(_l("National ID"), validators=[Optional(), _valid_national_id],
                              description=_l("Ten digits. It is stored encrypted and never shown publicly."))
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30)])
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=500)])
    applicant_role = SelectField(_l("Applicant's role"), choices=options(list(ROLE_LABELS.items())))
    nationality = SelectField(_l("Nationality"), choices=options(NATIONALITIES), default="SA")
    birth_date = DateField(_l("Date of birth"), validators=[InputRequired(), _not_in_future])
    divorce_date = DateField(_l("Date of divorce (divorced applicants)"), validators=[Optional(), _not_in_future])
    monthly_income = SarField(_l("Monthly family income (SAR)"), validators=[InputRequired()], allow_zero=True)
    domestic_workers = IntegerField(_l("Domestic workers"), default=0, validators=[InputRequired(),
                                                                                     NumberRange(min=0, max=50)])
    assets_value = SarField(_l("Total assets value (SAR)"), validators=[InputRequired()], allow_zero=True)
    owns_suitable_home = BooleanField(_l("Someone in the family owns a suitable home now"))
    home_owned_until = DateField(
        _l("Last day someone in the family owned a suitable home (if ever)"), validators=[Optional(), _not_in_future],
        description=_l("Counts against eligibility within five years under the first policy, one year under the "
                       "executive regulation."))
    housing_type = SelectField(_l("Kind of housing sought"), choices=options(list(HOUSING_LABELS.items())),
                               default="ordinary_unit")
    prior_housing_support = BooleanField(_l("Someone in the family received government or private housing support"))
    resides_in_ksa = BooleanField(_l("The family resides in the Kingdom"), default=True)
    incurable_condition = BooleanField(_l("Someone in the family has an incurable disease or a disability"))
    development_centre = BooleanField(_l("The family chose a targeted development centre"))
    prior_land_grant_application = BooleanField(_l("A prior land-grant application was not met"))
    application_completed_on = DateField(_l("Date the application was completed"),
                                         validators=[InputRequired(), _not_in_future])
    suspended_periods = TextAreaField(
        _l("Suspended periods"), validators=[Optional()],
        description=_l("One period a line: start and resume dates, e.g. 2024-01-01 to 2024-03-01."))
    region = SelectField(_l("Region"), choices=options(region_choices()))
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=80)])
    track = SelectField(_l("Track"), choices=options(list(TRACK_LABELS.items())))
    target_amount = SarField(_l("Amount needed (SAR)"), validators=[InputRequired()])
    amount_basis = SelectField(_l("Basis of the amount"), choices=options(list(BASIS_LABELS.items())))
    amount_basis_note = TextAreaField(_l("Details of the basis (lease or quote)"), validators=[Length(max=1000)])
    public_title = StringField(
        _l("Public title"), validators=[Optional(), Length(max=90)],
        description=_l("A short line donors see first, e.g. a family of seven in Sabya needs a year's rent. "
                       "No names or numbers that identify the family."))
    public_summary = TextAreaField(
        _l("Public summary"), validators=[DataRequired(), Length(min=20, max=600)],
        description=_l("Shown to donors. No names, ID or phone numbers, address or anything that identifies the "
                       "family."))
    public_title_en = StringField(_l("Public title in English (optional)"), validators=[Optional(), Length(max=90)])
    public_summary_en = TextAreaField(_l("Public summary in English (optional)"),
                                      validators=[Optional(), Length(max=600)])
    zakat_eligible = BooleanField(_l("Eligible for zakat"), default=True)
    submit = SubmitField(_l("Save the case"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        localise_regions(self.region)

    def validate_suspended_periods(self, field):
        try:
            self.periods = parse_periods(field.data)
        except ValueError as error:
            raise ValidationError(_l("Write each period as two dates, start then resume.")) from error

    def cleaned(self) -> dict:
        data = {name: getattr(self, name).data for name in (
            "full_name", "phone", "address", "applicant_role", "nationality", "birth_date", "divorce_date",
            "monthly_income", "assets_value", "domestic_workers", "owns_suitable_home", "home_owned_until",
            "housing_type", "prior_housing_support",
            "resides_in_ksa", "incurable_condition", "development_centre", "prior_land_grant_application",
            "application_completed_on", "region", "city", "track", "target_amount", "amount_basis",
            "amount_basis_note", "public_summary", "zakat_eligible", "public_title", "public_title_en",
            "public_summary_en")}
        for name in ("full_name", "phone", "address", "city", "amount_basis_note", "public_summary", "public_title",
                     "public_title_en", "public_summary_en"):
            data[name] = (data[name] or "").strip()
        data["suspended_periods"] = getattr(self, "periods", [])
        data["national_id"] = clean_national_id(self.national_id.data) if self.national_id.data else None
        return data


class MemberForm(FlaskForm):
    relation = SelectField(_l("Relation"), choices=options(list(RELATION_LABELS.items())))
    member_name = StringField(_l("Full name"), validators=[DataRequired(), Length(min=2, max=200)])
    age = IntegerField(_l("Age"), validators=[InputRequired(), NumberRange(min=0, max=130)])
    marital_status = SelectField(_l("Marital status"), choices=options(list(MARITAL_LABELS.items())))
    has_condition = BooleanField(_l("Incurable disease or disability"))
    submit = SubmitField(_l("Add the family member"))

    def cleaned(self) -> dict:
        return {"relation": self.relation.data, "full_name": self.member_name.data.strip(), "age": self.age.data,
                "marital_status": self.marital_status.data, "has_condition": self.has_condition.data}


class DocumentForm(FlaskForm):
    kind = SelectField(_l("Document type"), choices=options(
        (k, v) for k, v in DOCUMENT_LABELS.items() if k != "visit_photo"))
    file = FileField(_l("File (PDF, JPEG or PNG)"), validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Upload"))


class VisitForm(FlaskForm):
    visited_on = DateField(_l("Date of the visit"), validators=[InputRequired(), _not_in_future])
    findings = TextAreaField(_l("Findings"), validators=[DataRequired(), Length(min=20, max=4000)])
    recommendation = SelectField(_l("Recommendation"), choices=options(list(RECOMMENDATION_LABELS.items())))
    photos = MultipleFileField(_l("Photos of the home (optional)"))
    submit = SubmitField(_l("Record the visit"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(min=5, max=2000)])


class NoteForm(FlaskForm):
    note = TextAreaField(_l("What changed in the family's situation"), validators=[DataRequired(),
                                                                                   Length(min=5, max=2000)])
    submit = SubmitField(_l("Record the update"))


class PublishForm(FlaskForm):
    confirm_no_private_data = BooleanField(
        _l("I confirm the public title and summary hold no name, ID, phone, address or other identifying detail"))
    submit = SubmitField(_l("Publish"))


class RegistryForm(FlaskForm):
    evidence_file = FileField(_l("Evidence file (optional)"))
    submit = SubmitField(_l("Record the registry checks"))


for _registry in REGISTRIES:
    setattr(RegistryForm, f"{_registry}_outcome", SelectField(REGISTRY_LABELS[_registry],
                                                               choices=options(list(OUTCOME_LABELS.items()))))
    setattr(RegistryForm, f"{_registry}_evidence", TextAreaField(
        _l("Evidence seen"), validators=[DataRequired(), Length(min=10, max=1000)]))


class CalculatorForm(FlaskForm):
    """The public points calculator: a GET form, so results can be bookmarked (no CSRF needed, nothing is saved)."""

    class Meta:
        csrf = False

    policy = SelectField(_l("Policy"), choices=options((name, name) for name in POLICY_NAMES))
    housing_type = SelectField(_l("Kind of housing sought"), choices=options(list(HOUSING_LABELS.items())),
                               default="ordinary_unit")
    applicant_role = SelectField(_l("Applicant's role"), choices=options(list(ROLE_LABELS.items())))
    nationality = SelectField(_l("Nationality"), choices=options(NATIONALITIES), default="SA")
    age = IntegerField(_l("Applicant's age (years)"), validators=[InputRequired(), NumberRange(min=0, max=130)])
    family_size = IntegerField(_l("Family size"), validators=[InputRequired(), NumberRange(min=1, max=50)])
    monthly_income = IntegerField(_l("Monthly family income (SAR)"), validators=[InputRequired(), NumberRange(min=0)])
    domestic_workers = IntegerField(_l("Domestic workers"), default=0, validators=[InputRequired(),
                                                                                     NumberRange(min=0, max=50)])
    precedence_years = IntegerField(_l("Full years since the application was completed"), default=0,
                                    validators=[InputRequired(), NumberRange(min=0, max=100)])
    years_since_divorce = IntegerField(_l("Years since the divorce (divorced applicants)"),
                                       validators=[Optional(), NumberRange(min=0, max=130)])
    assets_value = IntegerField(_l("Total assets value (SAR)"), default=0, validators=[InputRequired(),
                                                                                         NumberRange(min=0)])
    prior_land_grant_application = BooleanField(_l("A prior land-grant application was not met"))
    owns_suitable_home = BooleanField(_l("Someone in the family owns a suitable home now"))
    years_since_home_owned = IntegerField(
        _l("Full years since someone in the family last owned a suitable home (if ever)"),
        validators=[Optional(), NumberRange(min=0, max=130)])
    prior_housing_support = BooleanField(_l("Someone in the family received government or private housing support"))
    resides_in_ksa = BooleanField(_l("The family resides in the Kingdom"), default=True)
    incurable_condition = BooleanField(_l("Someone in the family has an incurable disease or a disability"))
    development_centre = BooleanField(_l("The family chose a targeted development centre"))
    submit = SubmitField(_l("Calculate"))
