"""The rendered order of mixed Arabic, codes and amounts, read from Chromium's layout: a line such as
"الحالة JE-1448-00014: 100 ر.س" must read right to left as label, code, amount, with "ر.س" beside its number,
on the checkout, the receipt and the basket, in Arabic and English; a negative amount keeps its minus."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.showcase import build

pytestmark = pytest.mark.browser

# Boxes of a line's parts: the first words (the label), the code's <bdi>, the amount's number and its currency.
LINE_JS = """(el) => {
  const box = (node, start, end) => {
    const range = document.createRange();
    if (start === undefined) { range.selectNodeContents(node); } else { range.setStart(node, start);
      range.setEnd(node, end); }
    const r = range.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top};
  };
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let label = null;
  while (walker.nextNode()) { if (walker.currentNode.textContent.trim()) { label = walker.currentNode; break; } }
  const money = el.querySelector('bdi.money');
  const text = money.firstChild, value = text.textContent;
  const digits = value.search(/[0-9]/), last = value.search(/[0-9](?!.*[0-9])/);
  const currency = value.indexOf('ر.س') >= 0 ? value.indexOf('ر.س') : value.indexOf('SAR');
  const start = label.textContent.search(/\\S/);
  return {
    label: box(label, start, start + 1), code: el.querySelector('bdi.ref') ? box(el.querySelector('bdi.ref')) : null,
    number: box(text, digits, last + 1), currency: box(text, currency, currency + 3), money: box(money),
    sign: value.indexOf('-') >= 0 ? box(text, value.indexOf('-'), value.indexOf('-') + 1) : null,
  };
}"""


def parts(locator):
    return locator.evaluate(LINE_JS)


def assert_arabic_order(line, *, code=True):
    """Right to left: the label's first word, then the code, then the amount, whose currency is left of its number."""
    if code:
        assert line["label"]["left"] >= line["code"]["right"] - 1, line
        assert line["code"]["left"] >= line["money"]["right"] - 1, line
    else:
        assert line["label"]["left"] >= line["money"]["right"] - 1, line
    assert line["currency"]["right"] <= line["number"]["left"] + 1, line


def assert_english_order(line, *, code=True):
    if code:
        assert line["label"]["right"] <= line["code"]["left"] + 1, line
        assert line["code"]["right"] <= line["money"]["left"] + 1, line
    else:
        assert line["label"]["right"] <= line["money"]["left"] + 1, line
    assert line["currency"]["right"] <= line["number"]["left"] + 1, line


@pytest.fixture
def show(make_charity, make_case):
    return build(make_charity, make_case)


def _context(browser, live_server, language):
    return browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900},
                               locale="ar-SA" if language == "ar" else "en-US")


@pytest.mark.parametrize("language", ["ar", "en"])
def test_checkout_receipt_and_basket_lines_read_in_order(browser, live_server, show, language):
    context = _context(browser, live_server, language)
    page = context.new_page()
    check = assert_arabic_order if language == "ar" else assert_english_order
    try:
        case = show.cases[0]
        # The basket: a line per case, and the pay button with its total.
        page.goto(f"/cases/{case.code}/donate?preset=100")
        page.get_by_test_id("basket-add").click()
        page.wait_for_url("**/basket")
        check(parts(page.get_by_test_id("basket-line").first.locator(".basket__what")))
        check(parts(page.get_by_test_id("basket-pay")), code=False)
        screenshot(page, f"direction-basket-{language}")

        # The checkout (sandbox) and the receipt.
        page.get_by_test_id("basket-pay").click()
        page.wait_for_url("**/sandbox/checkout/**")
        check(parts(page.get_by_test_id("checkout-line").first))
        screenshot(page, f"direction-checkout-{language}")
        page.get_by_test_id("sandbox-success").click()
        page.wait_for_url("**/receipts/**")
        check(parts(page.get_by_test_id("receipt-line").first))
        screenshot(page, f"direction-receipt-{language}")
    finally:
        context.close()


def test_a_negative_amount_keeps_its_minus_before_its_digits(browser, live_server, show):
    """On the public ledger the clearing account's posting is negative: '-1,250 ر.س' with the minus just left of
    the first digit, and the currency on the left of the whole number, as Arabic reads it."""
    context = _context(browser, live_server, "ar")
    page = context.new_page()
    try:
        page.goto("/ledger")
        negative = page.locator(".amount--out").first
        line = parts(negative)
        assert line["sign"] is not None
        assert line["sign"]["right"] <= line["number"]["left"] + 1, line  # the minus touches the first digit
        assert line["number"]["left"] - line["sign"]["right"] < 4, line
        assert line["currency"]["right"] <= line["sign"]["left"] + 1, line
    finally:
        context.close()
