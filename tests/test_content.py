"""The content loader: the real story is valid, and every staff mistake is named precisely."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest

from kiosk.content import (
    MAX_BODY_WORDS,
    MAX_CHAPTERS,
    MIN_CHAPTERS,
    ContentError,
    load_language,
    load_story,
)

STORY_DIR = Path(__file__).resolve().parent.parent / "assets" / "story"

EN = STORY_DIR / "en.toml"


@pytest.fixture
def en_text() -> str:
    return EN.read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "en.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str, nth: int = 0) -> int:
    lines = [
        i
        for i, line in enumerate(text.splitlines(), 1)
        if line.lstrip().startswith(needle)
        or (needle in line and not line.lstrip().startswith("#"))
    ]
    return lines[nth]


def problems(path: Path, names) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_language(path, names)
    return [str(p) for p in info.value.problems]


def test_real_story_is_complete(story, illustration_names):
    en = story.language("en")
    assert MIN_CHAPTERS <= len(en.chapters) <= MAX_CHAPTERS
    assert en.chapters[0].id == "sputnik" and en.chapters[-1].illustration == "iss"
    assert story.dock_chapter is not None and en.chapters[story.dock_chapter].id == "docking"
    for chapter in en.chapters:
        assert chapter.illustration in illustration_names
        assert len(chapter.body.split()) <= MAX_BODY_WORDS
        assert chapter.date and chapter.title
    assert "Carving out space for peace" in en.credits.essay
    assert "Syse" in en.credits.essay and "PRIO" in en.credits.essay


def test_required_illustrations_are_used(story):
    used = {c.illustration for c in story.language("en").chapters}
    assert {"sputnik", "vostok", "spacewalk", "moon", "docking", "handshake"} <= used


def test_missing_key_names_file_line_and_key(tmp_path, en_text, illustration_names):
    broken = en_text.replace('title = "A New Star in the Sky"\n', "", 1)
    path = write(tmp_path, broken)
    [message] = problems(path, illustration_names)
    assert message.startswith(f"{path}:{line_of(broken, '[[chapter]]', 0)}: ")
    assert 'chapter "sputnik".title: missing' in message


def test_misspelt_key_suggests_the_right_one(tmp_path, en_text, illustration_names):
    broken = en_text.replace("dock_hint =", "dok_hint =", 1)
    path = write(tmp_path, broken)
    messages = problems(path, illustration_names)
    line = line_of(broken, "dok_hint")
    assert f'{path}:{line}: ui.dok_hint: unknown key (did you mean "dock_hint"?)' in messages
    assert any("ui.dock_hint: missing" in m for m in messages)


def test_syntax_error_gives_the_line(tmp_path, en_text, illustration_names):
    broken = en_text.replace('title = "Once Around the World"', 'title = "Once Around the World')
    path = write(tmp_path, broken)
    [message] = problems(path, illustration_names)
    line = line_of(broken, "Once Around the World")
    assert message.startswith(f"{path}:{line}: syntax:")


def test_body_too_long_is_refused_with_its_word_count(tmp_path, en_text, illustration_names):
    long_body = " ".join(["word"] * 120)
    broken = re.sub(
        r'body = """The space race.*?"""', f'body = """{long_body}"""', en_text, count=1, flags=re.S
    )
    path = write(tmp_path, broken)
    [message] = problems(path, illustration_names)
    assert f":{line_of(broken, long_body[:20])}: " in message
    assert "has 120 words" in message


def test_unknown_illustration_lists_known_ones(tmp_path, en_text, illustration_names):
    broken = en_text.replace('illustration = "vostok"', 'illustration = "vostock"')
    path = write(tmp_path, broken)
    [message] = problems(path, illustration_names)
    assert 'unknown illustration "vostock" (did you mean "vostok"?)' in message
    assert f":{line_of(broken, 'vostock')}: " in message


def test_progress_placeholder_is_checked(tmp_path, en_text, illustration_names):
    broken = en_text.replace('progress = "{n} of {total}"', 'progress = "{n} of {totl}"')
    [message] = problems(write(tmp_path, broken), illustration_names)
    assert "ui.progress: must use {n}, {total}" in message


def test_duplicate_chapter_ids_are_refused(tmp_path, en_text, illustration_names):
    broken = en_text.replace('id = "gagarin"', 'id = "sputnik"')
    messages = problems(write(tmp_path, broken), illustration_names)
    assert any("duplicates the id of chapter 1" in m for m in messages)


def test_wrong_type_for_dock(tmp_path, en_text, illustration_names):
    broken = en_text.replace("dock = true", 'dock = "yes"')
    [message] = problems(write(tmp_path, broken), illustration_names)
    assert "dock: must be true or false" in message


def test_file_name_and_language_must_match(tmp_path, en_text, illustration_names):
    path = write(tmp_path, en_text, "ru.toml")
    [message] = problems(path, illustration_names)
    assert 'meta.language: is "en" but the file is named ru.toml' in message


def test_story_needs_english_and_matching_chapters(tmp_path, en_text, illustration_names):
    with pytest.raises(ContentError, match=r"en\.toml: file: not found"):
        load_story(tmp_path, illustration_names)
    write(tmp_path, en_text)
    other = en_text.replace('language = "en"', 'language = "xx"').replace(
        'id = "legacy"', 'id = "heritage"'
    )
    write(tmp_path, other, "xx.toml")
    with pytest.raises(ContentError, match=r"xx\.toml: chapter: chapters differ from en\.toml"):
        load_story(tmp_path, illustration_names)


def test_second_language_orders_after_english(tmp_path, en_text, illustration_names):
    shutil.copy(EN, tmp_path / "en.toml")
    write(tmp_path, en_text.replace('language = "en"', 'language = "aa"'), "aa.toml")
    story = load_story(tmp_path, illustration_names)
    assert story.codes == ("en", "aa")


def test_not_utf8_is_reported(tmp_path, illustration_names):
    path = tmp_path / "en.toml"
    path.write_bytes(b"\xff\xfe title")
    [message] = problems(path, illustration_names)
    assert "is not UTF-8 text" in message


def test_a_backup_in_the_story_folder_is_skipped_with_one_warning(
    tmp_path, en_text, illustration_names, caplog
):
    shutil.copy(EN, tmp_path / "en.toml")
    nb = en_text.replace('language = "en"', 'language = "nb"')
    write(tmp_path, nb, "nb.toml")
    write(tmp_path, nb, "nb-old.toml")  # staff's backup of the Norwegian text
    write(tmp_path, en_text, "EN.toml")
    with caplog.at_level(logging.WARNING):
        story = load_story(tmp_path, illustration_names)
    assert story.codes == ("en", "nb")
    assert [str(p) for p in story.skipped] == [
        f"{tmp_path / name}: file: skipped: not a language file (those are named by their "
        "language code, e.g. nb.toml); move a backup out of the story folder or rename it "
        "to end in .bak"
        for name in ("EN.toml", "nb-old.toml")
    ]
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert str(tmp_path / "nb-old.toml") in warning and str(tmp_path / "EN.toml") in warning


def test_a_language_file_must_say_its_own_language(tmp_path, en_text, illustration_names):
    shutil.copy(EN, tmp_path / "en.toml")
    write(tmp_path, en_text, "nb.toml")  # a copy of en.toml not yet translated
    with pytest.raises(ContentError, match=r'nb\.toml:\d+: meta\.language: is "en"'):
        load_story(tmp_path, illustration_names)


def test_missing_docking_key_is_named_like_the_others(tmp_path, en_text, illustration_names):
    broken = re.sub(r"(?m)^separating = .*\n", "", en_text, count=1)
    assert broken != en_text
    path = write(tmp_path, broken)
    [message] = problems(path, illustration_names)
    assert message.startswith(f"{path}:{line_of(broken, '[docking]')}: ")
    assert "docking.separating: missing" in message


def test_too_many_chapters_are_refused_with_the_limits(tmp_path, en_text, illustration_names):
    last = en_text.rindex("[[chapter]]")
    block = en_text[last : en_text.index("[credits]", last)]
    have = len(re.findall(r"(?m)^\[\[chapter\]\]$", en_text))
    extra = "".join(
        block.replace('id = "legacy"', f'id = "extra-{k}"') for k in range(MAX_CHAPTERS + 1 - have)
    )
    path = write(tmp_path, en_text[:last] + block + extra + en_text[en_text.index("[credits]") :])
    messages = problems(path, illustration_names)
    assert any(
        f"has {MAX_CHAPTERS + 1} chapters; expected {MIN_CHAPTERS} to {MAX_CHAPTERS}" in m
        for m in messages
    ), messages
