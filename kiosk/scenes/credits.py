"""The credits: the essay the exhibit is based on and the sources of its facts."""

from __future__ import annotations

import pygame

from kiosk.core.flow import Page
from kiosk.layout import Box, credits_layout
from kiosk.render import palette
from kiosk.scenes.common import draw_footer, footer_note_box, hints_for
from kiosk.scenes.context import SceneContext


class CreditsScene:
    """Draws the credits; static."""

    animated = False

    def __init__(self, ctx: SceneContext) -> None:
        self.ctx = ctx

    def draw(self, surface: pygame.Surface, page: Page, t: float) -> None:
        """Draw the credits in ``page.language``."""
        ctx = self.ctx
        g = ctx.grid
        lang = ctx.language(page.language)
        credits = lang.credits
        layout = credits_layout(g.width, g.height)
        surface.blit(ctx.art("starfield", ctx.size), (0, 0))
        veil = pygame.Surface(ctx.size, pygame.SRCALPHA)
        veil.fill((*palette.SPACE_TOP, 200))
        surface.blit(veil, (0, 0))

        paint = ctx.painter(surface)
        paint.block(
            credits.title,
            layout.title,
            palette.ACCENT,
            g.px(64),
            g.px(40),
            bold=True,
            align="center",
            max_lines=1,
        )
        paint.block(
            credits.essay,
            layout.essay,
            palette.INK,
            g.px(48),
            g.px(30),
            align="center",
            leading=1.3,
        )
        sources = layout.sources
        rows = len(credits.sources)
        row_h = sources.h // max(1, rows)
        for i, line in enumerate(credits.sources):
            box = Box(sources.x, sources.y + i * row_h, sources.w, row_h)
            paint.block(
                line,
                box,
                palette.INK_MUTED,
                g.px(34),
                g.px(20),
                align="center",
                valign="middle",
                max_lines=1,
            )
        paint.block(
            credits.note,
            layout.note,
            palette.INK_MUTED,
            g.px(32),
            g.px(20),
            align="center",
            valign="middle",
        )
        hints = hints_for(lang, back=True, next_=True, dock=False)
        hints_left = draw_footer(ctx, surface, layout.footer, lang, hints)
        hint_box = footer_note_box(layout.footer, hints_left, g.px(40))
        paint.block(
            lang.ui["credits_hint"],
            hint_box,
            palette.ACCENT,
            g.px(34),
            g.px(20),
            bold=True,
            valign="middle",
            max_lines=1,
        )
