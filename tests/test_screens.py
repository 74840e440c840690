"""Every screen at every supported size: text stays in its box, is big enough, and legible."""

from __future__ import annotations

import pygame
import pytest

from kiosk.content import MAX_CHAPTERS
from kiosk.docking.timeline import KEY_FRAMES
from kiosk.layout import SUPPORTED_SIZES, Box, chapter_layout
from kiosk.render.fonts import FontBook, find_fonts
from kiosk.render.illustrations import render_illustration
from kiosk.render.painter import TextRecord
from kiosk.scenes.context import SceneContext
from kiosk.storyboard import shots

MIN_CONTRAST = 4.5


@pytest.fixture(scope="module")
def fonts(pygame_ready) -> FontBook:
    return FontBook(find_fonts([]))


def audit_all(screen_audits, story, size) -> dict[str, list[TextRecord]]:
    """Every English screen at ``size`` (the session's audit: drawn once per size)."""
    result = {}
    for name, shot in screen_audits.shots("en", size).items():
        assert shot.drawn == size
        result[name] = list(shot.records)
    assert list(result) == [shot.name for shot in shots(story, "en")]
    return result


@pytest.mark.parametrize("size", SUPPORTED_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_fits_and_is_legible(story, screen_audits, size):
    screen = Box(0, 0, *size)
    results = audit_all(screen_audits, story, size)
    assert len(results) == story.chapter_count + 2 + len(KEY_FRAMES)  # attract, credits
    problems = []
    for name, records in results.items():
        assert records, f"{name} drew no text"
        for r in records:
            where = f"{name} @ {size[0]}x{size[1]}: {r.text!r}"
            if not r.fits:
                problems.append(f"{where} had to be squeezed below its minimum size")
            if not r.box.contains(r.rect):
                problems.append(f"{where} leaves its box {r.box} (drawn at {r.rect})")
            if not screen.contains(r.rect):
                problems.append(f"{where} leaves the screen")
            if r.contrast < MIN_CONTRAST:
                problems.append(f"{where} has contrast {r.contrast:.2f}:1")
            if r.size < 0.02 * size[1]:
                problems.append(f"{where} is only {r.size}px tall")
    assert problems == []


def test_chapter_text_is_readable_from_two_metres(story, screen_audits):
    """The story body is set at least 30/1080 of the screen height at 1920×1080."""
    results = audit_all(screen_audits, story, (1920, 1080))
    for i, chapter in enumerate(story.language("en").chapters):
        records = results[f"{i + 1:02d}-{chapter.id}"]
        first_words = chapter.body.split()[0]
        body = [r for r in records if r.text.startswith(first_words)]
        assert body and body[0].size >= 30, f"{chapter.id} body set at {body[0].size}px"


def test_the_shared_audit_is_the_audit_drawn_afresh(screen_audits):
    """The session draws each audit once for every test; drawn afresh, alone, with the real
    illustrations, the English screens at 800×480 give the very same records."""
    shared = screen_audits.shots("en", (800, 480))
    fresh = screen_audits.fresh_shots("en", (800, 480))
    assert list(fresh) == list(shared)
    for name, audit in fresh.items():
        assert audit.records == shared[name].records, name
        assert audit.drawn == shared[name].drawn == (800, 480), name


def test_audit_catches_text_that_cannot_fit(story, fonts):
    """The fit check itself can fail: a box too small for the text is reported."""
    audit: list[TextRecord] = []
    ctx = SceneContext(
        size=(800, 480), story=story, fonts=fonts, illustrate=render_illustration, audit=audit
    )
    surface = pygame.Surface((800, 480))
    ctx.painter(surface).block("word " * 200, Box(10, 10, 100, 40), (255, 255, 255), 30, 20)
    assert any(not r.fits for r in audit)


def test_audit_catches_low_contrast(story, fonts):
    audit: list[TextRecord] = []
    ctx = SceneContext(
        size=(800, 480), story=story, fonts=fonts, illustrate=render_illustration, audit=audit
    )
    surface = pygame.Surface((800, 480))
    surface.fill((90, 90, 90))
    ctx.painter(surface).block("grey on grey", Box(10, 10, 400, 60), (120, 120, 120), 30, 20)
    assert audit and audit[0].contrast < MIN_CONTRAST


@pytest.mark.parametrize("size", SUPPORTED_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("count", ["story", "limit"])
def test_layout_boxes_stay_on_screen_and_apart(size, count, story):
    # The story's own chapters, and the most the loader allows: every dot must fit.
    chapters = len(story.language("en").chapters) if count == "story" else MAX_CHAPTERS
    layout = chapter_layout(*size, chapters=chapters)
    screen = Box(0, 0, *size)
    for name in ("illustration", "date", "title", "body", "call_to_action"):
        assert screen.contains(getattr(layout, name)), name
    assert layout.illustration.right < layout.body.x
    assert layout.body.bottom <= layout.footer.bar.y
    dots = layout.footer.dots
    assert dots[-1].right < layout.footer.hints.x
