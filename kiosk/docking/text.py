"""The words over the docking animation: title, captions, telemetry, progress, footer.

Text that does not change is set once per language (:meth:`DockingText.prepare`)
and kept as a sprite, so a frame only blits it (captions fade with the sprite's
alpha); the telemetry's figures are rendered once per string.  Each piece comes
back as a :class:`~kiosk.scenes.compositor.Layer` so the compositor repaints it
only when it changes.  When the scene context audits text (tests, ``kiosk render
--check``) everything is painted straight onto the frame instead, so each line
is checked against the pixels really behind it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pygame

from kiosk.content import Language
from kiosk.docking.timeline import SEGMENTS, TOTAL, DockingFrame
from kiosk.layout import Box, DockingLayout, docking_layout
from kiosk.render import palette
from kiosk.render.painter import to_rect
from kiosk.render.text import TextBlock, fit
from kiosk.scenes.common import draw_footer, footer_note_box, hints_for
from kiosk.scenes.compositor import Layer
from kiosk.scenes.context import SceneContext

#: The captions' ground: translucent, so the picture shows through.
PILL = (*palette.SPACE_TOP, 196)
#: The ground of the title and the telemetry: opaque and the night sky's own colour,
#: so they cost a plain copy.
PANEL = (*palette.SPACE_TOP, 255)
#: Caption keys shown at the bottom, and the closing lines shown in the middle.
CAPTION_KEYS = ("approach", "capture", "docked", "grip_hint", "handshake", "eclipse")
CLOSING_KEYS = ("closing_story", "closing_credits")

Sprite = tuple[pygame.Surface, tuple[int, int]]


def telemetry_values(words: Mapping[str, str], frame: DockingFrame) -> tuple[str, str, str]:
    """The panel's three figures: range, closing rate and the 1975 clock.

    ``words`` is a language's ``[docking]`` table.  Once the craft move apart the
    rate row says so in words (``separating``) instead of a negative closing rate.
    """
    approach = frame.approach
    if approach is None:
        return ("", "", "")
    mark = words["decimal"]
    if approach.separating:
        rate = words["separating"]
    else:
        rate = f"{approach.closing_rate:.2f}".replace(".", mark) + f" {words['metres_per_second']}"
    return (f"{approach.range_m:.1f}".replace(".", mark) + f" {words['metres']}", rate, frame.clock)


class DockingText:
    """Sets, caches and places the docking scene's text for one screen size."""

    def __init__(self, ctx: SceneContext) -> None:
        self.ctx = ctx
        g = ctx.grid
        self.layout: DockingLayout = docking_layout(g.width, g.height)
        self._sprites: dict[tuple[str, str], Sprite] = {}
        self._figures: dict[str, pygame.Surface] = {}
        self._value_fonts: dict[tuple[int, int], pygame.font.Font] = {}
        self._footer: tuple[object, str] | None = None

    @property
    def auditing(self) -> bool:
        """Whether text is being checked (then it is painted directly, never cached)."""
        return self.ctx.audit is not None

    @property
    def area(self) -> pygame.Rect:
        """The picture above the footer: where the scene's layers go."""
        g = self.ctx.grid
        return pygame.Rect(0, 0, g.width, self.layout.footer.bar.y)

    def prepare(self, lang: Language) -> None:
        """Set every caption, the title, the telemetry panel and the footer strip of
        ``lang`` ahead of time, so no frame of the animation waits for text."""
        if self.auditing:
            return
        self._sprite(lang, "title")
        for key in (*CAPTION_KEYS, *CLOSING_KEYS):
            self._sprite(lang, key)
        self._panel_sprite(lang)
        # The rate row's word after undocking is fitted to its box: set it now too.
        rows, label_w = self._rows()
        rate = rows[1]
        self._figure(
            lang.docking["separating"], Box(rate.x + label_w, rate.y, rate.w - label_w, rate.h)
        )
        self._footer_strip(lang)

    # -- pills: a line or two of text on a rounded ground -----------------------------

    def _style(self, key: str) -> dict:
        g = self.ctx.grid
        if key == "title":
            return {
                "box": self.layout.title,
                "max_size": g.px(40),
                "min_size": g.px(26),
                "align": "left",
                "max_lines": 1,
                "colour": palette.ACCENT,
                "ground": PANEL,
            }
        if key in CLOSING_KEYS:
            return {
                "box": self.layout.closing,
                "max_size": g.px(60),
                "min_size": g.px(34),
                "align": "center",
                "max_lines": 3,
                "colour": palette.INK,
                "ground": PILL,
            }
        return {
            "box": self.layout.caption,
            "max_size": g.px(46),
            "min_size": g.px(28),
            "align": "center",
            "max_lines": 2,
            "colour": palette.INK,
            "ground": PILL,
        }

    def _fit(self, text: str, style: dict) -> tuple[TextBlock, pygame.Rect]:
        g = self.ctx.grid
        box = style["box"]
        block = fit(
            text,
            self.ctx.fonts,
            to_rect(box),
            style["max_size"],
            style["min_size"],
            bold=True,
            leading=1.2,
            max_lines=style["max_lines"],
        )
        pad_x, pad_y = g.px(30), g.px(12)
        x = box.x + (box.w - block.width) // 2 if style["align"] == "center" else box.x
        y = box.y + (box.h - block.height) // 2
        pill = pygame.Rect(x - pad_x, y - pad_y, block.width + 2 * pad_x, block.height + 2 * pad_y)
        return block, pill.clip(pygame.Rect(0, 0, g.width, g.height))

    def _ground(self, pill: pygame.Rect, colour) -> pygame.Surface:
        ground = pygame.Surface(pill.size, pygame.SRCALPHA)
        radius = min(pill.h // 2, self.ctx.grid.px(30))
        pygame.draw.rect(ground, colour, ground.get_rect(), border_radius=radius)
        return ground

    def _paint_pill(self, surface: pygame.Surface, text: str, key: str) -> pygame.Rect:
        """Audit mode: the pill and its text straight onto ``surface``."""
        style = self._style(key)
        block, pill = self._fit(text, style)
        surface.blit(self._ground(pill, style["ground"]), pill.topleft)
        self.ctx.painter(surface).draw_block(
            block, style["box"], style["colour"], align=style["align"], valign="middle"
        )
        return pill

    def _sprite(self, lang: Language, key: str) -> Sprite:
        """The pill for ``key`` (``title`` or a caption key) in ``lang``, set once."""
        cached = self._sprites.get((lang.code, key))
        if cached is not None:
            return cached
        style = self._style(key)
        block, pill = self._fit(lang.docking[key], style)
        ground = self._ground(pill, style["ground"])
        box = style["box"]
        local = Box(box.x - pill.x, box.y - pill.y, box.w, box.h)
        self.ctx.painter(ground).draw_block(
            block, local, style["colour"], align=style["align"], valign="middle"
        )
        if pygame.display.get_surface() is not None:
            ground = ground.convert_alpha()
        if style["ground"] is PANEL:  # opaque: run-length encoded, a fast copy
            ground.set_alpha(255, pygame.RLEACCEL)
        sprite = (ground, pill.topleft)
        self._sprites[(lang.code, key)] = sprite
        return sprite

    def _audit_layer(self, name: str, paint) -> Layer:
        """A layer that paints (and audits) its text directly; only ever drawn whole."""
        return Layer(("audit", name), self.area, paint, atomic=True)

    # -- the pieces, as layers ------------------------------------------------------------

    def title(self, lang: Language) -> Layer:
        """The scene's title, top left."""
        if self.auditing:
            return self._audit_layer(
                "title", lambda s: self._paint_pill(s, lang.docking["title"], "title")
            )
        image, pos = self._sprite(lang, "title")
        rect = pygame.Rect(pos, image.get_size())
        return Layer(("title", lang.code), rect, lambda s: s.blit(image, pos))

    def caption(self, lang: Language, key: str, shown: float) -> Layer | None:
        """A caption at the bottom (or a closing line in the middle), ``shown`` 0–1: it
        opens from its middle outwards and closes the same way (a wipe costs a plain
        copy; fading a translucent sprite would cost five)."""
        if shown <= 0:
            return None
        if self.auditing:
            return self._audit_layer(key, lambda s: self._paint_pill(s, lang.docking[key], key))
        image, pos = self._sprite(lang, key)
        w, h = image.get_size()
        open_w = max(2, round(w * min(1.0, shown)))
        rect = pygame.Rect(pos[0] + (w - open_w) // 2, pos[1], open_w, h)

        def draw(surface: pygame.Surface) -> None:
            clip = surface.get_clip()
            surface.set_clip(clip.clip(rect))
            surface.blit(image, pos)
            surface.set_clip(clip)

        return Layer(("caption", lang.code, key), rect, draw)

    def telemetry(self, lang: Language, frame: DockingFrame) -> list[Layer]:
        """Range, closing rate and the 1975 clock on a panel, top right."""
        approach = frame.approach
        if approach is None:
            return []
        values = telemetry_values(lang.docking, frame)
        rows, label_w = self._rows()
        value_boxes = [Box(r.x + label_w, r.y, r.w - label_w, r.h) for r in rows]
        if self.auditing:
            return [self._audit_layer("telemetry", lambda s: self._paint_panel(s, lang, values))]
        panel, pos = self._panel_sprite(lang)
        layers = [
            Layer(
                ("panel", lang.code),
                pygame.Rect(pos, panel.get_size()),
                lambda s: s.blit(panel, pos),
            )
        ]
        for i, (value, box) in enumerate(zip(values, value_boxes, strict=True)):
            image = self._figure(value, box)
            rect = image.get_rect(midright=(box.right, box.y + box.h // 2))
            layers.append(
                Layer(("figure", i, value), rect, lambda s, im=image, r=rect: s.blit(im, r))
            )
        return layers

    def _rows(self) -> tuple[list[Box], int]:
        """The telemetry's three rows and the width of their labels."""
        box = self.layout.telemetry
        pad = self.ctx.grid.px(22)
        row_h = (box.h - 2 * pad) // 3
        rows = [Box(box.x + pad, box.y + pad + i * row_h, box.w - 2 * pad, row_h) for i in range(3)]
        return rows, rows[0].w * 11 // 20

    def _labels(self, surface: pygame.Surface, lang: Language, offset: tuple[int, int]) -> None:
        g = self.ctx.grid
        rows, label_w = self._rows()
        paint = self.ctx.painter(surface)
        labels = (lang.docking["range"], lang.docking["rate"], lang.docking["clock"])
        for row, label in zip(rows, labels, strict=True):
            paint.block(
                label,
                Box(row.x - offset[0], row.y - offset[1], label_w, row.h),
                palette.INK_MUTED,
                g.px(30),
                g.px(18),
                valign="middle",
                max_lines=1,
            )

    def _panel_ground(self) -> pygame.Surface:
        box = self.layout.telemetry
        ground = pygame.Surface((box.w, box.h), pygame.SRCALPHA)
        pygame.draw.rect(ground, PANEL, ground.get_rect(), border_radius=self.ctx.grid.px(18))
        return ground

    def _panel_sprite(self, lang: Language) -> Sprite:
        """The panel with its labels, set once per language."""
        key = (lang.code, "telemetry")
        if key not in self._sprites:
            box = self.layout.telemetry
            panel = self._panel_ground()
            self._labels(panel, lang, (box.x, box.y))
            if pygame.display.get_surface() is not None:
                panel = panel.convert_alpha()
            panel.set_alpha(255, pygame.RLEACCEL)
            self._sprites[key] = (panel, (box.x, box.y))
        return self._sprites[key]

    def _paint_panel(self, surface: pygame.Surface, lang: Language, values) -> None:
        """Audit mode: the panel, labels and figures straight onto ``surface``."""
        g = self.ctx.grid
        box = self.layout.telemetry
        surface.blit(self._panel_ground(), (box.x, box.y))
        self._labels(surface, lang, (0, 0))
        rows, label_w = self._rows()
        paint = self.ctx.painter(surface)
        for row, value in zip(rows, values, strict=True):
            paint.block(
                value,
                Box(row.x + label_w, row.y, row.w - label_w, row.h),
                palette.INK,
                g.px(34),
                g.px(18),
                bold=True,
                align="right",
                valign="middle",
                max_lines=1,
            )

    def _figure(self, value: str, box: Box) -> pygame.Surface:
        """A telemetry figure, rendered once per string (most repeat for many frames)."""
        image = self._figures.get(value)
        if image is None:
            if len(self._figures) > 256:
                self._figures.clear()
            # Set on the panel's own colour: an opaque copy, no blending.
            font = self._value_font(box)
            g = self.ctx.grid
            room = Box(box.x + g.px(16), box.y, box.w - g.px(16), box.h)
            if font.size(value)[0] > room.w:  # a word (Separating) rather than a figure
                block = fit(
                    value, self.ctx.fonts, to_rect(room), g.px(34), g.px(14), bold=True, max_lines=1
                )
                font = self.ctx.fonts.get(block.size, True)
            image = font.render(value, True, palette.INK, palette.SPACE_TOP)
            if pygame.display.get_surface() is not None:
                image = image.convert()
            self._figures[value] = image
        return image

    def _value_font(self, box: Box) -> pygame.font.Font:
        """The telemetry figures' font: the size a long reading fits at."""
        font = self._value_fonts.get((box.w, box.h))
        if font is None:
            g = self.ctx.grid
            block = fit("00:00:00 m/s", self.ctx.fonts, to_rect(box), g.px(34), g.px(18), bold=True)
            font = self.ctx.fonts.get(block.size, True)
            self._value_fonts[(box.w, box.h)] = font
        return font

    def progress(self, t: float) -> Layer:
        """A thin bar in parts, one per segment of the timeline, filled up to ``t``."""
        bar = self.layout.progress
        g = self.ctx.grid
        gap = g.px(10)
        usable = bar.w - gap * (len(SEGMENTS) - 1)
        segments = []
        x = bar.x
        for segment in SEGMENTS:
            w = round(usable * segment.duration / TOTAL)
            filled = 0
            if t > segment.start:
                k = min(1.0, (t - segment.start) / segment.duration)
                filled = max(bar.h, round(w * k))
            segments.append((x, w, filled))
            x += w + gap

        def draw(surface: pygame.Surface) -> None:
            dim = palette.mix(palette.SPACE_BOTTOM, palette.INK_MUTED, 0.35)
            for sx, w, filled in segments:
                seg = pygame.Rect(sx, bar.y, w, bar.h)
                pygame.draw.rect(surface, dim, seg, border_radius=bar.h // 2)
                if filled:
                    done = pygame.Rect(sx, bar.y, filled, bar.h)
                    pygame.draw.rect(surface, palette.ACCENT, done, border_radius=bar.h // 2)

        return Layer(("progress", tuple(segments)), to_rect(bar), draw, atomic=True)

    # -- the footer, below the picture -------------------------------------------------------

    def footer(self, surface: pygame.Surface, lang: Language, *, again: bool) -> None:
        """The button hints and the skip hint on an opaque strip below the picture
        (drawn only when it may not be there yet: ``again``, or a new surface or
        language)."""
        if self.auditing:
            self._draw_footer(surface, lang)
            return
        state = (surface, lang.code)
        if not again and self._footer == state:
            return
        strip, pos = self._footer_strip(lang)
        surface.blit(strip, pos)
        self._footer = state

    def _footer_strip(self, lang: Language) -> Sprite:
        key = (lang.code, "footer")
        if key not in self._sprites:
            full = pygame.Surface(self.ctx.size)
            self._draw_footer(full, lang)
            bar = to_rect(self.layout.footer.bar)
            strip = full.subsurface(bar).copy()
            if pygame.display.get_surface() is not None:
                strip = strip.convert()
            self._sprites[key] = (strip, bar.topleft)
        return self._sprites[key]

    def _draw_footer(self, surface: pygame.Surface, lang: Language) -> None:
        ctx = self.ctx
        g = ctx.grid
        foot = self.layout.footer
        surface.fill(palette.SPACE_TOP, to_rect(foot.bar))
        hints = hints_for(lang, back=True, next_=True, dock=True)
        hints_left = draw_footer(ctx, surface, foot, lang, hints)
        note = footer_note_box(foot, hints_left, g.px(40))
        ctx.painter(surface).block(
            lang.docking["skip_hint"],
            note,
            palette.INK_MUTED,
            g.px(30),
            g.px(20),
            valign="middle",
            max_lines=1,
        )
