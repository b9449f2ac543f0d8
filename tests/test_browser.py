"""A real browser (Debian's headless Chromium, driven by Playwright) on the real assistant."""

import pytest

pytestmark = pytest.mark.browser


def test_a_person_types_a_message_and_sees_the_answer(stack, browser, tmp_path):
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="de-DE")
    page.goto(stack + "/")
    page.wait_for_selector(".msg.bot")  # the greeting
    assert page.locator(".quick-reply").count() >= 4  # language buttons
    page.fill("#message", "Ich bin Krankenschwester und wohne in 04109 Leipzig")
    page.click("#send")
    page.wait_for_function("document.querySelectorAll('.msg.bot').length >= 4", timeout=60_000)
    log = page.inner_text("#log")
    assert "Pflegefachfrau" in log
    assert page.locator("#log a[href^='https://']").count() >= 2
    page.screenshot(path=str(tmp_path / "german.png"))
    page.close()


def test_arabic_is_right_to_left(stack, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(stack + "/")
    page.wait_for_selector(".msg.bot")
    page.fill("#message", "أنا ممرضة وأعيش في برلين")
    page.click("#send")
    page.wait_for_function("document.documentElement.lang === 'ar'", timeout=60_000)
    assert page.get_attribute("html", "dir") == "rtl"
    page.close()


def test_a_message_lost_to_a_network_drop_is_sent_again(stack, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(stack + "/")
    page.wait_for_selector(".msg.bot")
    context.set_offline(True)
    page.fill("#message", "Ich bin Zahnärztin und wohne in Berlin")
    page.click("#send")
    page.wait_for_selector(".msg.notice")
    assert page.input_value("#message") == "Ich bin Zahnärztin und wohne in Berlin"  # nothing lost
    context.set_offline(False)
    page.wait_for_selector(".msg.bot >> text=Zahnärztin", timeout=60_000)
    assert page.locator(".msg.user", has_text="Zahnärztin").count() == 1
    context.close()
