"""The staff overlay: a panel of facts for whoever is servicing the exhibit."""

from __future__ import annotations

import subprocess
import time

import pygame

from kiosk.layout import Box
from kiosk.render import palette
from kiosk.scenes.context import SceneContext

_ADDRESS_CACHE: dict[str, tuple[float, str]] = {}
ADDRESS_REFRESH = 30.0


def local_address() -> str:
    """This machine's IP addresses (``hostname -I``), looked up at most every 30 s."""
    cached = _ADDRESS_CACHE.get("ip")
    now = time.monotonic()
    if cached and now - cached[0] < ADDRESS_REFRESH:
        return cached[1]
    address = _lookup_address()
    _ADDRESS_CACHE["ip"] = (now, address)
    return address


def _lookup_address() -> str:
    try:
        found = subprocess.run(
            ["hostname", "-I"], capture_output=True, text=True, timeout=2, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    addresses = [a for a in found.stdout.split() if not a.startswith("127.")]
    return " ".join(addresses[:2]) if addresses else "no network"


def _sensor_line(sensor: dict) -> str:
    if not sensor.get("enabled", True):
        return "Sensor: disabled in the config"
    if not sensor.get("connected"):
        error = sensor.get("last_error")
        return f"Sensor: NOT CONNECTED{f' ({error})' if error else ''}"
    age = sensor.get("heartbeat_age")
    heartbeat = f"{age:.1f} s ago" if isinstance(age, int | float) else "none yet"
    line = f"Sensor: {sensor.get('port')}  firmware {sensor.get('firmware')}  heartbeat {heartbeat}"
    grips = ", ".join("gripping" if g else "open" for g in sensor.get("gripping", []))
    if grips:
        line += f"  hands {grips}  levels {sensor.get('levels')}"
    return line


def _sensor_errors(sensor: dict) -> str:
    counts = {k: sensor.get(k, 0) for k in ("garbage", "bad_checksum", "overlong", "reconnects")}
    return "Sensor line errors: " + "  ".join(
        f"{k.replace('_', ' ')} {v}" for k, v in counts.items()
    )


def _buttons_line(gpio: dict) -> str:
    buttons = gpio.get("buttons")
    if not isinstance(buttons, dict):
        return f"Buttons: {gpio.get('error') or 'GPIO disabled'}"
    parts = [
        f"{name} {'DOWN' if b.get('pressed') else 'up'} ({b.get('presses')}×)"
        for name, b in buttons.items()
    ]
    return "Button test: " + "   ".join(parts)


def status_lines(status: dict[str, object]) -> list[str]:
    """The status dict as short lines for the overlay."""
    lines = [
        f"Version {status.get('version')}   IP {local_address()}",
        f"Screen {status.get('screen')}   language {status.get('language')}   "
        f"{status.get('frame_rate')} fps   up {status.get('uptime_s')} s",
        f"Config: {status.get('config')}",
    ]
    hardware = status.get("hardware")
    if isinstance(hardware, dict):
        sensor = hardware.get("sensor")
        if isinstance(sensor, dict):
            lines.append(_sensor_line(sensor))
            lines.append(_sensor_errors(sensor))
        gpio = hardware.get("gpio")
        if isinstance(gpio, dict):
            lines.append(_buttons_line(gpio))
    errors = list(status.get("errors") or [])
    if isinstance(hardware, dict):
        for item in hardware.get("errors") or []:
            if isinstance(item, dict):
                errors.append({"count": item.get("time"), "message": item.get("message")})
    lines.append(f"Last errors: {len(errors)}" if errors else "Last errors: none")
    for entry in errors[-4:]:
        if isinstance(entry, dict):
            count = entry.get("count")
            prefix = f"{count}×" if isinstance(count, int) else f"at {count}"
            lines.append(f"  {prefix} {entry.get('message')}")
        else:
            lines.append(f"  {entry}")
    lines.append("Hold Back + Next for 5 s (or F12) to close")
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
