"""Word wrapping and fitting text into boxes.

Measuring goes through the real font (``font.size``), so what fits here fits
on screen.  Lines break only at ordinary spaces, and not at every one of them:

* a no-break space (U+00A0) never breaks;
* a one-letter Russian preposition or conjunction (в, к, с, у, о, и, а, я)
  stays with the word after it, and so does a two-letter one (до, на, от …);
* a date stays whole (“17 July 1975”, “17 июля 1975 г.”, “17. juli 1975”),
  a number stays with its unit (“108 minutes”, “16:09 UTC”, “12 мин”), a
  name with its number (“Soyuz 19”, “Apollo 11”) and an initial with the name
  after it (“John F. Kennedy”);
* a dash never starts a line.

These are preferences: a group of words wider than its box is broken at its
own spaces rather than overflowing.  The wrapping itself is pure — it takes
any ``measure(text) -> width`` function — so it is tested without pygame.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pygame is only needed by fit(), which is given real fonts
    import pygame

    from kiosk.render.fonts import FontBook

#: Width of a piece of text in pixels.
Measure = Callable[[str], int]

NO_BREAK_SPACE = "\u00a0"

#: One-letter Russian words that must not end a line.
HANGING_WORDS = frozenset("вксуоиаяВКСУОИАЯ")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MONTHS = _words(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    января февраля марта апреля мая июня июля августа сентября октября ноября декабря
    январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
    январе феврале марте апреле мае июне июле августе сентябре октябре ноябре декабре
    januar februar mars april mai juni juli august september oktober november desember
    """
)

#: Words that belong after a number: units, and the units of time a visitor reads.
UNITS = _words(
    """
    m cm mm km kg t s min h m/s km/h km/s % °c utc
    м см мм км кг т с мин ч м/с км/ч км/с
    metre metres meter meters kilometre kilometres kilometer kilometers
    second seconds minute minutes hour hours day days year years
    секунда секунды секунд минута минуты минут минуту час часа часов
    сутки суток день дня дней год года году лет метр метра метров километров
    sekund sekunder minutt minutter time timer døgn dag dager år meter kilometer
    г г. гг. min. мин. сек.
    """
)
#: Two-letter Russian prepositions, conjunctions and particles: better not left at
#: the end of a line either (“до / космической станции”, not “до” hanging).
SHORT_WORDS = _words(
    "во ко со об от до по за из на не ни но да Во Ко Со Об От До По За Из На Не Ни Но Да"
)
#: Abbreviations that belong before a number: “kl. 16.09”, “ca. 35”, “№ 1”.
BEFORE_NUMBER = _words("kl. ca. nr. no. № ок. около")

_OPENING = "(«„“‘\"'["
_CLOSING = ",.;:!?)»”’\"'…]"
_DASHES = frozenset({"–", "—", "-", "−"})
_NUMBER = re.compile(r"^[~≈±+−-]?\d[\d.,:\u00a0]*$")
_DAY = re.compile(r"^\d{1,2}\.?$")
_YEAR = re.compile(r"^\d{3,4}$")
_SMALL_NUMBER = re.compile(r"^\d{1,3}$")
_INITIAL = re.compile(r"^[A-ZА-ЯЁ][a-zа-яё]?\.$")
_CAPITALISED = re.compile(r"^[A-ZА-ЯЁÆØÅ][\w’'-]*$")


def _core(word: str) -> str:
    """``word`` without the quotes or brackets that open it."""
    return word.lstrip(_OPENING)


def _bare(word: str) -> str:
    """``word`` without the punctuation that closes it."""
    return word.rstrip(_CLOSING)


def keeps_together(left: str, right: str) -> bool:
    """Whether the space between the words ``left`` and ``right`` should not break."""
    # Words already joined by no-break spaces: what meets at this space is what counts.
    left = left.rsplit(NO_BREAK_SPACE, 1)[-1]
    right = right.split(NO_BREAK_SPACE, 1)[0]
    core = _core(left)
    if core in HANGING_WORDS or core in SHORT_WORDS:
        return True
    if right in _DASHES:
        return True
    ends_clause = _bare(left) != left  # "July," ends a phrase: no date across it
    left_bare = _bare(core)
    right_core = _core(right)
    right_bare = _bare(right_core)
    if _DAY.match(core) and right_bare.lower() in MONTHS:
        return True
    if not ends_clause and core.lower() in MONTHS and _YEAR.match(right_bare):
        return True
    if core.lower() in BEFORE_NUMBER and _NUMBER.match(right_bare):
        return True
    if (
        not ends_clause
        and _NUMBER.match(core)
        and (right_core.lower() in UNITS or right_bare.lower() in UNITS)
    ):
        return True
    if _INITIAL.match(core) and _CAPITALISED.match(right_bare):
        return True
    return bool(
        not ends_clause
        and _SMALL_NUMBER.match(right_bare)
        and _CAPITALISED.match(left_bare)
        and left_bare.lower() not in MONTHS
    )


