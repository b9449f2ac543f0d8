"""The one-tag website widget on a foreign page, in headless Chromium, in German and in Arabic."""

import pytest

pytestmark = pytest.mark.browser

HOST_PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>IQ Beratung</title></head>
<body><h1>Anerkennungsberatung</h1><p>Willkommen.</p>
<script src="{stack}/static/widget.js" data-label="Fragen zur Anerkennung?" async></script></body></html>"""


def open_widget(browser, stack, width=390):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    # An IQ office's page on another origin (localhost vs 127.0.0.1, another port), with the one script tag.
    # Both are loopback: Chromium's Private Network Access would block a public page from loading it here.
    host = "http://localhost:18765/iq-office.html"
    page.route(
        host, lambda route: route.fulfill(content_type="text/html", body=HOST_PAGE.format(stack=stack))
    )
    page.goto(host)
    page.click("#lotse-open")
    assert page.get_attribute("#lotse-open", "aria-expanded") == "true"
    chat = page.frame_locator("#lotse-panel iframe")
    chat.locator(".msg.bot").first.wait_for(timeout=60_000)
    return context, page, chat


def send(chat, text):
    chat.locator("#message").fill(text)
    chat.locator("#send").click()


def test_german_conversation_in_the_widget(stack, browser):
    context, page, chat = open_widget(browser, stack)
    send(chat, "Ich bin Bäckerin und wohne in 50667 Köln")
    chat.locator(".msg.bot", has_text="Handwerkskammer").first.wait_for(timeout=60_000)
    page.keyboard.press("Tab")  # the widget stays keyboard reachable
    context.close()


def test_arabic_conversation_is_right_to_left_on_screen(stack, browser, tmp_path):
    context, page, chat = open_widget(browser, stack, width=1000)
    send(chat, "أنا ممرضة وأعيش في هامبورغ")
    chat.locator("html[dir='rtl']").wait_for(timeout=60_000)
    chat.locator(".msg.bot", has_text="Pflegefachfrau").first.wait_for(timeout=60_000)
    shot = tmp_path / "arabic.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 0
    frame_box = page.locator("#lotse-panel iframe").bounding_box()
    user = chat.locator(".msg.user").last.bounding_box()
    bot = chat.locator(".msg.bot").last.bounding_box()
    middle = frame_box["x"] + frame_box["width"] / 2
    # Right-to-left: the person's bubbles sit on the left, the bot's on the right.
    assert user["x"] + user["width"] / 2 < middle < bot["x"] + bot["width"] / 2
    context.close()
