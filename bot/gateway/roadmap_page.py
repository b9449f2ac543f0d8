"""The printable roadmap page: one self-contained HTML page (no scripts, no external files) per person."""

from __future__ import annotations

from html import escape
from typing import List

from aiohttp import web

from bot.knowledge.loader import knowledge
from bot.places.gazetteer import load_gazetteer
from bot.roadmap import RoadmapStep, roadmap_steps
from bot.routing import route
from bot.texts import RTL_LANGUAGES, answer_language, text

STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}
main{max-width:42rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.5rem 0 1rem}
ol{padding-inline-start:1.5rem}li{margin-block-end:1rem}
a{color:#0645ad;word-break:break-all}
.facts{border-inline-start:4px solid #0b6e4f;padding-inline-start:.75rem}
.print{color:#555;font-size:.9rem}
@media print{.print{display:none}a{color:#000}}
"""


def _page(language: str, title: str, body: List[str], status: int = 200) -> web.Response:
    direction = "rtl" if language in RTL_LANGUAGES else "ltr"
    html = (
        f'<!doctype html><html lang="{language}" dir="{direction}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body><main>{''.join(body)}</main></body></html>"
    )
    return web.Response(text=html, content_type="text/html", status=status)


def _step(step: RoadmapStep, language: str) -> str:
    """One step as HTML: its text, the body it names, its link, its caveat (those present)."""
    parts = [escape(text(language, step.key, **step.values))]
    if step.name:
        parts.append(f"<strong>{escape(step.name)}</strong>")
    if step.link:
        parts.append(f'<a href="{escape(step.link)}">{escape(step.link)}</a>')
    if step.caveat:
        parts.append(f"<em>{escape(text(language, step.caveat))}</em>")
    return "<br>".join(parts)


async def roadmap_page(request: web.Request) -> web.Response:
    """GET /roadmap?profession=ID&place=POSTCODE_OR_CITY&abroad=1&language=xx."""
    language = answer_language(request.query.get("language"))
    kb = knowledge()
    profession = kb.professions.get(request.query.get("profession", ""))
    if profession is None:
        message = text(language, "roadmap_missing")
        return _page(language, message, [f"<p>{escape(message)}</p>"], status=404)
    place = load_gazetteer().resolve(request.query.get("place", ""))
    abroad = request.query.get("abroad") == "1"
    result = route(profession.id, place, abroad, language, kb)
    steps = roadmap_steps(result, kb)
    title = text(language, "roadmap_title")
    german = f"{profession.name_de.female} / {profession.name_de.male}"
    facts = [
        text(language, "reference_profession", profession=german),
        text(language, "regulated" if result.regulated else "not_regulated"),
    ]
    items = [f"<li>{_step(step, language)}</li>" for step in steps]
    body = [
        f"<h1>{escape(title)}</h1>",
        '<div class="facts">' + "".join(f"<p>{escape(line)}</p>" for line in facts) + "</div>",
        f"<ol>{''.join(items)}</ol>",
        f'<p class="print">{escape(text(language, "roadmap_print"))}</p>',
    ]
    return _page(language, title, body)
