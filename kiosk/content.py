"""Load and validate the story text that staff edit: ``assets/story/<lang>.toml``.

Every visible word comes from these files, keyed by language.  The loader is
strict so that a staff typo never reaches a visitor: any problem becomes a
:class:`ContentProblem` naming the file, the line, the key and what is wrong,
and :func:`load_story` raises :class:`ContentError` with all of them at once.

Pure: no pygame.  The set of known illustration names is passed in.
"""

from __future__ import annotations

import logging
import re
import string
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kiosk.exc import ContentError
from kiosk.settings.tomlpos import Locator, error_line, suggest

log = logging.getLogger(__name__)

#: Keys of the ``[ui]`` table and the placeholders each may (must) use.
UI_KEYS: dict[str, frozenset[str]] = {
    "title": frozenset(),
    "subtitle": frozenset(),
    "attract_prompt": frozenset(),
    "attract_dock_prompt": frozenset(),
    "back": frozenset(),
    "next": frozenset(),
    "dock": frozenset(),
    "language": frozenset(),
    "progress": frozenset({"n", "total"}),
    "dock_hint": frozenset(),
    "credits_hint": frozenset(),
}
#: Keys of the ``[docking]`` table (captions and telemetry labels).
DOCKING_KEYS: tuple[str, ...] = (
    "title",
    "approach",
    "capture",
    "docked",
    "range",
    "rate",
    "clock",
    "metres",
    "metres_per_second",
    "separating",
    "decimal",
    "skip_hint",
    "handshake",
    "grip_hint",
    "eclipse",
    "closing_story",
    "closing_credits",
)
CHAPTER_KEYS: tuple[str, ...] = ("id", "date", "title", "illustration", "body")
CHAPTER_OPTIONAL: tuple[str, ...] = ("dock",)
CREDITS_KEYS: tuple[str, ...] = ("title", "essay", "sources", "note")
META_KEYS: tuple[str, ...] = ("language", "name")
TOP_KEYS: tuple[str, ...] = ("meta", "ui", "docking", "chapter", "credits")

#: The Language button's order: the mission's two languages, then the essay's.
#: Other language files follow, alphabetically.
LANGUAGE_ORDER: tuple[str, ...] = ("en", "ru", "nb")
MIN_CHAPTERS = 10
MAX_CHAPTERS = 16  # the footer's progress dots fit up to this many at 800x480
#: A body a visitor can read standing; the loader refuses longer ones.
MAX_BODY_WORDS = 90
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: A language file is named by its language code: ``en.toml``, ``nb.toml``, ``smj.toml``.
_CODE_RE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True, slots=True)
class ContentProblem:
    """One thing wrong with a content file, formatted for staff."""

    file: Path
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        return f"{where}: {self.key}: {self.message}"


@dataclass(frozen=True, slots=True)
class Chapter:
    """One chapter of the story."""

    id: str
    date: str
    title: str
    illustration: str
    body: str
    dock: bool = False


@dataclass(frozen=True, slots=True)
class Credits:
    """The closing credits screen."""

    title: str
    essay: str
    sources: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class Language:
    """All visible text in one language."""

    code: str
    name: str
    ui: Mapping[str, str]
    docking: Mapping[str, str]
    chapters: tuple[Chapter, ...]
    credits: Credits
    path: Path


@dataclass(frozen=True, slots=True)
class Story:
    """Every language of the story; ``codes`` is the order of the Language button."""

    languages: Mapping[str, Language]
    codes: tuple[str, ...]
    #: Files in the story folder that are not language files (e.g. a backup
    #: ``nb-old.toml``), each as a problem saying it was skipped.
    skipped: tuple[ContentProblem, ...] = ()

    @property
    def chapter_count(self) -> int:
        """Number of chapters (the same in every language)."""
        return len(self.languages[self.codes[0]].chapters)

    def language(self, code: str) -> Language:
        """The language ``code``, or the first one if it is not available."""
        return self.languages.get(code) or self.languages[self.codes[0]]

    @property
    def dock_chapter(self) -> int | None:
        """Index of the chapter from which Dock plays the docking, if any."""
        for i, chapter in enumerate(self.languages[self.codes[0]].chapters):
            if chapter.dock:
                return i
        return None


