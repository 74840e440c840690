"""The docking scene (placeholder choreography; the full animation is its own piece).

Apollo, with its docking module, closes on Soyuz 19 over Earth's limb at true
relative scale, with live telemetry (range, closing rate, 1975 UTC clock) from
the pure timeline in :mod:`kiosk.docking_timeline`.  The spacecraft are drawn
once per size and then only moved, so a frame is a handful of blits.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

import pygame

from kiosk.docking_timeline import frame_at
from kiosk.flow import Page
from kiosk.layout import Box, docking_layout
from kiosk.render import art, palette
from kiosk.scenes.common import draw_footer, footer_note_box, hints_for
from kiosk.scenes.context import SceneContext

APOLLO_LENGTH_M = 11.0 + 3.15  # CSM + docking module
SOYUZ_LENGTH_M = 7.48
SOYUZ_SPAN_M = 8.37
DOCKED_LENGTH_M = APOLLO_LENGTH_M + SOYUZ_LENGTH_M
#: Ranges are compressed on screen so Apollo is in view from the start.
FRAMING_M = 16.0


def screen_gap(range_m: float) -> float:
    """The gap drawn on screen, in metres: true when close, compressed when far."""
    return FRAMING_M * (1 - math.exp(-range_m / FRAMING_M))


def shade(surface: pygame.Surface, top: int, bottom: int, rising: bool) -> None:
    """Darken the band from ``top`` to ``bottom`` so text over it stays legible.

    ``rising``: the shade grows towards the bottom (else towards the top).
    """
    w = surface.get_width()
    span = max(1, bottom - top)
    band = pygame.Surface((w, span), pygame.SRCALPHA)
    for y in range(span):
        t = min(1.0, (y if rising else span - 1 - y) / (span * 0.45))
        alpha = round(235 * t * t * (3 - 2 * t))
        pygame.draw.line(band, (*palette.SPACE_TOP, alpha), (0, y), (w, y))
    surface.blit(band, (0, top))


class DockingScene:
    """Draws the docking sequence; animated."""

    animated = True
    #: Length of the sequence in seconds; the flow's ``docking_seconds`` must match.
    duration = 24.0

    def __init__(self, ctx: SceneContext) -> None:
        self.ctx = ctx
        self._layers: dict[str, pygame.Surface] = {}
        self._ports: dict[str, tuple[int, int]] = {}

    def _scale(self) -> float:
        w, h = self.ctx.size
        return min(w * 0.6 / DOCKED_LENGTH_M, h * 0.4 / SOYUZ_SPAN_M)

    def _craft(self, name: str) -> tuple[pygame.Surface, tuple[int, int]]:
        """A spacecraft drawn once on a transparent layer, with its docking-port position."""
        if name not in self._layers:
            scale = self._scale() * 2
            length = (APOLLO_LENGTH_M if name == "apollo" else SOYUZ_LENGTH_M) * scale
            size = (round(length * 1.3) + 8, round(SOYUZ_SPAN_M * scale * 1.2) + 8)
            big = pygame.Surface(size, pygame.SRCALPHA)
            cy = size[1] // 2
            if name == "apollo":
                port = (size[0] - 4, cy)
                art.draw_apollo(big, port=port, scale=scale, facing=1)
            else:
                port = (4, cy)
                art.draw_soyuz(big, port=port, scale=scale, facing=-1)
            small = pygame.transform.smoothscale(big, (size[0] // 2, size[1] // 2))
            self._layers[name] = small
            self._ports[name] = (port[0] // 2, port[1] // 2)
        return self._layers[name], self._ports[name]

    def _background(self) -> pygame.Surface:
        if "background" not in self._layers:
            self._layers["background"] = self.ctx.art("starfield", self.ctx.size).copy()
            w, h = self.ctx.size
            art.earth_limb(
                self._layers["background"],
                pygame.Rect(-w // 4, round(h * 0.64), w * 3 // 2, h),
                random.Random(1975),
            )
            shade(self._layers["background"], round(h * 0.70), h, rising=True)
            shade(self._layers["background"], 0, round(h * 0.16), rising=False)
        return self._layers["background"]

    def warm_up(self) -> Iterator[None]:
        """Draw the background and both spacecraft ahead of time, one piece per step."""
        self._background()
        yield
        self._craft("soyuz")
        yield
        self._craft("apollo")
        yield

    def draw(self, surface: pygame.Surface, page: Page, t: float) -> None:
        """Draw the docking ``t`` seconds after it started."""
        ctx = self.ctx
        g = ctx.grid
        lang = ctx.language(page.language)
        layout = docking_layout(g.width, g.height)
        frame = frame_at(t, self.duration)
        surface.blit(self._background(), (0, 0))

        scale = self._scale()
        left = (g.width - DOCKED_LENGTH_M * scale) / 2
        port_x = round(left + APOLLO_LENGTH_M * scale)
        port_y = round(layout.scene.h * 0.5)
        soyuz, soyuz_port = self._craft("soyuz")
        apollo, apollo_port = self._craft("apollo")
        surface.blit(soyuz, (port_x - soyuz_port[0], port_y - soyuz_port[1]))
        gap = round(screen_gap(frame.range_m) * scale)
        bob = round(math.sin(t * 0.7) * g.px(3)) if frame.phase == "approach" else 0
        surface.blit(apollo, (port_x - gap - apollo_port[0], port_y + bob - apollo_port[1]))

        paint = ctx.painter(surface)
        paint.block(
            lang.docking["title"],
            layout.title,
            palette.ACCENT,
            g.px(44),
            g.px(28),
            bold=True,
            max_lines=1,
        )
        self._telemetry(surface, layout.telemetry, frame, lang.docking)
        caption = lang.docking[frame.phase]
        paint.block(
            caption,
            layout.caption,
            palette.INK,
            g.px(56),
            g.px(34),
            bold=True,
            align="center",
            valign="middle",
            max_lines=1,
        )
        bar = layout.progress
        pygame.draw.rect(
            surface,
            palette.mix(palette.SPACE_BOTTOM, palette.INK_MUTED, 0.3),
            pygame.Rect(bar.x, bar.y, bar.w, bar.h),
            border_radius=bar.h // 2,
        )
        filled = max(bar.h, round(bar.w * frame.progress))
        pygame.draw.rect(
            surface,
            palette.ACCENT,
            pygame.Rect(bar.x, bar.y, filled, bar.h),
            border_radius=bar.h // 2,
        )
        hints = hints_for(lang, back=True, next_=True, dock=False)
        hints_left = draw_footer(ctx, surface, layout.footer, lang, hints)
        skip = footer_note_box(layout.footer, hints_left, g.px(40))
        paint.block(
            lang.docking["skip_hint"],
            skip,
            palette.INK_MUTED,
            g.px(30),
            g.px(20),
            valign="middle",
            max_lines=1,
        )

    def _telemetry(self, surface: pygame.Surface, box: Box, frame, text) -> None:
        g = self.ctx.grid
        panel = pygame.Surface((box.w, box.h), pygame.SRCALPHA)
        pygame.draw.rect(panel, (*palette.SPACE_TOP, 215), panel.get_rect(), border_radius=g.px(18))
        surface.blit(panel, (box.x, box.y))
        mark = text["decimal"]
        rows = (
            (text["range"], f"{frame.range_m:.1f}".replace(".", mark) + f" {text['metres']}"),
            (
                text["rate"],
                f"{frame.closing_rate:.2f}".replace(".", mark) + f" {text['metres_per_second']}",
            ),
            (text["clock"], frame.clock),
        )
        pad = g.px(22)
        row_h = (box.h - 2 * pad) // len(rows)
        paint = self.ctx.painter(surface)
        for i, (label, value) in enumerate(rows):
            row = Box(box.x + pad, box.y + pad + i * row_h, box.w - 2 * pad, row_h)
            half = Box(row.x, row.y, row.w * 11 // 20, row.h)
            paint.block(
                label, half, palette.INK_MUTED, g.px(32), g.px(18), valign="middle", max_lines=1
            )
            value_box = Box(half.right, row.y, row.w - half.w, row.h)
            paint.block(
                value,
                value_box,
                palette.INK,
                g.px(34),
                g.px(18),
                bold=True,
                align="right",
                valign="middle",
                max_lines=1,
            )
