"""English, Russian and Norwegian: every key in every language, every screen fits at
every size, every character is in the font, and the Language button keeps the place."""

from __future__ import annotations

import logging
import shutil
import struct
import subprocess
from dataclasses import replace
from pathlib import Path

import pygame
import pytest

from kiosk.cli import main
from kiosk.content import ContentError, glyph_problems, load_language, load_story, visible_text
from kiosk.core.events import Action
from kiosk.core.flow import Flow, Page, Screen, Timings
from kiosk.layout import SUPPORTED_SIZES, Box
from kiosk.render import fonts as fonts_module
from kiosk.render.cmap import CmapError, font_codepoints, read_cmap
from kiosk.render.fonts import FontBook, bundled_font, find_fonts
from kiosk.renderer import Renderer
from kiosk.scenes.context import SceneContext
from kiosk.settings import Config
from kiosk.storyboard import shots as storyboard_shots
from tests.support.exhibit import app_for

STORY_DIR = Path(__file__).resolve().parent.parent / "assets" / "story"
NAMES = {"en": "English", "ru": "Русский", "nb": "Norsk"}
MIN_CONTRAST = 4.5
T0 = 1000.0


@pytest.fixture(scope="module")
def fonts(pygame_ready) -> FontBook:
    return FontBook(find_fonts([]))


@pytest.fixture(scope="module")
def charmaps(fonts) -> dict[str, frozenset[int]]:
    files = fonts.files
    return {files.path(b).name: font_codepoints(files.path(b)) for b in (False, True)}


@pytest.fixture
def story_copy(tmp_path) -> Path:
    for path in STORY_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def line_of(path: Path, needle: str) -> int:
    return next(
        n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line
    )


# -- the languages and their keys ----------------------------------------------


def test_three_languages_in_the_button_order(story):
    """The mission's two languages, then the essay's; each named in its own language."""
    assert story.codes == ("en", "ru", "nb")
    assert {code: story.language(code).name for code in story.codes} == NAMES


def test_every_key_exists_in_every_language(story):
    english = [item.key for item in visible_text(story.language("en"))]
    reference = story.language("en").chapters
    for code in story.codes:
        lang = story.language(code)
        assert [item.key for item in visible_text(lang)] == english, code
        assert [(c.id, c.illustration, c.dock) for c in lang.chapters] == [
            (c.id, c.illustration, c.dock) for c in reference
        ]
        assert all(item.line for item in visible_text(lang)), code


def test_credits_name_the_essay_in_every_language(story):
    for code in story.codes:
        essay = story.language(code).credits.essay
        assert "Carving out space for peace" in essay and "PRIO" in essay, code
        assert "Syse" in essay or "Сюсе" in essay, code


@pytest.mark.parametrize(
    "code,expected",
    [
        ("ru", ["17 июля 1975\u00a0г.", "Леонов", "Стаффорд", "«Союз-19»"]),
        ("nb", ["17. juli 1975", "Leonov", "Stafford", "Sojus 19"]),
        ("en", ["17 July 1975", "Leonov", "Stafford", "Soyuz 19"]),
    ],
)
def test_names_and_dates_are_written_for_each_language(story, code, expected):
    text = "\n".join(item.text for item in visible_text(story.language(code)))
    for word in expected:
        assert word in text, word


def test_russian_typography(story):
    """Quotes «…», a no-break space before every dash, none of the English quotes."""
    for item in visible_text(story.language("ru")):
        if item.key.startswith("credits.sources") or item.key == "credits.essay":
            continue  # English titles of English sources keep their own punctuation
        assert "“" not in item.text and '"' not in item.text, item.key
        assert " —" not in item.text and " –" not in item.text, item.key
        assert item.text.count("«") == item.text.count("»"), item.key


def test_norwegian_dates_and_times(story):
    lang = story.language("nb")
    for chapter in lang.chapters:
        assert "July" not in chapter.date and ":" not in chapter.date
    assert lang.docking["decimal"] == ","


def test_a_removed_key_is_reported_with_file_line_and_key(story_copy, illustration_names):
    ru = story_copy / "ru.toml"
    text = ru.read_text("utf-8")
    removed = next(line for line in text.splitlines() if line.startswith("grip_hint ="))
    ru.write_text(text.replace(removed + "\n", ""), "utf-8")
    with pytest.raises(ContentError) as info:
        load_story(story_copy, illustration_names)
    assert [str(p) for p in info.value.problems] == [
        f"{ru}:{line_of(ru, '[docking]')}: docking.grip_hint: missing (every language needs it)"
    ]


