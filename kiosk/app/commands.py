"""Staff commands (``kiosk ctl``): one table of small handlers.

Each command is one function here, registered with :func:`command`: its name,
the argument it takes, the line ``kiosk ctl help`` shows, what
``deploy/CONTROL.md`` says it does and returns, and how ``kiosk ctl`` words its
result.  The socket protocol's list of commands, ``help``, the client's reply
formatting and the table in CONTROL.md all derive from :data:`COMMANDS`, so a new
command is one function in this file.

Handlers act on the exhibit only through :class:`Control`, a narrow interface the
app implements; they run on the exhibit's main loop, between frames.  A handler
returns its result (JSON-friendly) or raises :class:`~kiosk.exc.CommandError` with
a sentence for staff.  This module imports neither pygame nor the app, so
``kiosk ctl`` starts quickly.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Protocol

from kiosk.content import Story
from kiosk.control.protocol import Request, error, ok
from kiosk.core.events import Action
from kiosk.exc import CommandError

log = logging.getLogger("kiosk.app")


class Control(Protocol):
    """What a staff command may see of, and do to, the running exhibit."""

    @property
    def story(self) -> Story:
        """The story shown now (chapters, languages)."""

    @property
    def language(self) -> str:
        """The language shown now."""

    @property
    def data_dir(self) -> Path:
        """The data folder (screenshots go under it)."""

    def status(self) -> dict[str, object]:
        """Everything ``kiosk ctl status`` reports."""

    def place(self) -> dict[str, object]:
        """Where the exhibit is: ``{"screen", "chapter", "language"}`` or asleep."""

    def asleep_reason(self) -> str | None:
        """Why the exhibit sleeps, or None when it is awake."""

    def set_asleep(self, asleep: bool) -> None:
        """Sleep (or wake) now, until the next change of the opening hours."""

    def press(self, action: Action, detail: Mapping[str, object] | None = None) -> None:
        """Take ``action`` as a visitor's press is taken (source ``staff``)."""

    def can_dock(self) -> bool:
        """Whether Dock does something where the exhibit is."""

    def dock_chapter(self) -> int | None:
        """The 0-based chapter Dock works on (besides the attract loop), if any."""

    def go_to_chapter(self, index: int) -> None:
        """Show the chapter at 0-based ``index``."""

    def reload(self) -> dict[str, object]:
        """Re-read the config and the story; raise CommandError and change nothing on
        any problem."""

    def save_screenshot(self, path: Path) -> tuple[int, int]:
        """Write the screen to ``path`` as PNG; return its size."""


Handler = Callable[[Control, str | None], object]
Formatter = Callable[[dict[str, object]], str]


@dataclass(frozen=True)
class Command:
    """One staff command: what ``help``, the protocol, ``kiosk ctl`` and CONTROL.md
    need to know of it, and its handler."""

    name: str
    arg: str | None  # the argument it needs, as help names it (None: takes none)
    help: str  # one line for ``kiosk ctl help``
    does: str  # what it does, for CONTROL.md
    returns: str  # its result, for CONTROL.md
    handler: Handler
    words: Formatter  # its result as ``kiosk ctl`` prints it
    awake: bool = False  # refused while the exhibit sleeps
    local: bool = False  # answered without the exhibit (``help``)


#: Every staff command by name, in the order ``help`` lists them.
COMMANDS: dict[str, Command] = {}


def command(
    name: str,
    help: str,
    *,
    arg: str | None = None,
    does: str | None = None,
    returns: str = 'where the exhibit is now: `{"screen", "chapter", "language"}`',
    words: Formatter | None = None,
    awake: bool = False,
    local: bool = False,
) -> Callable[[Handler], Handler]:
    """Register the decorated function as the staff command ``name``."""

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(
            name, arg, help, does or help, returns, handler, words or where, awake, local
        )
        return handler

    return register


# -- the wording of results ----------------------------------------------------------


def where(result: dict[str, object]) -> str:
    """Where the exhibit is, in words: "showing chapter 3 (en)", "asleep (closed)"."""
    screen = result.get("screen")
    if screen == "sleep":
        return f"asleep ({result.get('reason', '')})"
    if screen == "chapter":
        return f"showing chapter {result.get('chapter')} ({result.get('language')})"
    return f"showing the {screen} screen ({result.get('language')})"


def _word(value: object) -> str:
    """A status value as a word: yes/no, none, or its text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or value == [] or value == {}:
        return "none"
    return str(value)


def _lines(value: object, indent: str = "") -> list[str]:
    """A nested status value as indented ``key: value`` lines."""
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                out.append(f"{indent}{key}:")
                out.extend(_lines(item, indent + "  "))
            else:
                out.append(f"{indent}{key}: {_word(item)}")
        return out
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict):
                text = ", ".join(f"{k} {v}" for k, v in item.items())
                out.append(f"{indent}- {text}")
            else:
                out.append(f"{indent}- {item}")
        return out
    return [f"{indent}{value}"]


def format_result(cmd: str, result: object) -> str:
    """A reply's result as staff read it in a terminal."""
    known = COMMANDS.get(cmd)
    if not isinstance(result, dict) or known is None:
        return str(result)
    return known.words(result)


