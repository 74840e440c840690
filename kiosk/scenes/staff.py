"""The staff overlay: a panel of facts for whoever is servicing the exhibit."""

from __future__ import annotations

import subprocess
import threading
import time

import pygame

from kiosk.layout import Box
from kiosk.render import palette
from kiosk.scenes.context import SceneContext


class AddressBook:
    """This machine's IP addresses, looked up in the background (never on the render path)."""

    REFRESH = 30.0

    def __init__(self) -> None:
        self._text = "looking up…"
        self._looked_up = float("-inf")
        self._lock = threading.Lock()
        self._busy = False

    def text(self) -> str:
        """The last known addresses; starts a refresh in the background when stale."""
        now = time.monotonic()
        with self._lock:
            if not self._busy and now - self._looked_up >= self.REFRESH:
                self._busy = True
                self._looked_up = now
                threading.Thread(target=self._refresh, name="ip-lookup", daemon=True).start()
            return self._text

    def _refresh(self) -> None:
        text = _lookup_address()
        with self._lock:
            self._text = text
            self._busy = False


_ADDRESSES = AddressBook()


def local_address() -> str:
    """This machine's IP addresses for the overlay (cached, refreshed in the background)."""
    return _ADDRESSES.text()


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
    problems = [str(p) for p in status.get("problems") or []]
    if problems:
        lines.append(f"Config/story problems: {len(problems)} (kiosk ctl status lists them)")
        lines.extend(f"  {problem}" for problem in problems[:3])
    chord = status.get("chord_seconds", 5)
    lines.append(f"Hold Back + Next for {chord:g} s (or F12) to close")
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