def test_content_check_reports_missing_and_extra_keys_per_language(story_copy, mocker, capsys):
    nb, ru = story_copy / "nb.toml", story_copy / "ru.toml"
    text = nb.read_text("utf-8")
    removed = next(line for line in text.splitlines() if line.startswith("credits_hint ="))
    nb.write_text(text.replace(removed + "\n", ""), "utf-8")
    text = ru.read_text("utf-8")
    ru.write_text(text.replace("[docking]\n", '[docking]\ngrip_hnt = "Лишний"\n'), "utf-8")
    # The keys are the point here; the screens are checked at one size to keep this quick.
    mocker.patch("kiosk.audit.SUPPORTED_SIZES", ((800, 480),))
    assert main(["content", "check", str(story_copy)]) == 1
    out = capsys.readouterr().out
    assert f"{nb}:{line_of(nb, '[ui]')}: ui.credits_hint: missing (every language needs it)" in out
    assert (
        f'{ru}:{line_of(ru, "grip_hnt")}: docking.grip_hnt: unknown key (did you mean "grip_hint"?)'
        in out
    )
    assert f"en: {story_copy / 'en.toml'}: OK" in out
    assert f"nb: {nb}: 1 problem (fit not checked)" in out


def test_content_check_reports_text_that_does_not_fit_and_missing_glyphs(
    story_copy, mocker, capsys
):
    ru, nb = story_copy / "ru.toml", story_copy / "nb.toml"
    long_title = "Главный конструктор космических кораблей и ракет Советского Союза"
    text = ru.read_text("utf-8").replace('"Главный конструктор"', f'"{long_title}"')
    ru.write_text(text, "utf-8")
    nb.write_text(nb.read_text("utf-8").replace("Sjefkonstruktøren", "Sjef漢"), "utf-8")
    mocker.patch("kiosk.audit.SUPPORTED_SIZES", ((800, 480),))
    assert main(["content", "check", str(story_copy)]) == 1
    out = capsys.readouterr().out
    assert (
        f'{ru}:{line_of(ru, long_title)}: chapter "korolev".title: does not fit its box at '
        "800×480 (05-korolev); shorten it"
    ) in out
    assert f'{nb}:{line_of(nb, "Sjef漢")}: chapter "korolev".title: the font ' in out
    assert "'漢' (U+6F22)" in out
    assert f"en: {story_copy / 'en.toml'}: OK" in out


# -- every screen fits, in every language, at every size ---------------------------


@pytest.fixture(scope="module")
def audits(screen_audits, story) -> dict[tuple[str, tuple[int, int]], dict[str, list]]:
    """Every shot of every language at every size (the session's audit, drawn once)."""
    return {
        (code, size): {
            name: list(shot.records) for name, shot in screen_audits.shots(code, size).items()
        }
        for size in SUPPORTED_SIZES
        for code in story.codes
    }