def help_text() -> dict[str, str]:
    """The commands and what they do."""
    return {(f"{c.name} {c.arg}" if c.arg else c.name): c.help for c in COMMANDS.values()}


def markdown_table() -> str:
    """The table of commands in ``deploy/CONTROL.md``."""
    rows = ["| cmd | arg | does | result |", "|---|---|---|---|"]
    for c in COMMANDS.values():
        arg = f" `{c.arg}` " if c.arg else " "
        rows.append(f"| `{c.name}` |{arg}| {c.does} | {c.returns} |")
    return "\n".join(rows) + "\n"


# -- running a command ---------------------------------------------------------------


def run(
    control: Control,
    request: Request,
    report: Callable[[BaseException, str], None],
    *,
    log_refusal: bool = True,
) -> dict[str, object]:
    """Run ``request`` on ``control`` (main thread) and return the reply.

    A refusal is a reply with its reason (a refused ``reload`` is also logged, so
    the journal says why an edit is not shown); any other exception is given to
    ``report`` and answered with its type and text.
    """
    found = COMMANDS.get(request.cmd)
    try:
        if found is None:
            raise CommandError(f"unknown command {request.cmd!r}")
        if found.awake:
            reason = control.asleep_reason()
            if reason is not None:
                raise CommandError(f"the kiosk is asleep ({reason}); wake it first: kiosk ctl wake")
        result = found.handler(control, request.arg)
    except CommandError as exc:
        if log_refusal and request.cmd == "reload":
            log.error("reload (kiosk ctl) refused: %s", exc)
        return error(str(exc), request)
    except Exception as exc:
        report(exc, f"running the staff command {request.cmd}")
        return error(f"{type(exc).__name__}: {exc}", request)
    return ok(result, request)


# -- the commands ----------------------------------------------------------------------


def _status_words(result: dict[str, object]) -> str:
    return "\n".join(_lines(result))


@command(
    "status",
    "uptime, screen, language, frame rate, sensor, errors, config, sleep",
    does="everything staff need to know",
    returns="object: `version`, `uptime_s`, `screen` (`attract`, `chapter`, `docking`, "
    "`credits`, `sleep`), `chapter` (1-based or null), `language`, `frame_rate` "
    "(frames/s over the last frames; 0 on a still page), `config` (the file in use, or "
    "`defaults`), `errors` (recent distinct errors with counts), `sleep` (`asleep`, "
    "`reason`, `open` — null without opening hours — and `until`, local ISO time of the "
    "next change), `hardware` (buttons, LEDs, handshake sensor), `stats` (statistics "
    "recorder), `pid`",
    words=_status_words,
)
def status(control: Control, arg: str | None) -> object:
    """Everything staff need to know."""
    return control.status()


@command("next", "as if a visitor pressed Next", awake=True)
def next_page(control: Control, arg: str | None) -> object:
    """As if a visitor pressed Next."""
    control.press(Action.NEXT)
    return control.place()


@command("back", "as if a visitor pressed Back", awake=True, returns="the same")
def back(control: Control, arg: str | None) -> object:
    """As if a visitor pressed Back."""
    control.press(Action.BACK)
    return control.place()


@command(
    "goto",
    "show a chapter: its number (1, 2, …) or its id",
    arg="CHAPTER",
    does="show a chapter: its number (`1`, `2`, …) or its `id` from the story file",
    returns="the same",
    awake=True,
)
def goto(control: Control, arg: str | None) -> object:
    """Show a chapter, by number or id."""
    control.go_to_chapter(chapter_index(control.story, control.language, arg or ""))
    return control.place()


def chapter_index(story: Story, language: str, arg: str) -> int:
    """``3`` or a chapter id → a 0-based index; refuse anything else precisely."""
    text = arg.strip()
    count = story.chapter_count
    if text.isdigit():
        number = int(text)
        if not 1 <= number <= count:
            raise CommandError(f"chapter {number} does not exist (1–{count})")
        return number - 1
    chapters = story.language(language).chapters
    for index, chapter in enumerate(chapters):
        if chapter.id == text:
            return index
    ids = ", ".join(c.id for c in chapters)
    raise CommandError(f"no chapter {text!r}: give a number 1–{count} or an id ({ids})")


