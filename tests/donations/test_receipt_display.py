"""What the receipt, the public verification page and the give form tell a donor."""

from sqlalchemy import select

from jood.donations import services
from jood.extensions import db
from tests.conftest import login, post_form, sandbox_pay, start_case_gift


def test_money_that_went_to_the_pool_is_named_as_the_pool_on_the_receipt_and_the_verify_page(client, make_case):
    case = make_case(target_amount=100_00)
    first = start_case_gift(client, case, "80")
    second = start_case_gift(client, case, "60")
    sandbox_pay(client, first)
    sandbox_pay(client, second)
    db.session.expire_all()
    late = db.session.scalars(select(services.Donation).order_by(services.Donation.id.desc())).first()
    money = '<bdi class="money" dir="rtl">{}\u00a0ر.س</bdi>'
    for page in (client.get(f"/receipts/{late.receipt_token}").get_data(as_text=True),
                 client.get(f"/r/{late.reference}").get_data(as_text=True)):
        assert f"صندوق دعم الإيجار: {money.format(40)}" in page
        assert f"{case.code}</bdi>: {money.format(20)}" in page
        assert f"{case.code}</bdi>: {money.format(60)}" not in page


def test_a_typed_name_is_used_the_anonymous_box_is_not_ticked(client, make_case):
    case = make_case()
    page = client.get(f"/cases/{case.code}/donate").get_data(as_text=True)
    assert 'id="anonymous" name="anonymous" type="checkbox" value="y">' in page  # not checked
    sandbox_pay(client, start_case_gift(client, case, "50", display_name="أبو خالد", anonymous=""))
    donation = db.session.scalars(select(services.Donation)).one()
    assert donation.public_name == "أبو خالد"


def test_a_signed_out_donor_choosing_monthly_gets_a_link_to_sign_in_and_come_back(client):
    response = post_form(client, "/give", {"pool": "rent", "preset": "100", "monthly": "y"}, token_page="/give")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'data-testid="monthly-sign-in"' in page and "/login?next=" in page and "pool%3Drent" in page


def test_a_monthly_gift_says_monthly_on_the_checkout_and_the_receipt(client, make_user):
    user = make_user()
    login(client, user)
    response = post_form(client, "/give", {"pool": "rent", "preset": "100", "monthly": "y"}, token_page="/give")
    assert response.status_code == 303
    checkout = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-testid="checkout-monthly"' in checkout
    sandbox_pay(client, response)
    donation = db.session.scalars(select(services.Donation)).one()
    assert 'data-testid="receipt-monthly"' in client.get(f"/receipts/{donation.receipt_token}").get_data(as_text=True)


def test_the_gift_card_is_also_an_image_to_share(client, make_case):
    import io

    from PIL import Image

    from tests.browser.showcase import pay

    donation = pay(make_case(), 300_00, name="محسن", gift=services.Gift(recipient="سارة", message="رمضان كريم"))
    response = client.get(f"/gifts/{donation.gift_token}.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert Image.open(io.BytesIO(response.data)).size == (1080, 1080)
    page = client.get(f"/gifts/{donation.gift_token}").get_data(as_text=True)
    assert 'data-testid="gift-png"' in page and 'data-testid="gift-share-whatsapp"' in page
    assert client.get("/gifts/not-a-token.png").status_code == 404


def test_the_receipt_names_the_family_by_its_public_title_under_the_code(client, make_case, donate):
    case = make_case(public_title="أسرة من سبعة أفراد في صبيا", public_title_en="A family of seven in Sabya")
    donation = donate(case, "100")
    page = client.get(f"/receipts/{donation.receipt_token}").get_data(as_text=True)
    assert 'data-testid="receipt-case-title">أسرة من سبعة أفراد في صبيا</span>' in page
    english = client.get(f"/receipts/{donation.receipt_token}", headers={"Accept-Language": "en"})
    assert 'data-testid="receipt-case-title">A family of seven in Sabya</span>' in english.get_data(as_text=True)
