"""Gateway tests with aiohttp's test client. Rasa is not running here: relaying is tested end to end."""

from html import escape

import pytest

from bot.gateway.app import MAX_MESSAGE_CHARS, create_app
from bot.places.gazetteer import load_gazetteer
from bot.routing import route
from bot.texts import text


@pytest.fixture
async def client(aiohttp_client, unused_tcp_port_factory):
    # Nothing listens on this port: a relayed message finds Rasa unreachable.
    return await aiohttp_client(create_app(f"http://127.0.0.1:{unused_tcp_port_factory()}"))


async def post(client, body, **kwargs):
    response = await client.post("/api/messages", data=body, **kwargs)
    return response.status, await response.json()


async def test_chat_page_and_texts(client):
    page = await client.get("/")
    assert page.status == 200
    assert "text/html" in page.headers["Content-Type"]
    texts = await (await client.get("/api/texts?language=ar")).json()
    assert texts["dir"] == "rtl"
    assert texts["language"] == "ar"
    assert {lang["code"] for lang in texts["languages"]} >= {"de", "en", "uk", "ar"}
    unknown = await (await client.get("/api/texts?language=zz")).json()
    assert unknown["language"] == "de"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"\x00\xff\xfe binary \x89PNG", 400),
        (b"[1, 2, 3]", 400),
        (b'{"conversation_id": "../../etc", "text": "hi"}', 400),
        (b'{"conversation_id": "abcdefgh12", "text": 42}', 422),
        (b'{"conversation_id": "abcdefgh12", "text": "   "}', 422),
        (b'{"conversation_id": "abcdefgh12"}', 422),
    ],
)
async def test_bad_input_gets_a_clear_4xx(client, body, status):
    got, answer = await post(client, body, headers={"Content-Type": "application/json"})
    assert got == status
    assert isinstance(answer["error"], str) and answer["error"]


async def test_too_long_message_is_refused_in_the_page_language(client):
    body = {"conversation_id": "abcdefgh12", "text": "x" * 10_000, "language": "en"}
    response = await client.post("/api/messages", json=body)
    assert response.status == 413
    assert str(MAX_MESSAGE_CHARS) in (await response.json())["error"]


async def test_oversized_body_is_refused(client):
    response = await client.post("/api/messages", data=b"x" * 200_000)
    assert response.status == 413
    assert "error" in await response.json()


async def test_unreachable_rasa_gives_503_and_the_service_keeps_running(client):
    body = {"conversation_id": "abcdefgh12", "text": "👍", "language": "uk"}
    response = await client.post("/api/messages", json=body)
    assert response.status == 503
    assert (await response.json())["error"]
    health = await client.get("/healthz")
    assert health.status == 503
    assert (await health.json()) == {"gateway": "ok", "rasa": "unreachable"}
    assert (await client.get("/")).status == 200


async def test_printable_roadmap_page_in_the_persons_language(client):
    page = await client.get("/roadmap?profession=nurse&place=04109&language=uk")
    assert page.status == 200
    html = await page.text()
    assert '<html lang="uk" dir="ltr">' in html
    assert "Pflegefachfrau" in html and "<ol>" in html
    assert "<script" not in html and "http-equiv" not in html  # self-contained, works offline
    arabic = await (await client.get("/roadmap?profession=doctor&place=Berlin&language=ar")).text()
    assert 'dir="rtl"' in arabic


async def test_roadmap_page_names_the_office_and_says_what_is_not_checked(client):
    html = await (
        await client.get("/roadmap?profession=engineer_civil&place=Saarbr%C3%BCcken&language=en")
    ).text()
    office = route("engineer_civil", load_gazetteer().resolve("Saarbrücken")).counselling
    assert not office.verified
    assert f"<strong>{escape(office.label)}</strong>" in html
    assert escape(text("en", "counselling_unverified")) in html
    html = await (await client.get("/roadmap?profession=nurse&place=04109&language=en")).text()
    assert "<strong>Informations- und Beratungsstelle Anerkennung Sachsen (IBAS) – Leipzig</strong>" in html
    assert escape(text("en", "counselling_unverified")) not in html


async def test_roadmap_page_for_someone_abroad_who_names_the_place_of_work(client):
    html = await (
        await client.get("/roadmap?profession=nurse&place=M%C3%BCnchen&abroad=1&language=en")
    ).text()
    assert escape(text("en", "step_zsba")) in html
    assert "Bayerisches Landesamt für Pflege" in html
    assert escape(text("en", "step_funding")) not in html


async def test_roadmap_page_escapes_and_refuses_unknown_professions(client):
    page = await client.get("/roadmap?profession=%3Cscript%3E&language=en")
    assert page.status == 404
    assert "<script>" not in await page.text()
