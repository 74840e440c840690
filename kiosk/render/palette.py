"""The exhibit's colours and the WCAG contrast arithmetic used to check them.

Pure: no pygame.  Colours are ``(r, g, b)`` tuples of 0–255 ints.
"""

from __future__ import annotations

Color = tuple[int, int, int]

# Deep space, from the top of the screen to the bottom.
SPACE_TOP: Color = (4, 9, 22)
SPACE_BOTTOM: Color = (11, 24, 48)
# Text.
INK: Color = (244, 239, 230)  # warm ivory, body and titles
INK_MUTED: Color = (178, 190, 210)  # hints and secondary text
ACCENT: Color = (245, 185, 69)  # amber: date lines, the active progress dot
# The two sides of the story, used sparingly.
APOLLO_BLUE: Color = (92, 156, 238)
SOYUZ_RED: Color = (232, 96, 76)
# Earth and sky.
EARTH_DEEP: Color = (18, 58, 120)
EARTH_OCEAN: Color = (38, 102, 170)
ATMOSPHERE: Color = (120, 190, 255)
SUN: Color = (255, 244, 214)
# Physical arcade button colours, so the on-screen hints match the buttons.
BUTTON_BACK: Color = (200, 205, 215)
BUTTON_NEXT: Color = (86, 200, 120)
BUTTON_DOCK: Color = (245, 160, 60)
BUTTON_LANGUAGE: Color = (90, 160, 240)


def _channel(c: int) -> float:
    s = c / 255.0
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def relative_luminance(color: Color) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0 = black, 1 = white)."""
    r, g, b = color[:3]
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: Color, b: Color) -> float:
    """WCAG 2 contrast ratio between two colours, from 1.0 to 21.0."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def mix(a: Color, b: Color, t: float) -> Color:
    """Linear blend from ``a`` (t=0) to ``b`` (t=1)."""
    t = min(1.0, max(0.0, t))
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )
