"""Giving with the keyboard alone, from the catalog to the receipt, with the focus visible at every stop."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.showcase import build

pytestmark = pytest.mark.browser

FOCUS_JS = """(selector) => {
  const el = document.activeElement;
  if (!el || el === document.body) return {matches: false, visible: false, name: 'body'};
  // A chip's radio is transparent: its ring is drawn on the chip (the label) around it.
  const target = parseFloat(getComputedStyle(el).opacity) === 0 && el.closest('label') ? el.closest('label') : el;
  const style = getComputedStyle(target);
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 && parseFloat(style.opacity) > 0;
  const box = target.getBoundingClientRect();
  return {matches: el.matches(selector), visible: ring && box.width > 0 && box.height > 0,
          name: el.tagName + ' ' + (el.getAttribute('data-testid') || el.textContent.trim().slice(0, 30))};
}"""


def tab_to(page, selector: str, limit: int = 120) -> list[str]:
    """Press Tab until the focus is on `selector`; every element passed on the way must show its focus ring."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_JS, selector)
        seen.append(state["name"])
        assert state["visible"], f"focus not visible on {state['name']}"
        if state["matches"]:
            return seen
    raise AssertionError(f"{selector} never received the focus: {seen}")


@pytest.mark.parametrize("language", ["ar", "en"])
def test_give_from_the_catalog_to_the_receipt_with_the_keyboard(browser, live_server, make_charity, make_case,
                                                                 language):
    build(make_charity, make_case)
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844},
                                  locale="ar-SA" if language == "ar" else "en-US")
    page = context.new_page()
    try:
        page.goto("/cases")
        tab_to(page, "[data-testid='card-give']")
        page.keyboard.press("Enter")
        page.wait_for_url("**/donate")
        tab_to(page, "[data-testid^='preset-']")
        page.keyboard.press("ArrowDown")  # arrows move within the chips, as in any radio group
        checked = page.evaluate("document.activeElement.checked")
        assert checked
        chosen = page.evaluate("document.activeElement.value")
        assert page.get_by_test_id("donate-amount").input_value() == chosen  # donations.js filled the amount
        screenshot(page, f"keyboard-chip-{language}")
        tab_to(page, "[data-testid='donate-submit']")
        page.keyboard.press("Enter")
        page.wait_for_url("**/sandbox/checkout/**")
        tab_to(page, "[data-testid='sandbox-success']")
        screenshot(page, f"keyboard-checkout-{language}")
        page.keyboard.press("Enter")
        page.wait_for_url("**/receipts/**")
        expect(page.get_by_test_id("receipt-status")).to_have_text("مدفوع" if language == "ar" else "Paid")
    finally:
        context.close()
