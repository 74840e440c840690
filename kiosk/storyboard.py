"""Render every screen to PNG, plus a contact sheet, so curators can proof the exhibit.

Runs headless (SDL's dummy video driver): no window, no display needed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pygame

from kiosk.content import Story
from kiosk.core.flow import Page, Screen
from kiosk.docking.timeline import KEY_FRAMES
from kiosk.render import palette
from kiosk.render.fonts import FontBook
from kiosk.render.painter import TextRecord
from kiosk.renderer import Renderer
from kiosk.scenes.context import IllustrationRenderer, SceneContext


@dataclass(frozen=True, slots=True)
class Shot:
    """One storyboard picture: a page at a moment, and its file name."""

    name: str
    page: Page
    t: float


def shots(story: Story, language: str) -> list[Shot]:
    """Every screen of the exhibit in visiting order, with key docking frames."""
    result = [Shot("00-attract", Page(Screen.ATTRACT, 0, language), 0.0)]
    for i, chapter in enumerate(story.language(language).chapters):
        result.append(Shot(f"{i + 1:02d}-{chapter.id}", Page(Screen.CHAPTER, i, language), 0.0))
    n = len(result)
    for j, (label, t) in enumerate(KEY_FRAMES):
        result.append(Shot(f"{n + j:02d}-docking-{label}", Page(Screen.DOCKING, 0, language), t))
    n += len(KEY_FRAMES)
    result.append(Shot(f"{n:02d}-credits", Page(Screen.CREDITS, 0, language), 0.0))
    return result


@dataclass(frozen=True, slots=True)
class ScreenAudit:
    """Every line of text one shot drew, in one language at one size."""

    language: str
    size: tuple[int, int]
    shot: str
    records: tuple[TextRecord, ...]
    #: The size of the picture the shot drew (the screen's, unless a scene is wrong).
    drawn: tuple[int, int] = (0, 0)


def audit_screens(
    story: Story,
    sizes: Iterable[tuple[int, int]],
    languages: Iterable[str],
    fonts: FontBook,
    illustrate: IllustrationRenderer,
) -> Iterator[ScreenAudit]:
    """Draw every shot in every language at every size, without saving, and audit its text.

    The illustrations are drawn once per size and shared by all languages.
    """
    languages = list(languages)
    for size in sizes:
        audit: list[TextRecord] = []
        ctx = SceneContext(size=size, story=story, fonts=fonts, illustrate=illustrate, audit=audit)
        renderer = Renderer(ctx)
        for language in languages:
            for shot in shots(story, language):
                audit.clear()
                picture = render_shot(renderer, shot)
                yield ScreenAudit(language, size, shot.name, tuple(audit), picture.get_size())


def render_shot(renderer: Renderer, shot: Shot) -> pygame.Surface:
    """Draw one shot onto a fresh surface."""
    surface = pygame.Surface(renderer.ctx.size)
    renderer.scenes[shot.page.screen].draw(surface, shot.page, shot.t)
    return surface


def contact_sheet(
    pictures: list[tuple[str, pygame.Surface]], fonts: FontBook, thumb_width: int = 480
) -> pygame.Surface:
    """All pictures as labelled thumbnails on one sheet."""
    if not pictures:
        raise ValueError("no pictures for the contact sheet")
    w, h = pictures[0][1].get_size()
    tw = thumb_width
    th = round(h * tw / w)
    cols = min(4, len(pictures))
    rows = math.ceil(len(pictures) / cols)
    pad, label_h = 24, 34
    sheet = pygame.Surface((cols * (tw + pad) + pad, rows * (th + label_h + pad) + pad))
    sheet.fill(palette.SPACE_TOP)
    font = fonts.get(20)
    for i, (label, picture) in enumerate(pictures):
        x = pad + (i % cols) * (tw + pad)
        y = pad + (i // cols) * (th + label_h + pad)
        sheet.blit(pygame.transform.smoothscale(picture, (tw, th)), (x, y))
        pygame.draw.rect(
            sheet,
            palette.mix(palette.SPACE_BOTTOM, palette.INK_MUTED, 0.4),
            pygame.Rect(x - 1, y - 1, tw + 2, th + 2),
            1,
        )
        sheet.blit(font.render(label, True, palette.INK_MUTED), (x, y + th + 6))
    return sheet


def render_storyboard(
    out: Path,
    story: Story,
    sizes: Iterable[tuple[int, int]],
    languages: Iterable[str],
    fonts: FontBook,
    illustrate: IllustrationRenderer,
    audit: list[TextRecord] | None = None,
) -> list[Path]:
    """Write every shot for each size and language, and a contact sheet for each.

    With one size and one language the files go straight into ``out``;
    otherwise into ``out/<lang>/<W>x<H>/``.
    """
    sizes = list(sizes)
    languages = list(languages)
    nested = len(sizes) > 1 or len(languages) > 1
    written: list[Path] = []
    for language in languages:
        for size in sizes:
            folder = out / language / f"{size[0]}x{size[1]}" if nested else out
            folder.mkdir(parents=True, exist_ok=True)
            ctx = SceneContext(
                size=size, story=story, fonts=fonts, illustrate=illustrate, audit=audit
            )
            renderer = Renderer(ctx)
            pictures = []
            for shot in shots(story, language):
                picture = render_shot(renderer, shot)
                path = folder / f"{shot.name}.png"
                pygame.image.save(picture, str(path))
                written.append(path)
                pictures.append((shot.name, picture))
            sheet_path = folder / "contact-sheet.png"
            pygame.image.save(contact_sheet(pictures, fonts), str(sheet_path))
            written.append(sheet_path)
    return written