@command(
    "dock",
    "as if a visitor pressed Dock",
    does="as if a visitor pressed Dock (plays the docking where it can be played)",
    returns="the same",
    awake=True,
)
def dock(control: Control, arg: str | None) -> object:
    """As if a visitor pressed Dock, where a visitor could."""
    if not control.can_dock():
        places = ["the attract loop"]
        chapter = control.dock_chapter()
        if chapter is not None:
            places.append(f"chapter {chapter + 1}")
        hint = f"kiosk ctl goto {chapter + 1}" if chapter is not None else "kiosk ctl back"
        raise CommandError(
            f"Dock works only on {' and '.join(places)}, as for visitors; try: {hint}"
        )
    control.press(Action.DOCK)
    return control.place()


@command(
    "lang",
    "switch to a language, e.g. en",
    arg="CODE",
    does="switch to that language, keeping the place",
    returns="the same",
    awake=True,
)
def lang(control: Control, arg: str | None) -> object:
    """Switch to a language, keeping the place."""
    code = (arg or "").strip().lower()
    codes = control.story.codes
    if code not in codes:
        raise CommandError(f"no language {arg!r}; the story has: {', '.join(codes)}")
    control.press(Action.LANGUAGE, {"language": code})
    return control.place()


def _reload_words(result: dict[str, object]) -> str:
    languages = ", ".join(str(code) for code in result.get("languages") or [])  # type: ignore[union-attr]
    text = (
        f"reloaded {result.get('config')} and the story in {result.get('story')} "
        f"({result.get('chapters')} chapters; languages {languages})"
    )
    restart = result.get("restart_needed")
    if restart:
        text += f"\nthese settings take effect after a restart: {', '.join(restart)}"  # type: ignore[arg-type]
    return text


@command(
    "reload",
    "re-read the config and the story; a broken edit is refused",
    does="re-read the config file and the story files; see below",
    returns="`config`, `story`, `languages`, `chapters`, `restart_needed` (settings that "
    "only apply after a restart)",
    words=_reload_words,
)
def reload(control: Control, arg: str | None) -> object:
    """Re-read the config and the story; all or nothing."""
    return control.reload()


def _screenshot_words(result: dict[str, object]) -> str:
    size = result.get("size") or ["?", "?"]
    return f"saved {result.get('file')} ({size[0]}×{size[1]})"  # type: ignore[index]


@command(
    "screenshot",
    "save what is on screen as PNG (relative: under the data dir)",
    arg="FILE",
    does="save what is on screen now as PNG; see below",
    returns="`file` (absolute path written), `size`",
    words=_screenshot_words,
)
def screenshot(control: Control, arg: str | None) -> object:
    """Save what is on screen as PNG."""
    path = screenshot_path(control.data_dir, arg or "")
    size = control.save_screenshot(path)
    return {"file": str(path), "size": list(size)}


def screenshot_path(data_dir: Path, name: str) -> Path:
    """Where ``screenshot NAME`` writes: a relative name under ``<data_dir>/screenshots``.

    An absolute path is accepted only inside the data dir: under systemd the
    service's /tmp and /home are private (PrivateTmp, ProtectHome), so a file
    written there would never be seen by staff.  A relative name may not climb
    out of ``<data_dir>/screenshots``; the file must end in ``.png``.
    """
    path = PurePath(name.strip())
    if not path.name or path.suffix.lower() != ".png":
        raise CommandError(f"give a file name ending in .png, got {name!r}")
    shots = Path(data_dir).absolute() / "screenshots"
    if path.is_absolute():
        inside = Path(os.path.normpath(path))
        data = Path(os.path.normpath(Path(data_dir).absolute()))
        if not inside.is_relative_to(data):
            raise CommandError(
                f"screenshots are saved under {shots} (other folders are private to the "
                f"kiosk service, so staff would never see the file): give a name such as "
                f"{path.name}, got {name!r}"
            )
        return inside
    if ".." in path.parts:
        raise CommandError(f"a relative file name may not contain '..', got {name!r}")
    return shots / path


@command(
    "sleep",
    "dark screen until wake or the next change of the opening hours",
    does="black screen until `wake` or the next change of the opening hours",
    returns='`{"screen": "sleep", "reason"}`',
)
def sleep(control: Control, arg: str | None) -> object:
    """Dark screen until wake or the next change of the opening hours."""
    control.set_asleep(True)
    return control.place()


@command(
    "wake",
    "wake until the next change of the opening hours",
    does="light up until the next change of the opening hours",
    returns="where the exhibit is now",
)
def wake(control: Control, arg: str | None) -> object:
    """Light up until the next change of the opening hours."""
    control.set_asleep(False)
    return control.place()


def _help_words(result: dict[str, object]) -> str:
    width = max(len(k) for k in result)
    return "\n".join(f"{name.ljust(width)}  {text}" for name, text in result.items())


@command(
    "help",
    "list the commands",
    does="the list of commands",
    returns='`{"goto CHAPTER": "what it does", …}`',
    words=_help_words,
    local=True,
)
def help_(control: Control | None, arg: str | None) -> object:
    """The commands and what they do (answered without the exhibit)."""
    return help_text()
