"""Campaign forms: staff's campaign editor (a charity manager's proposal is the same form, its scope fixed), region
targets and league teams. Amounts are typed in SAR (Arabic digits welcome) and handed on as halalas."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from jood.campaigns.models import FEATURE_RULES, ILLUSTRATIONS, KINDS, SCOPES, TEAM_KINDS
from jood.cases.forms import SarField, localise_regions

KIND_LABELS = {"campaign": _l("A campaign"), "regions": _l("The regions' campaign"), "league": _l("A team league")}
SCOPE_LABELS = {"nation": _l("The whole Kingdom"), "region": _l("One region"), "charity": _l("One charity"),
                "track": _l("One track")}
RULE_LABELS = {"neediest": _l("The neediest published cases of its scope"), "staff": _l("Cases chosen by staff")}
TEAM_KIND_LABELS = {"club": _l("Club"), "school": _l("School"), "company": _l("Company"), "city": _l("City")}
ILLUSTRATION_LABELS = {"campaign-home": _l("A home"), "campaign-regions": _l("The map of the regions"),
                       "campaign-league": _l("A league's trophy"), "neighbourhood": _l("A neighbourhood")}
TRACK_CHOICES = [SelectChoice("", _l("Any track")), SelectChoice("rent", _l("Rent support")),
                 SelectChoice("ownership", _l("Ownership"))]
SLUG_RE = r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$"


# A campaign's goal or a region's target may be far larger than one gift (Riyadh's 1,109 homes are some 22 million
# riyals): the cases' SAR field, read with a larger ceiling.
CAMPAIGN_MAX_SAR = 999_999_999_999


def CampaignSarField(label=None, validators=None, **kwargs):  # noqa: N802 - used like a field class
    return SarField(label, validators, allow_zero=True, maximum_sar=CAMPAIGN_MAX_SAR, **kwargs)


def charity_choices() -> list[SelectChoice]:
    """Approved partner charities, in the reader's language (one query, staff's form only)."""
    from sqlalchemy import select

    from jood.charities.models import Charity, CharityStatus
    from jood.extensions import db
    from jood.i18n import current_language

    english = current_language() == "en"
    return [SelectChoice(str(charity.id), charity.name_en if english and charity.name_en else charity.name_ar)
            for charity in db.session.scalars(select(Charity).where(Charity.status == CharityStatus.APPROVED.value)
                                              .order_by(Charity.id))]


def _choices(values, labels):
    return [SelectChoice(value, labels[value]) for value in values]


class CampaignForm(FlaskForm):
    title_ar = StringField(_l("Title in Arabic"), validators=[DataRequired(_l("Give the campaign a title.")),
                                                               Length(max=160)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=160)])
    slug = StringField(_l("Address (latin letters, digits and dashes)"), validators=[
        DataRequired(_l("Choose the campaign's address.")),
        Regexp(SLUG_RE, message=_l("Use 3 to 60 small latin letters, digits and dashes, e.g. ramadan-1448."))])
    hashtag = StringField(_l("Hashtag"), validators=[Optional(), Length(max=80), Regexp(
        r"^#?[^\s#]+$", message=_l("A hashtag is one word, without spaces, e.g. #كليومبيت."))])
    kind = SelectField(_l("Kind"), choices=_choices(KINDS, KIND_LABELS), default="campaign")
    start_date = DateField(_l("First day (Riyadh time)"), validators=[Optional()])
    end_date = DateField(_l("Last day (Riyadh time)"), validators=[Optional()])
    goal_amount = CampaignSarField(_l("Goal in SAR"), validators=[Optional()])
    goal_families = IntegerField(_l("Goal in families housed"), validators=[
        Optional(), NumberRange(min=1, max=1_000_000, message=_l("Give a number of families from 1."))])
    scope = SelectField(_l("Scope"), choices=_choices(SCOPES, SCOPE_LABELS), default="nation")
    scope_region = SelectField(_l("Region (for a region's campaign)"), validators=[Optional()])
    scope_track = SelectField(_l("Track (for a track's campaign)"), choices=TRACK_CHOICES, validators=[Optional()])
    scope_charity_id = SelectField(_l("Charity (for a charity's campaign)"), validators=[Optional()])
    featured_rule = SelectField(_l("Featured cases"), choices=_choices(FEATURE_RULES, RULE_LABELS),
                                default="neediest")
    featured = StringField(_l("Featured case codes, separated by commas (when chosen by staff)"),
                           validators=[Optional(), Length(max=400)])
    illustration = SelectField(_l("Illustration"), choices=_choices(ILLUSTRATIONS, ILLUSTRATION_LABELS))
    story_ar = TextAreaField(_l("Story in Arabic"), validators=[Optional(), Length(max=4000)])
    story_en = TextAreaField(_l("Story in English"), validators=[Optional(), Length(max=4000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        localise_regions(self.scope_region)
        self.scope_region.choices = [SelectChoice("", _l("No region")), *self.scope_region.choices]
        self.scope_charity_id.choices = [SelectChoice("", _l("No charity")), *charity_choices()]
        if isinstance(self.scope_charity_id.data, int):
            self.scope_charity_id.data = str(self.scope_charity_id.data)

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last day must not be before the first day."))

    def validate(self, extra_validators=None) -> bool:
        # The scope's own field is required only for that scope (an Optional() field skips inline validators).
        valid = super().validate(extra_validators)
        for scope, name, message in (("region", "scope_region", _l("Choose the campaign's region.")),
                                     ("charity", "scope_charity_id", _l("Choose the campaign's charity."))):
            field = getattr(self, name)
            if self.scope.data == scope and not field.data:
                field.errors = [*field.errors, message]
                valid = False
        return valid

    def featured_codes(self) -> list[str]:
        return [code for code in re.split(r"[\s,،]+", self.featured.data or "") if code]

    def campaign_data(self) -> dict:
        data = {name: getattr(self, name).data for name in (
            "title_ar", "title_en", "slug", "hashtag", "kind", "start_date", "end_date", "goal_amount",
            "goal_families", "scope", "scope_region", "scope_track", "featured_rule", "illustration", "story_ar",
            "story_en")}
        for name in ("title_ar", "title_en", "slug", "hashtag", "story_ar", "story_en"):
            data[name] = (data[name] or "").strip()
        data["scope_region"] = data["scope_region"] or None
        data["scope_track"] = data["scope_track"] or None
        data["scope_charity_id"] = int(self.scope_charity_id.data) if self.scope_charity_id.data else None
        return data


class TeamForm(FlaskForm):
    name_ar = StringField(_l("Team name in Arabic"), validators=[DataRequired(_l("Name the team.")),
                                                                 Length(max=120)])
    name_en = StringField(_l("Team name in English"), validators=[Optional(), Length(max=120)])
    kind = SelectField(_l("Kind of team"), choices=_choices(TEAM_KINDS, TEAM_KIND_LABELS), default="club")
    cases = StringField(_l("Adopted case codes, separated by commas"), validators=[Optional(), Length(max=600)])

    def case_codes(self) -> list[str]:
        return [code for code in re.split(r"[\s,،]+", self.cases.data or "") if code]


class TransitionForm(FlaskForm):
    """The buttons of a campaign's state machine (CSRF only)."""


def targets_form(campaign_targets: dict, *, prefill: bool) -> FlaskForm:
    """The regions' campaign's targets: SAR and homes for each of the 13 regions (two fields a region)."""
    from jood.regions import REGIONS

    class TargetsForm(FlaskForm):
        pass

    for code in REGIONS:
        setattr(TargetsForm, f"amount_{code}", CampaignSarField(_l("SAR"), validators=[Optional()]))
        setattr(TargetsForm, f"families_{code}", IntegerField(_l("Homes"), validators=[
            Optional(), NumberRange(min=0, max=1_000_000, message=_l("Give a number of homes from 0."))]))
    form = TargetsForm()
    if prefill:
        for code, row in campaign_targets.items():
            getattr(form, f"amount_{code}").data = row.target_amount
            getattr(form, f"families_{code}").data = row.target_families
    return form