class _Checker:
    """Collects problems for one file."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.locate = Locator(text)
        self.problems: list[ContentProblem] = []

    def add(self, key: str, message: str, table: str = "", name: str = "", index=None) -> None:
        line = self.locate.line(table, name, index)
        self.problems.append(ContentProblem(self.path, line, key, message))

    def table(self, data: Mapping, table: str, label: str, index: int | None = None) -> dict:
        value = data.get(table) if index is None else data
        if not isinstance(value, dict):
            self.add(label, f"missing table [{table}]", table)
            return {}
        return value

    def strings(
        self,
        data: Mapping,
        required: Iterable[str],
        table: str,
        label: str,
        index: int | None = None,
        optional: Iterable[str] = (),
    ) -> dict[str, str]:
        required = list(required)
        allowed = set(required) | set(optional)
        out: dict[str, str] = {}
        for key in data:
            if key not in allowed:
                self.add(
                    f"{label}.{key}",
                    f"unknown key{suggest(key, allowed)}",
                    table,
                    key,
                    index,
                )
        for key in required:
            value = data.get(key)
            if value is None:
                self.add(f"{label}.{key}", "missing (every language needs it)", table, "", index)
            elif not isinstance(value, str):
                self.add(
                    f"{label}.{key}",
                    f"expected text in quotes, got {type(value).__name__}",
                    table,
                    key,
                    index,
                )
            elif not value.strip():
                self.add(f"{label}.{key}", "is empty", table, key, index)
            else:
                out[key] = value.strip()
        return out


def _placeholders(template: str) -> set[str] | None:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError:
        return None


def _normalise_body(text: str) -> str:
    """Join wrapped lines; keep blank lines as paragraph breaks.

    Only ordinary white space is collapsed: a no-break space (U+00A0) stays.
    """
    paragraphs = re.split(r"\n[ \t\r]*\n", text.strip(" \t\r\n"))
    return "\n\n".join(" ".join(re.split(r"[ \t\r\n]+", p.strip(" \t\r\n"))) for p in paragraphs)


def _read_language_file(path: Path) -> tuple[str, dict]:
    """The text of a language file and its TOML data; :class:`ContentError` if unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError([ContentProblem(path, None, "file", "not found")]) from None
    except UnicodeDecodeError as exc:
        raise ContentError(
            [ContentProblem(path, None, "file", f"is not UTF-8 text ({exc.reason})")]
        ) from None
    except OSError as exc:
        raise ContentError([ContentProblem(path, None, "file", exc.strerror or str(exc))]) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = error_line(exc)
        hint = "check quotes and brackets; text goes in double quotes, long text in triple quotes"
        raise ContentError([ContentProblem(path, line, "syntax", f"{message} ({hint})")]) from None


def load_language(path: Path, illustrations: Iterable[str]) -> Language:
    """Load and validate one language file; raise :class:`ContentError` on any problem."""
    path = Path(path)
    text, data = _read_language_file(path)
    check = _Checker(path, text)
    for key in data:
        if key not in TOP_KEYS:
            check.add(key, f"unknown table or key{suggest(key, TOP_KEYS)}", "", key)
    meta = _check_meta(check, data, path)
    ui = _check_ui(check, data)
    docking = check.strings(
        check.table(data, "docking", "docking"), DOCKING_KEYS, "docking", "docking"
    )
    chapters = _check_chapters(check, data, set(illustrations))
    credits = _check_credits(check, data)
    if check.problems:
        raise ContentError(check.problems)
    return Language(
        code=meta.get("language", path.stem),
        name=meta["name"],
        ui=dict(ui),
        docking=dict(docking),
        chapters=tuple(chapters),
        credits=credits,  # type: ignore[arg-type]
        path=path,
    )


def _check_meta(check: _Checker, data: dict, path: Path) -> dict[str, str]:
    """The ``[meta]`` table; its language must be the file's name."""
    meta = check.strings(check.table(data, "meta", "meta"), META_KEYS, "meta", "meta")
    code = meta.get("language", path.stem)
    if code != path.stem:
        check.add(
            "meta.language",
            f'is "{code}" but the file is named {path.name}; they must match',
            "meta",
            "language",
        )
    return meta


def _check_ui(check: _Checker, data: dict) -> dict[str, str]:
    """The ``[ui]`` table; each key with exactly its placeholders."""
    ui = check.strings(check.table(data, "ui", "ui"), UI_KEYS, "ui", "ui")
    for key, wanted in UI_KEYS.items():
        if key not in ui:
            continue
        used = _placeholders(ui[key])
        if used is None:
            check.add(f"ui.{key}", "has an unmatched { or }", "ui", key)
        elif used != wanted:
            want = ", ".join("{" + w + "}" for w in sorted(wanted)) or "no {placeholders}"
            check.add(f"ui.{key}", f"must use {want}; found {sorted(used) or 'none'}", "ui", key)
    return ui


