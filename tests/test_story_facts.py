"""The story's corrected claims (issue 18), in every language, checked against the facts file.

Each case names a chapter (or a caption) and what its text must and must not say, so that
the claims the issue found too strong cannot come back in one language while staying fixed
in another. The facts and their sources are in ../shared/facts/astp.md.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from kiosk.content import Story
from kiosk.render.fonts import FontBook, find_fonts
from kiosk.render.illustrations import render_illustration
from kiosk.render.painter import TextRecord
from kiosk.renderer import Renderer
from kiosk.scenes.context import SceneContext
from kiosk.storyboard import render_shot, shots

#: (chapter id, phrases the body must contain, phrases it must not contain), per language.
CLAIMS: dict[str, list[tuple[str, list[str], list[str]]]] = {
    "en": [
        # Shepard's flight was one 15-minute hop, not a quarter of an hour *in space*.
        ("moon-goal", ["15-minute", "Shepard"], ["quarter of an hour"]),
        ("spacewalk", ["inflatable airlock", "tether"], ["opened the hatch"]),
        ("korolev", ["Korolev"], ["alike"]),
        # The treaty banned nuclear weapons in orbit and opened space; both signed it.
        ("together", ["nuclear", "both countries signed", "Outer Space Treaty"], ["peace"]),
        ("moon-landing", ["work together"], ["begin to talk"]),
        ("launch", ["Baikonur in Soviet Kazakhstan"], []),
        ("docking", ["16:09", "minutes later", "two languages"], []),
        # Helsinki was a separate step of the same détente, not the mission's doing.
        ("handshake", ["separate step", "Helsinki", "speaking Russian"], ["carrying that spirit"]),
        ("eclipse", ["corona", "scattered"], ["Honestly", "docked once more"]),
        # The new chapters: two atmospheres and an airlock; the way home and its dates.
        (
            "docking-module",
            ["pure oxygen", "a third of an atmosphere", "two thirds", "airlock"],
            [],
        ),
        ("way-home", ["19 July", "Soyuz’s ring", "21 July", "24 July", "Honolulu", "1981"], []),
        # Only the ISS's androgynous ports descend from Apollo–Soyuz.
        ("legacy", ["androgynous docking ports", "many nations", "lived together"], ["systems"]),
    ],
    "ru": [
        ("moon-goal", ["15-минутному", "Шепарда"], ["четверти часа"]),
        ("spacewalk", ["надувной шлюз", "фалом"], []),
        ("korolev", ["Королёв"], ["похож"]),
        ("together", ["ядерное оружие", "обе страны подписали", "Договор о космосе"], ["мирным"]),
        ("moon-landing", ["спустился по лестнице", "на мерцающих экранах", "работать вместе"], []),
        ("launch", ["Байконура в Казахской ССР"], ["в Казахстане"]),
        ("docking", ["16:09", "через несколько минут", "два языка"], []),
        ("handshake", ["пожали друг другу руки", "свой шаг", "Хельсинк", "по-русски"], ["дух"]),
        ("eclipse", ["корону", "рассеивал"], ["второй стыковки"]),
        ("docking-module", ["чистым кислородом", "трети атмосферы", "двух третей", "шлюз"], []),
        ("way-home", ["19 июля", "агрегат «Союза»", "21 июля", "24 июля", "Гавай", "1981"], []),
        ("legacy", ["андрогинные стыковочные узлы", "многих стран", "утрата биоразнообразия"], []),
    ],
    "nb": [
        ("moon-goal", ["15 minutter", "Shepard", "romferd"], ["kvarter"]),
        ("spacewalk", ["oppblåsbar luftsluse", "line"], []),
        ("korolev", ["Koroljov"], ["lignet"]),
        ("together", ["atomvåpen", "begge land", "romtraktaten"], ["fredelig"]),
        ("moon-landing", ["samarbeide"], ["snakke sammen"]),
        ("opening", ["oppfinnsomme løsninger", "romferd"], []),
        ("launch", ["Bajkonur i sovjetrepublikken Kasakhstan"], []),
        ("docking", ["16.09", "noen minutter senere", "Begge skipene", "to språk"], []),
        ("handshake", ["eget steg", "Helsingfors", "snakket russisk", "utførte eksperimenter"], []),
        ("eclipse", ["koronaen", "Dessverre"], ["Ærlig talt", "dokket én gang til"]),
        ("docking-module", ["ren oksygen", "en tredjedel", "to tredjedeler", "luftsluse"], []),
        ("way-home", ["19. juli", "Sojus’ ring", "21. juli", "24. juli", "Honolulu", "1981"], []),
        ("legacy", ["androgyne dokkingportene", "mange land", "naturmangfold"], []),
    ],
}

#: What the small captions of the docking animation must and must not say.
CAPTIONS: dict[str, list[tuple[str, list[str], list[str]]]] = {
    # "Docked" names hard dock (about 16:12 UTC), not first contact at 16:09.
    "en": [("docked", ["16:12"], ["16:09"])],
    "ru": [
        ("docked", ["16:12"], ["16:09"]),
        ("handshake", ["пожимают друг другу руки"], []),
        ("grip_hint", ["руку скульптуре"], []),
    ],
    "nb": [("docked", ["16.12"], ["16.09"]), ("rate", ["Tilnærmingsfart"], [])],
}

ESSAY = {
    "en": ["Henrik Syse", "Jenny Helene Syse", "PRIO", "2 September 2025"],
    "ru": ["Henrik Syse", "Jenny Helene Syse", "PRIO", "2 сентября 2025"],
    "nb": [
        "Henrik Syse",
        "Jenny Helene Syse",
        "PRIO",
        "2. september 2025",
        "Vårt Land 17. juli 2025",
    ],
}

#: Most lines of a chapter's body at 1920×1080: what a standing visitor reads.
MAX_BODY_LINES = 8


def chapter(story: Story, code: str, chapter_id: str) -> str:
    """The body of one chapter, its lines joined and its no-break spaces plain."""
    found = [c for c in story.language(code).chapters if c.id == chapter_id]
    assert found, f"{code}: no chapter {chapter_id!r}"
    return " ".join(found[0].body.replace("\u00a0", " ").split())


def check(text: str, present: list[str], absent: list[str]) -> list[str]:
    """What is wrong with ``text``: phrases missing and phrases that should be gone."""
    missing = [f"missing {p!r}" for p in present if p not in text]
    return missing + [f"still says {a!r}" for a in absent if a in text]


@pytest.mark.parametrize("code", sorted(CLAIMS))
def test_chapters_make_the_corrected_claims(story, code):
    problems = []
    for chapter_id, present, absent in CLAIMS[code]:
        text = chapter(story, code, chapter_id)
        problems += [f"{code}:{chapter_id}: {p}" for p in check(text, present, absent)]
    assert problems == []


@pytest.mark.parametrize("code", sorted(CAPTIONS))
def test_docking_captions(story, code):
    docking = story.language(code).docking
    problems = []
    for key, present, absent in CAPTIONS[code]:
        text = docking[key].replace("\u00a0", " ")
        problems += [f"{code}:docking.{key}: {p}" for p in check(text, present, absent)]
    assert problems == []


def test_no_quarter_of_an_hour_in_space_in_any_language(story):
    """The old claim, in each language's words, is nowhere in the visible story."""
    old = {"en": "quarter of an hour", "ru": "четверти часа", "nb": "kvarters"}
    for code, phrase in old.items():
        lang = story.language(code)
        assert all(phrase not in c.body for c in lang.chapters), code