def groups(paragraph: str) -> list[list[str]]:
    """The paragraph's words, grouped so that a line breaks only between groups."""
    words = [w for w in paragraph.replace("\n", " ").split(" ") if w]
    result: list[list[str]] = []
    for i, word in enumerate(words):
        if i and keeps_together(words[i - 1], word):
            result[-1].append(word)
        else:
            result.append([word])
    return result


def _split_long(word: str, measure: Measure, width: int) -> list[str]:
    """A single word wider than the box, cut between characters (last resort)."""
    pieces: list[str] = []
    current = word
    while measure(current) > width and len(current) > 1:
        cut = len(current) - 1
        while cut > 1 and measure(current[:cut]) > width:
            cut -= 1
        pieces.append(current[:cut])
        current = current[cut:]
    pieces.append(current)
    return pieces


def _wrap_units(units: Sequence[str], measure: Measure, width: int) -> list[str]:
    """Greedy wrapping of unbreakable ``units`` (the last line may be partly filled)."""
    lines: list[str] = []
    current = ""
    for unit in units:
        candidate = f"{current} {unit}" if current else unit
        if measure(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = unit
        if measure(current) > width:
            *done, current = _split_long(current, measure, width)
            lines.extend(done)
    if current:
        lines.append(current)
    return lines


def wrap(text: str, measure: Measure, width: int) -> list[str]:
    """Break ``text`` into lines no wider than ``width``; ``\\n\\n`` starts a paragraph.

    An empty string marks the gap between paragraphs.  Words that belong
    together (see the module notes) share a line unless the group alone is
    wider than the box; a single word wider than the box is split between
    characters as a last resort.
    """
    lines: list[str] = []
    for p_index, paragraph in enumerate(text.split("\n\n")):
        if p_index:
            lines.append("")
        units: list[str] = []
        for group in groups(paragraph):
            joined = " ".join(group)
            if measure(joined) <= width:
                units.append(joined)
            else:
                units.extend(group)  # the group cannot be kept whole: break inside it
        lines.extend(_wrap_units(units, measure, width))
    return lines


def widest_group(text: str, measure: Measure) -> int:
    """Width of the widest group of words that :func:`wrap` keeps on one line."""
    return max(
        (measure(" ".join(g)) for p in text.split("\n\n") for g in groups(p)),
        default=1,
    )


def balanced(text: str, measure: Measure, width: int, count: int) -> list[str]:
    """The narrowest wrapping of ``text`` that still takes ``count`` lines.

    Never narrower than the widest group of words, so balancing never splits
    a word, a date or a preposition from its word.
    """
    low, high = min(widest_group(text, measure), width), width
    best = wrap(text, measure, width)
    while low < high:
        mid = (low + high) // 2
        lines = wrap(text, measure, mid)
        if len(lines) <= count and all(measure(x) <= mid for x in lines):
            best, high = lines, mid
        else:
            low = mid + 1
    return best


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Wrapped lines set in one font size, and whether they fit their box."""

    lines: tuple[str, ...]
    size: int
    bold: bool
    line_height: int
    width: int
    height: int
    fits: bool


def fit(
    text: str,
    fonts: FontBook,
    box: pygame.Rect,
    max_size: int,
    min_size: int,
    *,
    bold: bool = False,
    leading: float = 1.35,
    max_lines: int | None = None,
    balance: bool = False,
) -> TextBlock:
    """Set ``text`` in the largest size from ``max_size`` down to ``min_size`` that fits.

    If nothing fits, the block is set at ``min_size`` with ``fits=False``
    (the content check reports it; the screen still shows the text).
    ``balance`` evens out the line lengths (for titles: no lonely last word).
    """
    size = max(max_size, min_size)
    while True:
        font = fonts.get(size, bold)

        def measure(s: str, font: pygame.font.Font = font) -> int:
            return font.size(s)[0]

        lines = wrap(text, measure, box.width)
        if balance and len(lines) > 1:
            lines = balanced(text, measure, box.width, len(lines))
        line_height = max(1, round(font.get_linesize() * leading))
        height = font.get_height() + line_height * (len(lines) - 1) if lines else 0
        width = max((measure(line) for line in lines), default=0)
        fits = height <= box.height and width <= box.width
        if max_lines is not None:
            fits = fits and len([x for x in lines if x]) <= max_lines
        block = TextBlock(tuple(lines), size, bold, line_height, width, height, fits)
        if fits or size <= min_size:
            return block
        size = max(min_size, min(size - 1, round(size * 0.94)))
