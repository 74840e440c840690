"""Line breaking, without pygame: the measure is the number of characters.

The rules (kiosk/render/text.py): a one-letter Russian preposition or
conjunction never ends a line, a date or a number with its unit is never
split, a no-break space never breaks and a dash never starts a line — as long
as the words that belong together fit on a line at all.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kiosk.render.text import HANGING_WORDS, balanced, groups, keeps_together, wrap

STORY_DIR = Path(__file__).resolve().parent.parent / "assets" / "story"
NBSP = "\u00a0"
UNIT_WORDS = {"UTC", "г", "минут", "minutes", "minutter", "m", "м", "м/с", "m/s"}


def measure(text: str) -> int:
    return len(text)


def all_widths(text: str, low: int = 8, high: int = 70) -> range:
    return range(low, high + 1)


def story_texts() -> list[tuple[str, str]]:
    """(label, text) for every body and caption of every language file."""
    texts = []
    for path in sorted(STORY_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for chapter in data["chapter"]:
            texts.append((f"{path.stem}:{chapter['id']}", " ".join(chapter["body"].split())))
        for key, value in {**data["ui"], **data["docking"]}.items():
            texts.append((f"{path.stem}:{key}", value))
    return texts


def test_wrapping_is_pure():
    """Importing the wrapping module does not import pygame (only fit() gets real fonts)."""
    code = "import sys, kiosk.render.text; print('pygame' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_lines_keep_every_word_in_order():
    text = "The quick brown fox jumps over the lazy dog " * 5
    for width in all_widths(text):
        lines = wrap(text, measure, width)
        assert " ".join(lines).split() == text.split()
        assert all(len(line) <= width for line in lines)


def test_paragraphs_are_kept_with_an_empty_line_between():
    assert wrap("one two\n\nthree", measure, 7) == ["one two", "", "three"]


@pytest.mark.parametrize("word", sorted(HANGING_WORDS))
def test_one_letter_russian_word_never_ends_a_line(word):
    text = f"Корабли сближались медленно {word} осторожно над самой Землёй"
    for width in all_widths(text, 12):
        lines = wrap(text, measure, width)
        assert all(line.split()[-1] != word for line in lines), (width, lines)


def test_hanging_word_is_the_same_letter_only_in_cyrillic():
    """The English article "a" (Latin) may end a line; the Russian conjunction "а" may not."""
    assert keeps_together("а", "потом")
    assert not keeps_together("a", "dog")


@pytest.mark.parametrize(
    "date",
    [
        "17 July 1975",
        "4 October 1957",
        "17 июля 1975 г.",
        f"17 июля 1975{NBSP}г.",
        "в январе 1966 года",
        "17. juli 1975",
        "2. september 2025",
        "16:09 UTC",
        "kl. 16.09 UTC",
        "108 minutes",
        "12 минут",
        "108 minutter",
        "0,15 м/с",
        "Soyuz 19",
        "Apollo 11",
        "F. Kennedy",
        "В. С. Сыромятников",
    ],
)
def test_dates_numbers_and_names_are_never_split(date):
    text = f"Something happened on {date}, and people still remember {date} today"
    for width in range(len(date) + 1, 60):  # + 1: the comma after the first one
        lines = wrap(text, measure, width)
        assert sum(date in line for line in lines) == 2, (width, lines)


def test_a_date_too_wide_for_the_box_is_broken_rather_than_overflowing():
    lines = wrap("on 17 September 1975 it", measure, 10)
    assert all(len(line) <= 10 for line in lines)
    assert " ".join(lines) == "on 17 September 1975 it"


def test_a_comma_ends_the_date():
    """ "July, 1975" is no date: the year may start the next line."""
    assert not keeps_together("July,", "1975")
    assert keeps_together("July", "1975")


def test_no_break_space_never_breaks():
    text = f"a b c Союз{NBSP}—{NBSP}Аполлон d e f g h"
    for width in range(len(f"Союз{NBSP}—{NBSP}Аполлон"), 30):
        lines = wrap(text, measure, width)
        assert any(f"Союз{NBSP}—{NBSP}Аполлон" in line for line in lines), (width, lines)


@pytest.mark.parametrize("dash", ["–", "—"])
def test_a_dash_never_starts_a_line(dash):
    text = f"Two systems, two languages {dash} joined at last over the Earth"
    for width in all_widths(text, 12):
        lines = wrap(text, measure, width)
        assert all(not line.startswith(dash) for line in lines), (width, lines)


def test_a_word_wider_than_the_box_is_cut_as_a_last_resort():
    lines = wrap("Рукопожатие", measure, 4)
    assert "".join(lines) == "Рукопожатие"
    assert all(len(line) <= 4 for line in lines)


def test_groups_join_what_belongs_together():
    assert groups("Стаффорд и Леонов пожали руки 17 июля 1975 г. в 19:19 UTC") == [
        ["Стаффорд"],
        ["и", "Леонов"],
        ["пожали"],
        ["руки"],
        ["17", "июля", "1975", "г."],
        ["в", "19:19", "UTC"],
    ]


def test_balanced_titles_keep_groups_whole():
    title = "Рукопожатие через люк 17 июля 1975 г."
    for width in range(len("17 июля 1975 г."), len(title) + 1):
        lines = wrap(title, measure, width)
        even = balanced(title, measure, width, len(lines))
        assert len(even) <= len(lines)
        assert any("17 июля 1975 г." in line for line in even), (width, even)
        assert max(map(len, even)) <= max(map(len, lines))


@pytest.mark.parametrize("label,text", story_texts(), ids=lambda v: v if ":" in v else "")
def test_story_text_breaks_well_at_every_width(label, text):
    """The real story, at every width: no hanging preposition, no split date, nothing lost."""
    dates = re.findall(
        r"\b\d{1,2}\.? (?:[A-Za-zА-Яа-яæøå]+) \d{4}(?:\u00a0г\.| г\.)?", text
    )  # e.g. 17 июля 1975 г.
    widest = max((len(" ".join(g)) for g in groups(text)), default=1)
    for width in range(widest, 80, 3):
        lines = wrap(text, measure, width)
        assert " ".join(lines).split() == text.split()
        assert all(len(line) <= width for line in lines)
        for line, following in itertools.pairwise(lines):
            assert line.split()[-1] not in HANGING_WORDS, (width, line)
            if re.search(r"\d$", line):
                assert following.split()[0].rstrip(",.") not in UNIT_WORDS, (width, lines)
        joined = "\n".join(lines)
        for date in dates:
            assert date in joined, (width, date, lines)


@pytest.mark.parametrize("word", ["до", "на", "от", "по", "из", "не", "Но"])
def test_two_letter_russian_word_is_not_left_at_the_end_either(word):
    text = f"Путь от рукопожатия {word} космической станции длился двадцать лет"
    for width in range(len(f"{word} космической"), 40):
        lines = wrap(text, measure, width)
        assert all(line.split()[-1] != word for line in lines), (width, lines)
