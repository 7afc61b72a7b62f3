from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, Length, Optional

from jood.donations.services import PRESETS_SAR

POOL_CHOICES = [SelectChoice("rent", _l("Rent support pool")), SelectChoice("ownership", _l("Ownership pool")),
                SelectChoice("general", _l("General pool"))]


class GiveForm(FlaskForm):
    """Giving to a case or a pool. The amount is checked by the service (Arabic-Indic digits, limits)."""

    preset = RadioField(_l("Choose an amount"), choices=[SelectChoice(str(n)) for n in PRESETS_SAR],
                        validators=[Optional()], validate_choice=False)
    amount = StringField(_l("Or another amount (SAR)"), validators=[Optional(), Length(max=30)])
    zakat = BooleanField(_l("This gift is zakat"))
    anonymous = BooleanField(_l("Give anonymously (shown as \"a doer of good\")"))
    display_name = StringField(_l("Name to show"), validators=[Optional(), Length(max=80)])
    email = StringField(_l("E-mail for the receipt (optional)"), validators=[Optional(), Email(), Length(max=254)])
    is_gift = BooleanField(_l("Give it as a gift in someone's name"))
    gift_recipient = StringField(_l("Recipient's name"), validators=[Optional(), Length(max=120)])
    gift_contact = StringField(_l("Recipient's mobile or e-mail"), validators=[Optional(), Length(max=254)])
    gift_message = TextAreaField(_l("Your message"), validators=[Optional(), Length(max=1000)])
    gift_show_amount = BooleanField(_l("Show the amount on the gift card"))
    # The campaign (slug) and league team (id) the gift is given through; checked by jood.campaigns.services.
    campaign = HiddenField(validators=[Optional(), Length(max=60)])
    team = HiddenField(validators=[Optional(), Length(max=12)])

    def amount_text(self) -> str:
        return (self.amount.data or "").strip() or (self.preset.data or "")


class PoolGiveForm(GiveForm):
    pool = SelectField(_l("Where should your gift go?"), choices=POOL_CHOICES, default="general")
    monthly = BooleanField(_l("Give this every month (you can cancel at any time from your account)"))


class BasketAddForm(FlaskForm):
    case = HiddenField()
    amount = StringField(_l("Amount (SAR)"), validators=[Optional(), Length(max=30)])


class RefundForm(FlaskForm):
    reason = StringField(_l("Reason for the refund"), validators=[Length(min=3, max=300)])
    amount = StringField(_l("Amount to refund (SAR; empty for all of it)"), validators=[Optional(), Length(max=30)])


class OperatingShareForm(FlaskForm):
    share = StringField(_l("Operating share in basis points (100 = 1%)"), validators=[Length(min=1, max=5)])
    reason = StringField(_l("Reason for the change"), validators=[Length(min=3, max=300)])