@pytest.mark.parametrize("code", ["en", "ru", "nb"])
@pytest.mark.parametrize("size", SUPPORTED_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_fits_in_every_language(audits, story, code, size):
    screen = Box(0, 0, *size)
    shots = audits[(code, size)]
    assert list(shots) == [s.name for s in storyboard_shots(story, code)]
    problems = []
    for name, records in shots.items():
        assert records, f"{name} drew no text"
        for r in records:
            where = f"{code} {name} @ {size[0]}x{size[1]}: {r.text!r}"
            if not r.fits:
                problems.append(f"{where} had to be squeezed below its minimum size")
            if not r.box.contains(r.rect) or not screen.contains(r.rect):
                problems.append(f"{where} leaves its box {r.box} (drawn at {r.rect})")
            if r.contrast < MIN_CONTRAST:
                problems.append(f"{where} has contrast {r.contrast:.2f}:1")
    assert problems == []


@pytest.mark.parametrize("code", ["ru", "nb"])
def test_story_text_is_as_readable_as_in_english(audits, story, code):
    """Bodies are set at least 30 px tall at 1920×1080, like the English ones."""
    shots = audits[(code, (1920, 1080))]
    for i, chapter in enumerate(story.language(code).chapters):
        first = chapter.body.split()[0]
        body = [r for r in shots[f"{i + 1:02d}-{chapter.id}"] if r.text.startswith(first)]
        assert body and body[0].size >= 30, f"{code} {chapter.id} body set at {body[0].size}px"


def test_no_line_ends_with_a_one_letter_russian_word(audits):
    hanging = set("вксуоиаяВКСУОИАЯ")
    for size in SUPPORTED_SIZES:
        for name, records in audits[("ru", size)].items():
            for r in records:
                assert r.text.split()[-1] not in hanging, (size, name, r.text)


# -- every character is in the font (character map, not rendering) ---------------


def test_the_exhibit_font_is_dejavu_sans(fonts):
    if not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").is_file():
        pytest.skip("fonts-dejavu-core is not installed (CI installs it)")
    assert fonts.files.regular.name == "DejaVuSans.ttf"
    assert fonts.files.bold.name == "DejaVuSans-Bold.ttf"


def test_no_character_of_any_language_is_missing_from_the_font(story, charmaps):
    for code in story.codes:
        assert glyph_problems(story.language(code), charmaps) == [], code


def test_glyph_check_names_file_line_and_key(story_copy, illustration_names, charmaps):
    ru = story_copy / "ru.toml"
    text = ru.read_text("utf-8")
    ru.write_text(text.replace('title = "Шаг в пустоту"', 'title = "Шаг в 漢 пустоту"'), "utf-8")
    problems = [str(p) for p in glyph_problems(load_language(ru, illustration_names), charmaps)]
    line = line_of(ru, "漢")
    assert problems and all(
        p.startswith(f'{ru}:{line}: chapter "spacewalk".title: the font ') for p in problems
    )
    assert "'漢' (U+6F22)" in problems[0]


def test_pygame_bundled_font_cannot_draw_a_no_break_space(story, illustration_names):
    """Why the exhibit does not use pygame's own font, measured from its character map."""
    bundled = {bundled_font().name: font_codepoints(bundled_font())}
    problems = glyph_problems(story.language("ru"), bundled)
    assert any("'\\xa0' (U+00A0)" in str(p) for p in problems)


def test_missing_fonts_are_logged_with_what_will_show_as_boxes(monkeypatch, caplog):
    monkeypatch.setattr(fonts_module, "SYSTEM_DIRS", ())
    with caplog.at_level(logging.ERROR, logger="kiosk.render.fonts"):
        files = find_fonts([])
    assert files.regular is None and files.bold is None
    assert files.path() == bundled_font()
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert all("U+00A0" in m and "fonts-dejavu-core" in m for m in messages)


def test_a_font_without_cyrillic_is_passed_over(tmp_path, monkeypatch, caplog, pygame_ready):
    shutil.copy(bundled_font(), tmp_path / "DejaVuSans.ttf")  # wrong font under the right name
    monkeypatch.setattr(fonts_module, "SYSTEM_DIRS", ())
    with caplog.at_level(logging.WARNING, logger="kiosk.render.fonts"):
        files = find_fonts([tmp_path])
    assert files.regular is None
    assert any(
        str(tmp_path / "DejaVuSans.ttf") in r.getMessage() and "U+00A0" in r.getMessage()
        for r in caplog.records
    )


def _sfnt(subtables: list[tuple[int, int, bytes]]) -> bytes:
    """A minimal font file holding only a cmap table with ``subtables``."""
    records = b""
    offset = 4 + 8 * len(subtables)
    bodies = b""
    for platform, encoding, body in subtables:
        records += struct.pack(">HHI", platform, encoding, offset + len(bodies))
        bodies += body
    cmap = struct.pack(">HH", 0, len(subtables)) + records + bodies
    return (
        struct.pack(">4sHHHH", b"\x00\x01\x00\x00", 1, 16, 0, 0)
        + struct.pack(">4sIII", b"cmap", 0, 12 + 16, len(cmap))
        + cmap
    )


def _format4() -> bytes:
    # A–C by delta (glyphs 1–3); Ж, З through the glyph array (З → glyph 0: missing);
    # the closing 0xFFFF segment maps to glyph 0.
    starts, ends = [0x41, 0x416, 0xFFFF], [0x43, 0x417, 0xFFFF]
    deltas = [(1 - 0x41) & 0xFFFF, 0, 1]
    segs = len(starts)
    range_offsets = [0, 2 * (segs - 1), 0]  # from its own slot to glyph_ids[0]
    glyph_ids = [5, 0]
    body = struct.pack(f">{segs}H", *ends) + b"\0\0" + struct.pack(f">{segs}H", *starts)
    body += struct.pack(f">{segs}H", *deltas) + struct.pack(f">{segs}H", *range_offsets)
    body += struct.pack(f">{len(glyph_ids)}H", *glyph_ids)
    return struct.pack(">7H", 4, 14 + len(body), 0, 2 * segs, 0, 0, 0) + body


def _format12() -> bytes:
    groups = [(0x20, 0x20, 0), (0x1F680, 0x1F681, 10)]  # the space maps to glyph 0: missing
    body = b"".join(struct.pack(">III", *g) for g in groups)
    return struct.pack(">HHIII", 12, 0, 16 + len(body), 0, len(groups)) + body


def test_cmap_formats_4_and_12_are_read_exactly():
    assert read_cmap(_sfnt([(3, 1, _format4())])) == {0x41, 0x42, 0x43, 0x416}
    assert read_cmap(_sfnt([(3, 10, _format12())])) == {0x1F680, 0x1F681}
    both = _sfnt([(1, 0, struct.pack(">HHH", 0, 262, 0) + bytes(256)), (3, 1, _format4())])
    assert read_cmap(both) == {0x41, 0x42, 0x43, 0x416}  # the Mac table is ignored


def test_cmap_refuses_what_is_not_a_font():
    with pytest.raises(CmapError, match="not a TrueType/OpenType font"):
        read_cmap(b"GIF89a" + bytes(64))
    with pytest.raises(CmapError, match="ends early"):
        read_cmap(_sfnt([(3, 1, _format4())])[:40])


@pytest.mark.skipif(not shutil.which("fc-query"), reason="needs fontconfig's fc-query")
def test_cmap_agrees_with_fontconfig(fonts):
    for path in {fonts.files.path(False), fonts.files.path(True), bundled_font()}:
        out = subprocess.run(
            ["fc-query", "--format", "%{charset}", str(path)],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        expected: set[int] = set()
        for part in out.split():
            low, _, high = part.partition("-")
            expected.update(range(int(low, 16), int(high or low, 16) + 1))
        assert font_codepoints(path) == expected, path


# -- the Language button keeps the visitor's place ------------------------------------


def flow_for(story, default: str = "en") -> Flow:
    return Flow(story.chapter_count, story.dock_chapter, story.codes, default, Timings(), T0)


def test_language_mid_chapter_keeps_the_chapter(story):
    flow = flow_for(story)
    for i in range(5):
        flow.handle(Action.NEXT, T0 + i)
    assert flow.state.page == Page(Screen.CHAPTER, 4, "en")
    seen = []
    for i in range(3):
        flow.handle(Action.LANGUAGE, T0 + 10 + i)
        seen.append(flow.state.page)
    assert seen == [Page(Screen.CHAPTER, 4, code) for code in ("ru", "nb", "en")]


def test_language_mid_animation_keeps_the_docking_clock(story):
    flow = flow_for(story)
    flow.go_to_chapter(story.dock_chapter, T0)
    flow.handle(Action.DOCK, T0 + 1)
    assert flow.state.screen is Screen.DOCKING
    for i, code in enumerate(("ru", "nb", "en", "ru")):
        now = T0 + 5 + 3 * i
        before = flow.state
        flow.handle(Action.LANGUAGE, now)
        after = flow.state
        assert after.page == Page(Screen.DOCKING, 0, code)
        # Everything but the language is kept: the animation's clock, where it leads,
        # where it came from (and the visitor's grip, if any).
        assert replace(after, page=before.page, previous=before.previous) == before
        assert flow.docking_time(now) == pytest.approx(now - (T0 + 1))
    flow.handle(Action.NEXT, T0 + 20)  # leave the docking: the story goes on, in Russian
    assert flow.state.page == Page(Screen.CHAPTER, story.dock_chapter + 1, "ru")


@pytest.mark.parametrize("default", ["en", "ru", "nb"])
def test_idle_returns_to_the_configured_language(story, default):
    flow = flow_for(story, default)
    flow.handle(Action.NEXT, T0)
    flow.handle(Action.LANGUAGE, T0 + 1)
    assert flow.language != default
    flow.tick(T0 + 1 + Timings().idle_timeout + 0.1)
    assert flow.state.page == Page(Screen.ATTRACT, 0, default)


def _difference(a: pygame.Surface, b: pygame.Surface) -> float:
    w, h = a.get_size()
    total = count = 0
    for y in range(2, h, 6):
        for x in range(2, w, 6):
            pa, pb = a.get_at((x, y)), b.get_at((x, y))
            total += abs(pa.r - pb.r) + abs(pa.g - pb.g) + abs(pa.b - pb.b)
            count += 1
    return total / count


def test_language_key_redraws_the_same_chapter_in_russian(story, clock, fonts, illustrate):
    pygame.display.init()
    try:
        screen = pygame.display.set_mode((800, 480))
        app = app_for(screen, story, Config(idle_timeout=30), clock=clock)

        def press(key: int) -> None:
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=""))
            app.step()
            clock.advance(2.0)  # past the page transition
            app.step()

        for _ in range(3):
            press(pygame.K_RIGHT)
        press(pygame.K_l)
        assert app.flow.state.page == Page(Screen.CHAPTER, 2, "ru")
        shown = screen.copy()
        proof = Renderer(SceneContext((800, 480), story, fonts, illustrate))
        russian = proof.page_surface(Page(Screen.CHAPTER, 2, "ru"), 0.0)
        english = proof.page_surface(Page(Screen.CHAPTER, 2, "en"), 0.0)
        assert _difference(shown, russian) < 1.0 < _difference(shown, english)
    finally:
        pygame.display.quit()
