"""The storyboard and the story check staff run (``kiosk render``, ``kiosk content
check``): every screen drawn at every size, and the text on it audited."""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.content import ContentError, Story, load_story
from kiosk.exhibit import known_illustrations, load_content
from kiosk.layout import SUPPORTED_SIZES
from kiosk.scenes import context
from kiosk.settings import Config


def write_storyboard(
    config: Config,
    out: Path,
    sizes: list[tuple[int, int]],
    languages: list[str] | None,
    check: bool = False,
) -> int:
    """``kiosk render``: every screen of the story in ``languages`` (``["all"]``: every
    one; empty: the first) at ``sizes`` to PNG in ``out``; with ``check``, also check
    that all text fits and has enough contrast (exit status 1 if not)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from kiosk.render.fonts import FontBook, find_fonts
    from kiosk.storyboard import render_storyboard

    pygame.font.init()
    story = load_content(config)
    fonts = FontBook(find_fonts([config.font_dir]))
    audit = [] if check else None
    languages = list(story.codes) if languages == ["all"] else languages or [story.codes[0]]
    unknown = [code for code in languages if code not in story.codes]
    if unknown:
        print(f"No story in {', '.join(unknown)}: the languages are {', '.join(story.codes)}.")
        return 2
    written = render_storyboard(
        out,
        story,
        sizes,
        languages,
        fonts,
        context.default_illustrator(),
        audit,
    )
    sheets = [p for p in written if p.name == "contact-sheet.png"]
    print(
        f"Wrote {len(written)} pictures to {out}/ (contact sheet: "
        f"{', '.join(str(s) for s in sheets)})"
    )
    if audit is not None:
        bad = [r for r in audit if not r.fits or r.contrast < 4.5 or not r.box.contains(r.rect)]
        for r in bad:
            print(
                f"  text does not fit or is too faint: {r.text!r} (size {r.size}px, "
                f"contrast {r.contrast:.1f}:1)"
            )
        print(f"Checked {len(audit)} lines of text: {len(bad)} problems.")
        return 1 if bad else 0
    return 0


MIN_CONTRAST = 4.5


def screen_problems(story: Story, fonts: object) -> dict[str, list]:
    """Text that does not fit its box, or is too faint, on any screen at any size.

    ``fonts`` is the :class:`~kiosk.render.fonts.FontBook` the exhibit draws with.

    Each problem names the key whose text it is (found by the words on the line),
    with every size and screen where it happens.
    """
    from kiosk.content import ContentProblem, visible_text
    from kiosk.storyboard import audit_screens

    found: dict[str, dict[tuple[str, bool], list]] = {code: {} for code in story.codes}
    items = {code: visible_text(story.language(code)) for code in story.codes}
    chapter_ids = {c.id for c in story.language(story.codes[0]).chapters}
    for shot in audit_screens(
        story, SUPPORTED_SIZES, story.codes, fonts, context.default_illustrator()
    ):
        where = f"{shot.size[0]}×{shot.size[1]} ({shot.shot})"
        screen = shot.shot.split("-", 1)[1]
        prefix = (
            f'chapter "{screen}".'
            if screen in chapter_ids
            else "docking."
            if screen.startswith("docking")
            else "credits."
            if screen == "credits"
            else "ui."
        )
        for r in shot.records:
            overflows = not r.fits or not r.box.contains(r.rect)
            if not overflows and r.contrast >= MIN_CONTRAST:
                continue
            owners = [i for i in items[shot.language] if r.text in i.text]
            owners.sort(key=lambda i: not i.key.startswith(prefix))
            key = owners[0].key if owners else f"screen {screen}"
            places, worst = found[shot.language].setdefault((key, overflows), [[], 21.0])
            if where not in places:
                places.append(where)
            found[shot.language][(key, overflows)][1] = min(worst, r.contrast)
    result: dict[str, list] = {}
    for code, problems in found.items():
        lang = story.language(code)
        lines = {i.key: i.line for i in items[code]}
        result[code] = []
        for (key, overflows), (places, worst) in problems.items():
            at = ", ".join(places)
            message = (
                f"does not fit its box at {at}; shorten it"
                if overflows
                else f"is too faint at {at} (contrast {worst:.1f}:1 over the picture, "
                f"needs {MIN_CONTRAST}:1); shorten it"
            )
            result[code].append(ContentProblem(lang.path, lines.get(key), key, message))
    return result


def _count(n: int) -> str:
    return f"{n} problem" if n == 1 else f"{n} problems"


def check_story(config: Config) -> int:
    """``kiosk content check``: the story files in ``config.content_dir``, per language:
    keys against English, text fit on every screen at every size, glyphs.

    Every problem is printed as FILE:LINE: key: message, grouped by language; the
    exit status is 1 if there was any.
    """
    from kiosk.content import LANGUAGE_ORDER, glyph_problems, language_files, load_language

    directory = config.content_dir
    names = known_illustrations()
    paths, skipped = language_files(directory)
    for problem in skipped:
        print(problem)
    rank = {code: i for i, code in enumerate(LANGUAGE_ORDER)}
    paths.sort(key=lambda p: (rank.get(p.stem, 99), p.stem))
    if not any(p.stem == "en" for p in paths):
        print(f"{directory / 'en.toml'}: file: not found (English is the reference language)")
        return 1
    problems: dict[str, list] = {p.stem: [] for p in paths}
    loaded = {}
    for path in paths:
        try:
            loaded[path.stem] = load_language(path, names)
        except ContentError as exc:
            problems[path.stem].extend(exc.problems)
    try:
        story = load_story(directory, names)
    except ContentError as exc:
        for problem in exc.problems:
            if problem not in problems[problem.file.stem]:
                problems[problem.file.stem].append(problem)
                loaded.pop(problem.file.stem, None)
        good = {c: lang for c, lang in loaded.items() if not problems[c]}
        story = Story(good, tuple(c for c in problems if c in good)) if "en" in good else None

    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from kiosk.render.cmap import font_codepoints
    from kiosk.render.fonts import FontBook, find_fonts

    pygame.font.init()
    files = find_fonts([config.font_dir])
    charmaps = {files.path(bold).name: font_codepoints(files.path(bold)) for bold in (False, True)}
    for code, lang in loaded.items():
        problems[code].extend(glyph_problems(lang, charmaps))
    if story is not None:
        for code, found in screen_problems(story, FontBook(files)).items():
            problems[code].extend(found)
    total = 0
    for code, found in problems.items():
        for problem in found:
            print(problem)
        total += len(found)
        checked = "" if story is not None and code in story.codes else " (fit not checked)"
        status = _count(len(found)) if found else "OK"
        print(f"{code}: {directory / (code + '.toml')}: {status}{checked}")
    sizes = ", ".join(f"{w}×{h}" for w, h in SUPPORTED_SIZES)
    print(
        f"Checked {len(problems)} language(s) against en.toml, the fonts' character maps "
        f"and every screen at {sizes}: {_count(total)}."
    )
    if skipped:
        print(f"Skipped {len(skipped)} file(s) that are not language files (listed above).")
    return 1 if total else 0
