"""Staff save a broken story or config and reload; fonts or story files are missing at
start-up.  The exhibit refuses the edit precisely, keeps what it showed, and never
starts dark.

``tests/test_control.py`` already covers a misspelt story key and a misspelt config
key (``titel``, ``idle_timout``) and a reload that fails unexpectedly; here each
other kind of breakage goes through the running exhibit (``kiosk ctl reload`` over
the real socket, and a real SIGHUP), with the screen compared pixel for pixel.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.render import fonts as fonts_module
from tests.reliability.exhibit import Exhibit, Site, make_site

pytestmark = pytest.mark.reliability


# -- editing files as staff do ------------------------------------------------------------


def line_of(path: Path, start: str, nth: int = 1) -> int:
    """The 1-based number of the ``nth`` line of ``path`` that starts with ``start``."""
    found = [
        number
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.startswith(start)
    ]
    return found[nth - 1]


def set_line(path: Path, number: int, text: str | None) -> None:
    """Replace line ``number`` with ``text`` (``None``: delete it)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if text is None:
        del lines[number - 1]
    else:
        lines[number - 1] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def append(path: Path, text: str) -> int:
    """Append ``text``; return the number of its first line."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return len(before.splitlines()) + 1


# Each breakage edits the site's files and returns what the refusal must say:
# "FILE:LINE: key: what is wrong" with the way to fix it (one or more parts of it).
Breakage = Callable[[Site, Exhibit], str | tuple[str, ...]]


def says(text: str, expected: str | tuple[str, ...]) -> bool:
    """Whether ``text`` says everything ``expected`` lists."""
    return all(part in text for part in ((expected,) if isinstance(expected, str) else expected))


def story_syntax_error(site: Site, kiosk: Exhibit) -> str:
    en = site.story / "en.toml"
    number = line_of(en, "title = ", nth=3)  # the second chapter's title
    set_line(en, number, 'title = "Once Around the World')  # the closing quote forgotten
    return (
        f"{en}:{number}: syntax: ",
        "(check quotes and brackets; text goes in double quotes, long text in triple quotes)",
    )


def story_missing_key(site: Site, kiosk: Exhibit) -> str:
    en = site.story / "en.toml"
    chapter = kiosk.running.story.language("en").chapters[2]
    header = line_of(en, "[[chapter]]", nth=3)
    set_line(en, line_of(en, f"date = {chapter.date!r}".replace("'", '"')), None)
    return f'{en}:{header}: chapter "{chapter.id}".date: missing (every language needs it)'


def story_unknown_illustration(site: Site, kiosk: Exhibit) -> str:
    en = site.story / "en.toml"
    chapter = kiosk.running.story.language("en").chapters[3]
    number = line_of(en, f'illustration = "{chapter.illustration}"')
    set_line(en, number, f'illustration = "{chapter.illustration}s"')
    return (
        f'{en}:{number}: chapter "{chapter.id}".illustration: unknown illustration '
        f'"{chapter.illustration}s" (did you mean "{chapter.illustration}"?)'
    )


def story_other_language_broken(site: Site, kiosk: Exhibit) -> str:
    ru = site.story / "ru.toml"
    number = line_of(ru, "[docking]")
    set_line(ru, number, "[docking")
    return f"{ru}:{number}: syntax: "


def config_bad_value(site: Site, kiosk: Exhibit) -> str:
    number = append(site.config_file, '[exhibit]\nidle_timeout = "soon"\n') + 1
    return (
        f"{site.config_file}:{number}: exhibit.idle_timeout: expected a number of seconds, "
        "got 'soon'"
    )


def config_syntax_error(site: Site, kiosk: Exhibit) -> str:
    number = append(site.config_file, "[display\nfps = 20\n")
    return f"{site.config_file}:{number}: syntax: "


def config_misspelt_section(site: Site, kiosk: Exhibit) -> str:
    number = append(site.config_file, "[exibit]\nidle_timeout = 20\n")
    return f'{site.config_file}:{number}: exibit: unknown section (did you mean "exhibit"?)'


def config_shared_pin(site: Site, kiosk: Exhibit) -> str:
    first = append(site.config_file, "[gpio.buttons]\nback = 16\ndock = 16\n")
    return (
        f"{site.config_file}:{first + 2}: gpio.buttons.dock: expected a pin of its own, "
        "got GPIO 16, already used by gpio.buttons.back"
    )


BREAKAGES: dict[str, Breakage] = {
    "story syntax error": story_syntax_error,
    "story key missing": story_missing_key,
    "story names an unknown illustration": story_unknown_illustration,
    "Russian story file broken": story_other_language_broken,
    "config value wrong": config_bad_value,
    "config syntax error": config_syntax_error,
    "config section misspelt": config_misspelt_section,
    "config gives two buttons one pin": config_shared_pin,
}


@pytest.fixture
def kiosk(tmp_path: Path):
    with Exhibit(make_site(tmp_path, sensor=False)) as exhibit:
        yield exhibit


def on_chapter_two(kiosk: Exhibit) -> bytes:
    """A visitor reads chapter 2; the pixels on screen."""
    kiosk.press("next")
    kiosk.press("next")
    assert kiosk.page()[:2] == ("chapter", 2)
    return kiosk.pixels()


def still_the_old_exhibit(kiosk: Exhibit, before: bytes, old: tuple) -> None:
    """Nothing was swapped in; the page is as it was, and drawn from the old story."""
    app = kiosk.running
    assert (app.config, app.story) == old
    kiosk.settle()
    assert kiosk.pixels() == before
    kiosk.press("next")
    kiosk.press("back")
    assert kiosk.page()[:2] == ("chapter", 2)
    assert kiosk.pixels() == before  # drawn again, from the story in use


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_a_broken_edit_is_refused_by_kiosk_ctl_reload_with_file_line_and_fix(
    kiosk, breakage, caplog
) -> None:
    before = on_chapter_two(kiosk)
    old = (kiosk.running.config, kiosk.running.story)
    expected = breakage(kiosk.site, kiosk)
    code, out, err = kiosk.ctl("reload")
    assert (code, out) == (1, "")
    assert err.startswith("kiosk ctl: reload refused: nothing reloaded: the ")
    assert says(err, expected), err
    refusals = [r.getMessage() for r in caplog.records if "reload" in r.getMessage()]
    assert len(refusals) == 1 and says(refusals[0], expected)  # journalctl says it, once
    still_the_old_exhibit(kiosk, before, old)


def test_a_broken_edit_is_refused_on_sighup_and_the_log_says_where(kiosk, caplog) -> None:
    """``systemctl reload kiosk`` sends SIGHUP; ``kiosk run`` hands it to the app."""
    before = on_chapter_two(kiosk)
    old = (kiosk.running.config, kiosk.running.story)
    expected = story_unknown_illustration(kiosk.site, kiosk)
    previous = signal.signal(signal.SIGHUP, lambda signum, frame: kiosk.running.request_reload())
    try:
        os.kill(os.getpid(), signal.SIGHUP)
        assert kiosk.step_until(lambda: "reload on SIGHUP" in caplog.text)
    finally:
        signal.signal(signal.SIGHUP, previous)
    [refusal] = [r for r in caplog.records if "reload on SIGHUP" in r.getMessage()]
    assert refusal.levelno == logging.ERROR
    assert "reload on SIGHUP refused: nothing reloaded: the story files have 1 problem" in (
        refusal.getMessage()
    )
    assert says(refusal.getMessage(), expected)
    still_the_old_exhibit(kiosk, before, old)


# -- start-up with something missing ---------------------------------------------------


def works_on_buttons(kiosk: Exhibit) -> None:
    """The exhibit draws its attract loop and the buttons turn its pages."""
    assert kiosk.page()[0] == "attract"
    attract = kiosk.pixels()
    assert len(set(attract[: 3 * 800 * 240 : 3])) > 1  # not a blank screen
    pages = {attract}
    for _ in range(3):
        kiosk.press("next")
        pages.add(kiosk.pixels())
    assert kiosk.page()[:2] == ("chapter", 3)
    kiosk.press("language")
    pages.add(kiosk.pixels())
    assert len(pages) == 5  # every page looked different
    assert kiosk.running.errors.recent() == []


def font_errors(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == fonts_module.__name__ and r.levelno >= logging.WARNING
    ]


def test_with_no_usable_font_anywhere_it_runs_on_the_bundled_font_and_says_so_once(
    tmp_path, monkeypatch, caplog
) -> None:
    """An empty font folder on a system without fonts-dejavu-core."""
    monkeypatch.setattr(fonts_module, "SYSTEM_DIRS", ())
    with Exhibit(make_site(tmp_path, sensor=False)) as kiosk:
        works_on_buttons(kiosk)
        assert kiosk.ctl("reload")[0] == 0  # and again after a reload
        kiosk.press("next")
    found = font_errors(caplog)
    assert len(found) == 2, found  # one line per weight, however much was drawn
    for weight, line in zip(("regular", "bold"), found, strict=True):
        assert line.startswith(f"no {weight} font that can draw English, Russian and Norwegian")
        assert "install the Debian package fonts-dejavu-core" in line


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"\0not a font\0" * 100, id="not a font at all"),
        pytest.param(lambda data: data[: len(data) // 3], id="cut short by a bad copy"),
    ],
)
def test_a_damaged_font_file_falls_back_to_another_font_and_is_logged_once(
    tmp_path, monkeypatch, caplog, damage
) -> None:
    monkeypatch.setattr(fonts_module, "SYSTEM_DIRS", ())
    site = make_site(tmp_path, sensor=False)
    real = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not real.is_file():
        pytest.skip("needs DejaVu Sans (fonts-dejavu-core) to damage a copy of it")
    (site.fonts / real.name).write_bytes(damage(real.read_bytes()))
    with Exhibit(site) as kiosk:
        works_on_buttons(kiosk)
    about_the_file = [line for line in font_errors(caplog) if str(site.fonts / real.name) in line]
    assert len(about_the_file) == 1, font_errors(caplog)


STARTUP_DAMAGE: dict[str, Callable[[Site], Path]] = {
    "Russian file with a syntax error": lambda site: _break(site.story / "ru.toml", "[ui]", "[ui"),
    "Norwegian file with an unknown illustration": lambda site: _break(
        site.story / "nb.toml", 'illustration = "moon"', 'illustration = "mon"'
    ),
    "English file deleted": lambda site: _delete(site.story / "en.toml"),
    "story folder gone": lambda site: _delete(site.story),
}


def _break(path: Path, start: str, text: str) -> Path:
    set_line(path, line_of(path, start), text)
    return path


def _delete(path: Path) -> Path:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()
    return path


@pytest.mark.parametrize("damage", STARTUP_DAMAGE.values(), ids=STARTUP_DAMAGE.keys())
def test_a_damaged_story_at_start_up_shows_the_bundled_story_and_tells_staff(
    tmp_path, caplog, damage
) -> None:
    site = make_site(tmp_path, sensor=False)
    broken = damage(site)
    with Exhibit(site) as kiosk:
        works_on_buttons(kiosk)
        problems = kiosk.status()["problems"]
        overlay = kiosk.overlay()
    assert any(str(broken) in problem for problem in problems), problems
    assert "the bundled story" in problems[-1] and "kiosk ctl reload" in problems[-1]
    assert f"Config/story problems: {len(problems)}" in overlay
    logged = [r for r in caplog.records if "showing the bundled story" in r.getMessage()]
    assert len(logged) == 1 and str(broken) in logged[0].getMessage()


def test_a_deleted_language_file_leaves_the_others_and_is_logged(tmp_path, caplog) -> None:
    """nb.toml deleted (not broken): the exhibit speaks the languages it still has.

    The config starts visitors in Norwegian, which no longer exists: the exhibit
    starts them in English instead and says so (log and status)."""
    site = make_site(tmp_path, sensor=False, extra='[exhibit]\nlanguage = "nb"\n')
    (site.story / "nb.toml").unlink()
    with Exhibit(site) as kiosk:
        assert kiosk.running.story.codes == ("en", "ru")
        assert kiosk.page() == ("attract", None, "en")
        seen = []
        for _ in range(3):
            kiosk.press("language")
            seen.append(kiosk.page()[2])
        assert seen == ["ru", "en", "ru"]
        works_on_buttons(kiosk)
        [problem] = [p for p in kiosk.status()["problems"] if "exhibit.language" in p]
        line = line_of(site.config_file, "language = ")
        assert problem == (
            f"{site.config_file}:{line}: exhibit.language: there is no nb.toml in {site.story}, "
            "so visitors start in en (the story has en, ru)"
        )
        assert sum("exhibit.language" in r.getMessage() for r in caplog.records) == 1
        # a reload is refused until the config and the story agree again
        code, _, err = kiosk.ctl("reload")
        assert code == 1 and problem in err
        set_line(site.config_file, line, 'language = "ru"')
        assert kiosk.ctl("reload")[0] == 0
        assert kiosk.status()["problems"] == []
        assert kiosk.running.flow.default_language == "ru"