def _check_chapters(check: _Checker, data: dict, known: set[str]) -> list[Chapter]:
    """The ``[[chapter]]`` tables: how many, each one, and at most one with dock."""
    raw_chapters = data.get("chapter")
    if not isinstance(raw_chapters, list):
        check.add("chapter", "no [[chapter]] tables found", "")
        raw_chapters = []
    elif not MIN_CHAPTERS <= len(raw_chapters) <= MAX_CHAPTERS:
        check.add(
            "chapter",
            f"has {len(raw_chapters)} chapters; expected {MIN_CHAPTERS} to {MAX_CHAPTERS}",
            "chapter",
            "",
            0,
        )
    chapters: list[Chapter] = []
    seen_ids: dict[str, int] = {}
    for i, raw in enumerate(raw_chapters):
        chapter = _check_chapter(check, raw, i, known, seen_ids)
        if chapter is not None:
            chapters.append(chapter)
    docks = [c.id for c in chapters if c.dock]
    if chapters and len(docks) > 1:
        check.add("chapter.dock", f"only one chapter may have dock = true; found {docks}", "")
    return chapters


def _check_chapter(
    check: _Checker, raw: object, i: int, known: set[str], seen_ids: dict[str, int]
) -> Chapter | None:
    """Chapter ``i`` (from 0), or None when it has problems (they are added to ``check``)."""
    label = f"chapter[{i + 1}]"
    if not isinstance(raw, dict):
        check.add(label, "is not a table", "chapter", "", i)
        return None
    if isinstance(raw.get("id"), str):
        label = f'chapter "{raw["id"]}"'
    fields = check.strings(raw, CHAPTER_KEYS, "chapter", label, i, CHAPTER_OPTIONAL)
    dock = raw.get("dock", False)
    if not isinstance(dock, bool):
        check.add(f"{label}.dock", "must be true or false (no quotes)", "chapter", "dock", i)
        dock = False
    cid = fields.get("id", "")
    _check_chapter_id(check, label, cid, i, seen_ids)
    name = fields.get("illustration")
    if name and name not in known:
        check.add(
            f"{label}.illustration",
            f'unknown illustration "{name}"{suggest(name, known)}; '
            f"known: {', '.join(sorted(known))}",
            "chapter",
            "illustration",
            i,
        )
    body = _normalise_body(fields.get("body", ""))
    words = len(body.split())
    if words > MAX_BODY_WORDS:
        check.add(
            f"{label}.body",
            f"has {words} words; at most {MAX_BODY_WORDS} can be read standing",
            "chapter",
            "body",
            i,
        )
    if len(fields) != len(CHAPTER_KEYS):
        return None
    return Chapter(
        id=cid,
        date=fields["date"],
        title=fields["title"],
        illustration=fields["illustration"],
        body=body,
        dock=dock,
    )


def _check_chapter_id(
    check: _Checker, label: str, cid: str, i: int, seen_ids: dict[str, int]
) -> None:
    """A chapter id: lowercase words joined by hyphens, not used by an earlier chapter."""
    if cid and not _ID_RE.match(cid):
        check.add(f"{label}.id", "use lowercase letters, digits and hyphens", "chapter", "id", i)
    if cid in seen_ids:
        check.add(
            f"{label}.id",
            f"duplicates the id of chapter {seen_ids[cid] + 1}",
            "chapter",
            "id",
            i,
        )
    seen_ids.setdefault(cid, i)


def _check_credits(check: _Checker, data: dict) -> Credits | None:
    """The ``[credits]`` table, or None when it has problems."""
    credits_table = check.table(data, "credits", "credits")
    credit_fields = check.strings(
        {k: v for k, v in credits_table.items() if k != "sources"},
        [k for k in CREDITS_KEYS if k != "sources"],
        "credits",
        "credits",
        optional=("sources",),
    )
    sources = credits_table.get("sources", [])
    if not (
        isinstance(sources, list) and sources and all(isinstance(s, str) and s for s in sources)
    ):
        check.add(
            "credits.sources",
            'must be a list of quoted lines, e.g. sources = ["NASA SP-4209"]',
            "credits",
            "sources",
        )
        return None
    if len(credit_fields) != len(CREDITS_KEYS) - 1:
        return None
    return Credits(
        title=credit_fields["title"],
        essay=credit_fields["essay"],
        sources=tuple(s.strip() for s in sources),
        note=credit_fields["note"],
    )


def language_files(directory: Path) -> tuple[list[Path], list[ContentProblem]]:
    """The language files in ``directory`` and the other ``*.toml`` files, skipped.

    A language file is named by its code, two or three lowercase letters
    (``en.toml``, ``nb.toml``); whatever else ends in ``.toml`` (a backup such as
    ``nb-old.toml``) would otherwise join the Language button, so it is skipped,
    with a problem naming it.
    """
    languages: list[Path] = []
    skipped: list[ContentProblem] = []
    for path in sorted(Path(directory).glob("*.toml")):
        if _CODE_RE.match(path.stem):
            languages.append(path)
        else:
            skipped.append(
                ContentProblem(
                    path,
                    None,
                    "file",
                    "skipped: not a language file (those are named by their language code, "
                    "e.g. nb.toml); move a backup out of the story folder or rename it "
                    "to end in .bak",
                )
            )
    return languages, skipped


