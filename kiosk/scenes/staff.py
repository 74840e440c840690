"""The staff overlay: a panel of facts for whoever is servicing the exhibit."""

from __future__ import annotations

import socket

import pygame

from kiosk.layout import Box
from kiosk.render import palette
from kiosk.scenes.context import SceneContext


def local_address() -> str:
    """This machine's outward IP address (no packet is sent), or a placeholder."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: routing lookup only
            return probe.getsockname()[0]
    except OSError:
        return "no network"


def status_lines(status: dict[str, object]) -> list[str]:
    """The status dict as short lines for the overlay."""
    lines = [
        f"Version {status.get('version')}   IP {local_address()}",
        f"Screen {status.get('screen')}   language {status.get('language')}   "
        f"{status.get('frame_rate')} fps   up {status.get('uptime_s')} s",
        f"Config: {status.get('config')}",
    ]
    sensor = status.get("sensor")
    if isinstance(sensor, dict):
        lines.append("Sensor: " + ", ".join(f"{k} {v}" for k, v in sensor.items()))
    errors = status.get("errors") or []
    lines.append(f"Errors: {len(errors)}" if errors else "Errors: none")
    for entry in list(errors)[-4:]:
        if isinstance(entry, dict):
            lines.append(f"  {entry.get('count')}× {entry.get('message')}")
    return lines


def draw_staff_overlay(
    ctx: SceneContext, surface: pygame.Surface, status: dict[str, object]
) -> None:
    """Draw the overlay over whatever is on screen."""
    g = ctx.grid
    box = Box(g.margin, g.margin, g.width - 2 * g.margin, g.height - 2 * g.margin - g.px(120))
    panel = pygame.Surface((box.w, box.h), pygame.SRCALPHA)
    pygame.draw.rect(panel, (*palette.SPACE_TOP, 235), panel.get_rect(), border_radius=g.px(20))
    surface.blit(panel, (box.x, box.y))
    paint = ctx.painter(surface)
    pad = g.px(36)
    inner = Box(box.x + pad, box.y + pad, box.w - 2 * pad, box.h - 2 * pad)
    title = Box(inner.x, inner.y, inner.w, g.px(60))
    paint.block("Staff", title, palette.ACCENT, g.px(48), g.px(24), bold=True, max_lines=1)
    body = Box(inner.x, title.bottom + g.px(12), inner.w, inner.bottom - title.bottom - g.px(12))
    paint.block(
        "\n\n".join(status_lines(status)), body, palette.INK, g.px(30), g.px(14), leading=0.9
    )
