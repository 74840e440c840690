"""The attract loop: the title, an invitation, and the story's pictures in turn.

Each background picture is composed once with the title text on it; a frame
is then one or two blits (two while cross-fading) and a pulsing ring around
the Next button's disc, which is cheap enough for a Raspberry Pi.
"""

from __future__ import annotations

from collections.abc import Iterator

import pygame

from kiosk.core.flow import Page
from kiosk.layout import Box, attract_layout
from kiosk.render import palette
from kiosk.scenes.common import draw_footer, faded, hints_for
from kiosk.scenes.context import SceneContext

#: Pictures the attract loop cycles through.
BACKGROUNDS: tuple[str, ...] = ("docking", "handshake", "earth", "launch", "eclipse")
HOLD_SECONDS = 9.0
FADE_SECONDS = 1.6
PULSE_SECONDS = 1.8


def _smoothstep(t: float) -> float:
    t = min(1.0, max(0.0, t))
    return t * t * (3 - 2 * t)


def background_at(t: float, count: int = len(BACKGROUNDS)) -> tuple[int, int, float]:
    """Which backgrounds show at loop time ``t``: (current, next, blend 0–1)."""
    period = HOLD_SECONDS + FADE_SECONDS
    cycle = int(t // period)
    within = t - cycle * period
    blend = _smoothstep((within - HOLD_SECONDS) / FADE_SECONDS) if within > HOLD_SECONDS else 0.0
    return cycle % count, (cycle + 1) % count, blend


class AttractScene:
    """Draws the attract loop; animated."""

    animated = True

    def __init__(self, ctx: SceneContext, *, quick_start: bool = False) -> None:
        self.ctx = ctx
        self._composites: dict[tuple[str, int], pygame.Surface] = {}
        #: Until the first picture is composed (by :meth:`warm_up`), show the title on
        #: the plain backdrop: it is ready in a fraction of the time, so the screen
        #: lights up at once after a start and the pictures fade in a moment later.
        self.quick_start = quick_start
        self._plain: pygame.Surface | None = None

    def warm_up(self, language: str) -> Iterator[None]:
        """Compose every background of the loop ahead of time, one per step."""
        for index in range(len(BACKGROUNDS)):
            self._composite(language, index)
            yield

    def draw(self, surface: pygame.Surface, page: Page, t: float) -> None:
        """Draw the loop at ``t`` seconds after it started."""
        current, following, blend = background_at(t)
        if self.quick_start:
            if (page.language, current) not in self._composites:
                if self._plain is None:
                    self._plain = self._compose(page.language, None)
                surface.blit(self._plain, (0, 0))
                self._pulse(surface, t)
                return
            self.quick_start = False
            self._plain = None
        surface.blit(self._composite(page.language, current), (0, 0))
        if blend > 0:
            layer = self._composite(page.language, following)
            layer.set_alpha(round(255 * blend))
            surface.blit(layer, (0, 0))
            layer.set_alpha(None)
        self._pulse(surface, t)

    def _pulse(self, surface: pygame.Surface, t: float) -> None:
        g = self.ctx.grid
        layout = attract_layout(g.width, g.height)
        disc = self._disc_box(layout.prompt)
        phase = (t % PULSE_SECONDS) / PULSE_SECONDS
        radius = disc.w // 2 + round(g.px(26) * phase)
        alpha = round(200 * (1 - phase))
        ring = pygame.Surface((radius * 2 + 4, radius * 2 + 4), pygame.SRCALPHA)
        pygame.draw.circle(
            ring, (*palette.BUTTON_NEXT, alpha), (radius + 2, radius + 2), radius, max(2, g.px(5))
        )
        cx, cy = disc.center
        surface.blit(ring, (cx - radius - 2, cy - radius - 2))

    def _disc_box(self, row: Box) -> Box:
        d = self.ctx.grid.px(44)
        return Box(row.x, row.y + (row.h - d) // 2, d, d)

    def _composite(self, language: str, index: int) -> pygame.Surface:
        key = (language, index)
        surface = self._composites.get(key)
        if surface is None:
            # One language's pictures at a time: each is a whole screen of memory.
            for other in [k for k in self._composites if k[0] != language]:
                del self._composites[other]
            surface = self._compose(language, BACKGROUNDS[index])
            self._composites[key] = surface
        return surface

    def _compose(self, language: str, background: str | None) -> pygame.Surface:
        """The picture ``background`` with the title and prompts (None: no picture)."""
        ctx = self.ctx
        g = ctx.grid
        lang = ctx.language(language)
        layout = attract_layout(g.width, g.height)
        surface = pygame.Surface(ctx.size)
        surface.blit(ctx.backdrop(), (0, 0))
        if background is not None:
            self._picture(surface, background, layout.footer.bar.y)
        footer_shade = pygame.Surface((g.width, g.height - layout.footer.bar.y), pygame.SRCALPHA)
        footer_shade.fill((*palette.SPACE_TOP, 255))
        surface.blit(footer_shade, (0, layout.footer.bar.y))

        paint = ctx.painter(surface)
        paint.block(
            lang.ui["title"],
            layout.title,
            palette.INK,
            g.px(132),
            g.px(72),
            bold=True,
            leading=1.02,
            valign="bottom",
            max_lines=2,
            balance=True,
        )
        paint.block(
            lang.ui["subtitle"],
            layout.subtitle,
            palette.ACCENT,
            g.px(50),
            g.px(30),
            bold=True,
            max_lines=1,
        )
        self._button_row(
            surface,
            layout.prompt,
            palette.BUTTON_NEXT,
            lang.ui["attract_prompt"],
            g.px(46),
            bold=True,
        )
        self._button_row(
            surface,
            layout.dock_prompt,
            palette.BUTTON_DOCK,
            lang.ui["attract_dock_prompt"],
            g.px(38),
            bold=False,
        )
        hints = hints_for(lang, back=False, next_=True, dock=True)
        draw_footer(ctx, surface, layout.footer, lang, hints)
        return surface

    def _picture(self, surface: pygame.Surface, background: str, bottom: int) -> None:
        """Stars, and the picture on the right fading out towards the title."""
        ctx = self.ctx
        g = ctx.grid
        surface.blit(ctx.art("starfield", ctx.size), (0, 0))
        dim = pygame.Surface(ctx.size, pygame.SRCALPHA)
        dim.fill((*palette.SPACE_TOP, 150))
        surface.blit(dim, (0, 0))
        art_x = round(g.width * 0.40)
        picture = ctx.art(background, (g.width - art_x, bottom))
        surface.blit(faded(picture, round(g.width * 0.2), side="left"), (art_x, 0))
        veil = pygame.Surface((round(g.width * 0.6), g.height), pygame.SRCALPHA)
        for x in range(veil.get_width()):
            fade = 1 - _smoothstep((x / veil.get_width() - 0.55) / 0.45)
            pygame.draw.line(veil, (*palette.SPACE_TOP, round(200 * fade)), (x, 0), (x, g.height))
        surface.blit(veil, (0, 0))

    def _button_row(
        self,
        surface: pygame.Surface,
        row: Box,
        colour: palette.Color,
        text: str,
        size: int,
        *,
        bold: bool,
    ) -> None:
        g = self.ctx.grid
        disc = self._disc_box(Box(row.x, row.y, row.w, min(row.h, g.px(70))))
        r = disc.w // 2
        pygame.draw.circle(surface, palette.mix(colour, (0, 0, 0), 0.45), disc.center, r)
        pygame.draw.circle(surface, colour, disc.center, r, max(2, r // 3))
        gap = g.px(26)
        box = Box(disc.right + gap, row.y, row.w - disc.w - gap, row.h)
        self.ctx.painter(surface).block(
            text, box, palette.INK, size, round(size * 0.7), bold=bold, leading=1.2, max_lines=2
        )
