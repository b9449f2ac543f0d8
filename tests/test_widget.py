"""The one-tag website widget on a foreign page, in headless Chromium, in German and in Arabic."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = pytest.mark.browser

HOST_PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>IQ Beratung</title></head>
<body><h1>Anerkennungsberatung</h1><p>Willkommen.</p>
<script src="{stack}/static/widget.js" data-label="Fragen zur Anerkennung?" async></script></body></html>"""


@pytest.fixture(scope="module")
def host_page(stack):
    """An IQ office's page on another origin (its own server), with the one script tag."""
    body = HOST_PAGE.format(stack=stack).encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_address[1]}/"
    server.shutdown()


def open_widget(browser, host_page, width=390):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(host_page)
    page.click("#lotse-open")
    assert page.get_attribute("#lotse-open", "aria-expanded") == "true"
    chat = page.frame_locator("#lotse-panel iframe")
    chat.locator(".msg.bot").first.wait_for(timeout=60_000)
    return context, page, chat


def send(chat, text):
    chat.locator("#message").fill(text)
    chat.locator("#send").click()


def test_german_conversation_in_the_widget(host_page, browser):
    context, page, chat = open_widget(browser, host_page)
    send(chat, "Ich bin Bäckerin und wohne in 50667 Köln")
    chat.locator(".msg.bot", has_text="Handwerkskammer").first.wait_for(timeout=60_000)
    page.keyboard.press("Tab")  # the widget stays keyboard reachable
    context.close()


def test_arabic_conversation_is_right_to_left_on_screen(host_page, browser, tmp_path):
    context, page, chat = open_widget(browser, host_page, width=1000)
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