@pytest.mark.parametrize("code", sorted(ESSAY))
def test_credits_name_the_authors_in_full(story, code):
    credits = story.language(code).credits
    essay = credits.essay.replace("\u00a0", " ")
    assert [p for p in ESSAY[code] if p not in essay] == []
    assert "H. Syse" not in essay and "J. H. Syse" not in essay
    sources = " ".join(credits.sources)
    assert "ESA" in sources and "UPI" in sources, code


def test_vaart_land_only_in_norwegian(story):
    """The essay's earlier version appeared in a Norwegian paper: named for Norwegian readers."""
    assert [c for c in story.codes if "Vårt Land" in story.language(c).credits.essay] == ["nb"]


def test_ranges_use_one_dash_style_in_every_language(story):
    """A range of years is written 1963–1967 (en dash, no spaces) in all three languages."""
    ranges = []
    for code in story.codes:
        for c in story.language(code).chapters:
            for match in re.finditer(r"\d{4}\s*[-–—]\s*\S+", c.date):
                ranges.append((code, c.id, match.group()))
    assert ranges, "the story has no date ranges to check"
    assert [r for r in ranges if not re.fullmatch(r"\d{4}–\d{4}", r[2])] == []


# -- length for a standing visitor ----------------------------------------------------


def body_lines(records: list[TextRecord]) -> int:
    """Lines of the body: the text block drawn with the most lines on a chapter page."""
    return Counter((r.box, r.size) for r in records).most_common(1)[0][1]


def test_every_body_is_at_most_eight_lines_at_1080p(story, pygame_ready):
    audit: list[TextRecord] = []
    ctx = SceneContext(
        size=(1920, 1080),
        story=story,
        fonts=FontBook(find_fonts([])),
        illustrate=render_illustration,
        audit=audit,
    )
    renderer = Renderer(ctx)
    ids = {c.id for c in story.language("en").chapters}
    too_long = []
    for code in story.codes:
        for shot in shots(story, code):
            if shot.name[3:] not in ids:
                continue
            audit.clear()
            render_shot(renderer, shot)
            if (n := body_lines(audit)) > MAX_BODY_LINES:
                too_long.append(f"{code}:{shot.name}: {n} lines")
    assert too_long == []