def load_story(directory: Path, illustrations: Iterable[str], first: str = "en") -> Story:
    """Load every language file (``<code>.toml``) in ``directory``.

    ``first`` (the reference language) must exist; the others must have the
    same chapters, with the same ids and illustrations, in the same order.
    ``Story.codes`` lists ``first``, then :data:`LANGUAGE_ORDER`, then the rest.
    Other ``*.toml`` files are skipped with one warning (see :func:`language_files`).
    """
    directory = Path(directory)
    illustrations = set(illustrations)
    paths, skipped = language_files(directory)
    if skipped:
        log.warning(
            "story folder %s: skipped %d file(s) that are not language files:\n%s",
            directory,
            len(skipped),
            "\n".join(str(p) for p in skipped),
        )
    if not any(p.stem == first for p in paths):
        raise ContentError([ContentProblem(directory / f"{first}.toml", None, "file", "not found")])
    problems: list[ContentProblem] = []
    languages: dict[str, Language] = {}
    for path in paths:
        try:
            languages[path.stem] = load_language(path, illustrations)
        except ContentError as exc:
            problems.extend(exc.problems)
    reference = languages.get(first)
    if reference is not None:
        for code, lang in languages.items():
            if code == first:
                continue
            ours = [(c.id, c.illustration, c.dock) for c in lang.chapters]
            theirs = [(c.id, c.illustration, c.dock) for c in reference.chapters]
            if ours != theirs:
                problems.append(
                    ContentProblem(
                        lang.path,
                        None,
                        "chapter",
                        f"chapters differ from {reference.path.name}: every language needs "
                        "the same chapter ids, illustrations and dock flag, in the same order",
                    )
                )
    if problems:
        raise ContentError(problems)
    rank = {code: i for i, code in enumerate(LANGUAGE_ORDER)}
    others = sorted((c for c in languages if c != first), key=lambda c: (rank.get(c, 99), c))
    return Story(languages=languages, codes=(first, *others), skipped=tuple(skipped))


@dataclass(frozen=True, slots=True)
class TextItem:
    """One piece of text a visitor can see, with the key and line staff edit it at."""

    key: str
    text: str
    line: int | None


def visible_text(lang: Language) -> list[TextItem]:
    """Every string of ``lang`` a visitor can see, in file order, with its key and line."""
    try:
        source = lang.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        source = ""
    locate = Locator(source)
    lines = source.splitlines()
    items = [TextItem("meta.name", lang.name, locate.line("meta", "name"))]
    items += [TextItem(f"ui.{k}", v, locate.line("ui", k)) for k, v in lang.ui.items()]
    items += [
        TextItem(f"docking.{k}", v, locate.line("docking", k)) for k, v in lang.docking.items()
    ]
    for i, chapter in enumerate(lang.chapters):
        for name in ("date", "title", "body"):
            items.append(
                TextItem(
                    f'chapter "{chapter.id}".{name}',
                    getattr(chapter, name),
                    locate.line("chapter", name, i),
                )
            )
    credits = lang.credits
    items.append(TextItem("credits.title", credits.title, locate.line("credits", "title")))
    items.append(TextItem("credits.essay", credits.essay, locate.line("credits", "essay")))
    start = locate.line("credits", "sources") or 1
    for i, source_line in enumerate(credits.sources):
        line = next((n for n in range(start, len(lines) + 1) if source_line in lines[n - 1]), start)
        items.append(TextItem(f"credits.sources[{i + 1}]", source_line, line))
    items.append(TextItem("credits.note", credits.note, locate.line("credits", "note")))
    return items


def glyph_problems(lang: Language, fonts: Mapping[str, frozenset[int]]) -> list[ContentProblem]:
    """Characters of ``lang`` that a font cannot draw; ``fonts`` maps a font's name to
    the code points in its character map (see :mod:`kiosk.render.cmap`)."""
    from kiosk.render.cmap import describe, missing_characters

    problems = []
    for item in visible_text(lang):
        for name, codepoints in fonts.items():
            missing = missing_characters(item.text, codepoints)
            if missing:
                chars = ", ".join(describe(c) for c in missing)
                problems.append(
                    ContentProblem(
                        lang.path,
                        item.line,
                        item.key,
                        f"the font {name} cannot draw {chars}: it would show as a box "
                        "(use another character, or install a font that has it)",
                    )
                )
    return problems
