"""A chapter page: the illustration, the date line, the title and the story text."""

from __future__ import annotations

import pygame

from kiosk.core.flow import Page
from kiosk.layout import Box, chapter_layout
from kiosk.render import palette
from kiosk.scenes.common import draw_footer, draw_pill, faded, hints_for
from kiosk.scenes.context import SceneContext


class ChapterScene:
    """Draws one chapter; static, so the app caches the finished page."""

    animated = False

    def __init__(self, ctx: SceneContext) -> None:
        self.ctx = ctx

    def draw(self, surface: pygame.Surface, page: Page, t: float) -> None:
        """Draw chapter ``page.chapter`` in ``page.language``."""
        ctx = self.ctx
        g = ctx.grid
        lang = ctx.language(page.language)
        chapter = lang.chapters[page.chapter]
        dock_chapter = ctx.story.dock_chapter
        layout = chapter_layout(g.width, g.height, len(lang.chapters))
        surface.blit(ctx.backdrop(), (0, 0))

        art = layout.illustration
        picture = faded(ctx.art(chapter.illustration, (art.w, art.h)), g.px(180))
        surface.blit(picture, (art.x, art.y))

        paint = ctx.painter(surface)
        paint.block(
            chapter.date, layout.date, palette.ACCENT, g.px(36), g.px(26), bold=True, max_lines=1
        )
        title = paint.block(
            chapter.title,
            layout.title,
            palette.INK,
            g.px(84),
            g.px(50),
            bold=True,
            leading=1.08,
            max_lines=2,
            balance=True,
        )
        body = layout.body
        body_top = max(title.bottom, layout.title.y) + g.px(30)
        body_bottom = layout.call_to_action.y - g.px(24) if chapter.dock else body.bottom
        paint.block(
            chapter.body,
            Box(body.x, body_top, body.w, body_bottom - body_top),
            palette.INK,
            g.px(46),
            g.px(32),
            leading=1.38,
        )
        if chapter.dock:
            self._call_to_action(surface, layout.call_to_action, lang.ui["dock_hint"])
        hints = hints_for(lang, back=True, next_=True, dock=chapter.dock)
        draw_footer(
            ctx,
            surface,
            layout.footer,
            lang,
            hints,
            chapter=page.chapter,
            dock_chapter=dock_chapter,
        )

    def _call_to_action(self, surface: pygame.Surface, box: Box, text: str) -> None:
        g = self.ctx.grid
        draw_pill(
            surface,
            box,
            palette.BUTTON_DOCK,
            palette.mix(palette.SPACE_BOTTOM, palette.BUTTON_DOCK, 0.12),
        )
        r = box.h // 2 - g.px(14)
        cx, cy = box.x + box.h // 2, box.y + box.h // 2
        pygame.draw.circle(surface, palette.BUTTON_DOCK, (cx, cy), r)
        inner = Box(box.x + box.h, box.y, box.w - box.h - g.px(24), box.h)
        self.ctx.painter(surface).block(
            text, inner, palette.INK, g.px(36), g.px(24), bold=True, valign="middle", max_lines=1
        )
