"""Where a picture differs from the plain backdrop, on a coarse grid of tiles.

A page transition only has to blend the parts of the screen that are not plain
backdrop: on a chapter page that is the title, the text and the illustration,
about three quarters of the screen.  The regions are found once, when a page is cached, by
comparing it with the backdrop pixel by pixel (:func:`pygame.mask.from_threshold`)
and marking every tile of a 48 × 27 grid that has any difference.
"""

from __future__ import annotations

import pygame

#: Tiles across and down the screen (40 px squares at 1920×1080: fine enough to
#: leave out the margins and the ends of short lines, coarse enough to be few).
GRID = (48, 27)


def changed_regions(
    surface: pygame.Surface, backdrop: pygame.Surface, grid: tuple[int, int] = GRID
) -> list[pygame.Rect]:
    """Rectangles covering every pixel of ``surface`` that differs from ``backdrop``.

    Tiles with a difference are merged into runs along each row, and identical runs
    in consecutive rows into taller rectangles, so a typical page gives a handful.
    """
    width, height = surface.get_size()
    same = pygame.mask.from_threshold(surface, (0, 0, 0, 255), (1, 1, 1, 255), backdrop)
    same.invert()  # now: the pixels that differ
    columns, rows = grid
    edges_x = [round(i * width / columns) for i in range(columns + 1)]
    edges_y = [round(j * height / rows) for j in range(rows + 1)]
    rects: list[pygame.Rect] = []
    open_runs: dict[tuple[int, int], pygame.Rect] = {}
    for j in range(rows):
        top, bottom = edges_y[j], edges_y[j + 1]
        runs: list[tuple[int, int]] = []
        start: int | None = None
        for i in range(columns + 1):
            changed = i < columns and _tile_changed(
                same, edges_x[i], top, edges_x[i + 1] - edges_x[i], bottom - top
            )
            if changed and start is None:
                start = edges_x[i]
            elif not changed and start is not None:
                runs.append((start, edges_x[i]))
                start = None
        still_open: dict[tuple[int, int], pygame.Rect] = {}
        for run in runs:
            rect = open_runs.pop(run, None)
            if rect is None:
                rect = pygame.Rect(run[0], top, run[1] - run[0], 0)
                rects.append(rect)
            rect.height = bottom - rect.top
            still_open[run] = rect
        open_runs = still_open
    return rects


def _tile_changed(mask: pygame.mask.Mask, x: int, y: int, w: int, h: int) -> bool:
    """True if any bit of ``mask`` is set in the tile at (x, y) of size w × h."""
    if w <= 0 or h <= 0:
        return False
    return pygame.mask.Mask((w, h), fill=True).overlap(mask, (-x, -y)) is not None
