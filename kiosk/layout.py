"""Where everything goes on screen, for any resolution.

Designed on a logical 1920×1080 canvas: sizes are given in design units and
multiplied by ``unit`` (screen height / 1080), while columns are fractions
of the real width, so 800×480, 1280×720, 1920×1080 and 3840×2160 are all
laid out natively: nothing is stretched, and text is re-wrapped for its box.

Pure: no pygame.  Boxes are ``(x, y, w, h)`` in screen pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The screen sizes the exhibit is designed and tested for.
SUPPORTED_SIZES: tuple[tuple[int, int], ...] = (
    (800, 480),
    (1280, 720),
    (1920, 1080),
    (3840, 2160),
)
DESIGN_HEIGHT = 1080


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle in screen pixels."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        """x of the right edge (exclusive)."""
        return self.x + self.w

    @property
    def bottom(self) -> int:
        """y of the bottom edge (exclusive)."""
        return self.y + self.h

    @property
    def center(self) -> tuple[int, int]:
        """The centre point."""
        return (self.x + self.w // 2, self.y + self.h // 2)

    def contains(self, other: Box) -> bool:
        """Whether ``other`` lies entirely inside this box."""
        return (
            other.x >= self.x
            and other.y >= self.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )


@dataclass(frozen=True, slots=True)
class Grid:
    """The design grid of one screen size."""

    width: int
    height: int

    @property
    def unit(self) -> float:
        """Pixels per design unit."""
        return self.height / DESIGN_HEIGHT

    def px(self, design_units: float) -> int:
        """Design units to whole pixels (at least 1)."""
        return max(1, round(design_units * self.unit))

    @property
    def margin(self) -> int:
        """Outer margin."""
        return self.px(64)

    @property
    def compact(self) -> bool:
        """Narrower than 16:9 relative to its height (the 7-inch 800×480 panel)."""
        return self.width / self.height < 1.7


@dataclass(frozen=True, slots=True)
class Footer:
    """The bottom bar: progress on the left, button hints on the right."""

    bar: Box
    progress_label: Box
    dots: tuple[Box, ...]
    hints: Box


@dataclass(frozen=True, slots=True)
class ChapterLayout:
    """A chapter page: illustration on the left, text column on the right."""

    illustration: Box
    date: Box
    title: Box
    body: Box
    call_to_action: Box
    footer: Footer


@dataclass(frozen=True, slots=True)
class AttractLayout:
    """The attract loop: title block on the left, spacecraft on the right."""

    title: Box
    subtitle: Box
    prompt: Box
    dock_prompt: Box
    craft: Box
    footer: Footer


@dataclass(frozen=True, slots=True)
class CreditsLayout:
    """The credits: a centred column."""

    title: Box
    essay: Box
    sources: Box
    note: Box
    footer: Footer


@dataclass(frozen=True, slots=True)
class DockingLayout:
    """The docking scene: full-bleed picture, caption and telemetry over it, and the
    closing line in the middle of the last scene."""

    scene: Box
    title: Box
    caption: Box
    telemetry: Box
    progress: Box
    footer: Footer
    closing: Box


def footer(grid: Grid, dots: int) -> Footer:
    """The footer bar with ``dots`` progress dots (0 for none)."""
    height = grid.px(112)
    bar = Box(0, grid.height - height, grid.width, height)
    m = grid.margin
    label_w = grid.px(190)
    label = Box(m, bar.y + grid.px(24), label_w, height - grid.px(48))
    dot = grid.px(16)
    gap = grid.px(14)
    cy = bar.y + height // 2
    x0 = label.right + grid.px(16)
    boxes = tuple(Box(x0 + i * (dot + gap), cy - dot // 2, dot, dot) for i in range(dots))
    dots_right = boxes[-1].right if boxes else label.right
    hints_x = dots_right + grid.px(40)
    hints = Box(hints_x, bar.y + grid.px(20), grid.width - m - hints_x, height - grid.px(40))
    return Footer(bar=bar, progress_label=label, dots=boxes, hints=hints)


def chapter_layout(width: int, height: int, chapters: int) -> ChapterLayout:
    """Layout of a chapter page."""
    g = Grid(width, height)
    foot = footer(g, chapters)
    m = g.margin
    art_w = round(width * (0.38 if g.compact else 0.42))
    art = Box(0, 0, art_w, foot.bar.y)
    x = art.right + g.px(56)
    w = width - m - x
    top = g.px(72)
    date = Box(x, top, w, g.px(48))
    title = Box(x, date.bottom + g.px(14), w, g.px(200))
    cta_h = g.px(72)
    cta = Box(x, foot.bar.y - g.px(36) - cta_h, w, cta_h)
    body_top = title.bottom + g.px(28)
    body = Box(x, body_top, w, foot.bar.y - g.px(36) - body_top)
    return ChapterLayout(art, date, title, body, cta, foot)


def attract_layout(width: int, height: int) -> AttractLayout:
    """Layout of the attract loop."""
    g = Grid(width, height)
    foot = footer(g, 0)
    m = g.px(110)
    col_w = round(width * 0.52) - m
    title = Box(m, round(height * 0.22), col_w, g.px(250))
    subtitle = Box(m, title.bottom + g.px(10), col_w, g.px(70))
    prompt = Box(m, subtitle.bottom + g.px(90), col_w, g.px(70))
    dock_prompt = Box(m, prompt.bottom + g.px(18), col_w, g.px(110))
    craft = Box(round(width * 0.50), round(height * 0.08), round(width * 0.48), round(height * 0.6))
    return AttractLayout(title, subtitle, prompt, dock_prompt, craft, foot)


def credits_layout(width: int, height: int) -> CreditsLayout:
    """Layout of the credits screen."""
    g = Grid(width, height)
    foot = footer(g, 0)
    w = min(width - 2 * g.margin, g.px(1500))
    x = (width - w) // 2
    title = Box(x, g.px(70), w, g.px(96))
    essay = Box(x, title.bottom + g.px(30), w, g.px(190))
    note_h = g.px(100)
    note = Box(x, foot.bar.y - g.px(30) - note_h, w, note_h)
    sources = Box(x, essay.bottom + g.px(36), w, note.y - g.px(24) - essay.bottom - g.px(36))
    return CreditsLayout(title, essay, sources, note, foot)


def docking_layout(width: int, height: int) -> DockingLayout:
    """Layout of the docking scene."""
    g = Grid(width, height)
    foot = footer(g, 0)
    m = g.margin
    scene = Box(0, 0, width, foot.bar.y)
    title = Box(m, g.px(48), round(width * 0.6), g.px(64))
    tele_w = g.px(470) if not g.compact else g.px(500)
    telemetry = Box(width - m - tele_w, g.px(48), tele_w, g.px(190))
    caption = Box(m, foot.bar.y - g.px(150), width - 2 * m, g.px(90))
    progress = Box(m, foot.bar.y - g.px(34), width - 2 * m, g.px(8))
    inset = m + round(width * 0.06)
    closing = Box(inset, round(height * 0.44), width - 2 * inset, g.px(250))
    return DockingLayout(scene, title, caption, telemetry, progress, foot, closing)
