"""The ``kiosk`` command: run the exhibit, the demo, the storyboard and checks."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import sqlite3
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import __version__
from kiosk.content import ContentError, Story, load_story
from kiosk.layout import SUPPORTED_SIZES
from kiosk.settings import Config, config_path, load_config, load_startup_config, parse_size
from kiosk.settings.tomlpos import Locator

if TYPE_CHECKING:
    from kiosk.control import CommandQueue, ControlServer

log = logging.getLogger("kiosk")


def _size(text: str) -> tuple[int, int]:
    try:
        size = parse_size(text)
    except TypeError as exc:
        raise argparse.ArgumentTypeError(f"expected {exc}, got {text!r}") from None
    if size is None:
        raise argparse.ArgumentTypeError('give a size such as "1280x720"')
    return size


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return value


def known_illustrations() -> set[str]:
    """Names of the illustrations drawn in code."""
    from kiosk.render.illustrations import ILLUSTRATIONS

    return set(ILLUSTRATIONS)


def load_content(config: Config, problems: list[str] | None = None) -> Story:
    """The story from the configured folder; the bundled one if that is broken.

    A broken edit is logged with every problem (file, line, key) and the
    exhibit runs on the bundled text rather than going dark.  The problems,
    and that the bundled story is shown, are added to ``problems`` (for
    ``kiosk ctl status``).
    """
    names = known_illustrations()
    try:
        story = load_story(config.content_dir, names)
    except ContentError as exc:
        bundled = Config().content_dir
        if config.content_dir.resolve() == bundled.resolve():
            raise
        log.error(
            "story files in %s have problems; showing the bundled story instead:\n%s",
            config.content_dir,
            exc,
        )
        if problems is not None:
            problems.extend(str(p) for p in exc.problems)
            problems.append(
                f"{config.content_dir}: story: the problems above keep these story files off "
                f"the screen; the bundled story in {bundled} is shown instead (fix them, "
                "then: kiosk ctl reload)"
            )
        story = load_story(bundled, names)
    problem = language_problem(config, story)
    if problem:
        log.warning("config: %s", problem)
        if problems is not None:
            problems.append(problem)
    return story


def language_problem(config: Config, story: Story) -> str | None:
    """``FILE:LINE: exhibit.language: …`` when the story has no file in that language."""
    if config.language in story.codes:
        return None
    line = None
    with contextlib.suppress(OSError, UnicodeDecodeError):
        text = Path(config.source).read_text(encoding="utf-8")
        line = Locator(text).line("exhibit", "language")
    return (
        f"{config.source}{f':{line}' if line else ''}: exhibit.language: there is no "
        f"{config.language}.toml in {config.content_dir}, so visitors start in "
        f"{story.codes[0]} (the story has {', '.join(story.codes)})"
    )


def _config(args: argparse.Namespace, problems: list[str] | None = None) -> Config:
    """The config for ``args`` (and the overrides on the command line).

    Its problems are logged and, when ``problems`` is given, added to it.
    """
    path = config_path(getattr(args, "config", None))
    # The exhibit itself keeps a copy of every config that loads cleanly, and
    # starts on that copy when the file no longer parses.
    config, found = load_startup_config(path, save=getattr(args, "command", None) == "run")
    for problem in found:
        log.error("config: %s", problem)
    if found:
        log.error("config problems above were skipped; the other settings are in use")
    if problems is not None:
        problems.extend(str(p) for p in found)
    changes: dict[str, object] = {}
    if getattr(args, "idle_timeout", None):
        changes["idle_timeout"] = args.idle_timeout
    if getattr(args, "lang", None):
        changes["language"] = args.lang
    if getattr(args, "size", None):
        changes["size"] = args.size
    if getattr(args, "serial", None):
        changes["sensor"] = replace(config.sensor, port=args.serial)
    return replace(config, **changes)


def _reloader(args: argparse.Namespace) -> Callable[[], tuple[Config, Story]]:
    """What ``kiosk ctl reload`` and SIGHUP read: config and story, refused on any problem."""

    def reload() -> tuple[Config, Story]:
        from kiosk.control import CommandError

        _, problems = load_config(config_path(getattr(args, "config", None)))
        if problems:
            listed = "\n".join(str(p) for p in problems)
            raise CommandError(
                f"nothing reloaded: the config has {len(problems)} problem(s):\n{listed}"
            )
        config = _config(args)
        try:
            story = load_story(config.content_dir, known_illustrations())
        except ContentError as exc:
            raise CommandError(
                f"nothing reloaded: the story files have {len(exc.problems)} problem(s):\n{exc}"
            ) from None
        problem = language_problem(config, story)
        if problem:
            raise CommandError(f"nothing reloaded: the config has 1 problem(s):\n{problem}")
        return config, story

    return reload


def _start_control(config: Config, commands: CommandQueue, *, demo: bool) -> ControlServer | None:
    """The control socket for ``kiosk ctl``; the exhibit runs on without it if it fails."""
    from kiosk.control import ControlServer

    # The demo runs as whoever started it: the staff group is the exhibit's business.
    group = None if demo else config.control_group
    server = ControlServer(config.control_socket, commands, group=group)
    try:
        server.start()
    except OSError as exc:
        log.log(
            logging.INFO if demo else logging.WARNING,
            "no live control (kiosk ctl): cannot create %s: %s (see [control] in the config)",
            config.control_socket,
            exc,
        )
        return None
    return server


def _run_app(
    config: Config,
    *,
    fullscreen: bool,
    demo: bool,
    reloader: Callable[[], tuple[Config, Story]] | None = None,
    problems: list[str] | None = None,
) -> int:
    import pygame

    from kiosk.app import App
    from kiosk.core.events import EventBus
    from kiosk.display import open_display
    from kiosk.sdnotify import Notifier
    from kiosk.stats import StatsRecorder, db_path
    from kiosk.wiring import demo_hardware, exhibit_hardware

    notifier = Notifier()
    if demo:
        stats = StatsRecorder(
            db_path(config.data_dir), enabled=False, reason="not recorded in the demo"
        )
    else:
        stats = StatsRecorder.from_config(config)
    problems = list(problems or [])
    story = load_content(config, problems)
    bus = EventBus()
    wiring = demo_hardware(bus) if demo else exhibit_hardware(config, bus)
    with wiring as parts:
        screen = open_display(config.size or ((1280, 720) if demo else None), fullscreen=fullscreen)
        app = App(
            screen,
            story,
            config,
            bus=bus,
            outputs=[parts.lights],
            allow_quit=demo,
            key_handlers=parts.key_handlers,
            status_sources={"hardware": parts.status, "stats": stats.status},
            observers=[stats],
            notifier=notifier,
            reloader=reloader,
            problems=problems,
        )
        control = _start_control(config, app.commands, demo=demo)

        def stop(signum: int, frame: object) -> None:
            log.info("stopping on signal %d", signum)
            app.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGHUP, lambda signum, frame: app.request_reload())
        try:
            app.run()
        except KeyboardInterrupt:
            pass
        finally:
            notifier.stopping()
            if control is not None:
                control.close()
            stats.close()
            pygame.quit()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """A window with the keyboard as the buttons (or the storyboard without a display)."""
    from kiosk.display import has_display

    if not has_display():
        out = Path(args.out)
        print(
            f"No display found (DISPLAY is not set), so writing the storyboard to {out}/ instead.",
            flush=True,
        )
        return _render(_config(args), out, [args.size or (1280, 720)], None)
    problems: list[str] = []
    config = _config(args, problems)
    print(
        "Keys: → Next, ← Back, Enter/Space Dock, H handshake, L language, F12 staff, Esc quit",
        flush=True,
    )
    return _run_app(
        config, fullscreen=False, demo=True, reloader=_reloader(args), problems=problems
    )


def cmd_run(args: argparse.Namespace) -> int:
    """The exhibit itself: full screen, hardware from the config."""
    problems: list[str] = []
    config = _config(args, problems)
    return _run_app(
        config,
        fullscreen=not args.windowed,
        demo=False,
        reloader=_reloader(args),
        problems=problems,
    )


#: ``kiosk ctl``'s exit statuses (2 is argparse's, for a mistyped command line).
CTL_EXIT_CODES = {
    0: "done",
    1: "refused (the reason is printed)",
    2: "mistyped command or argument (usage is printed)",
    3: "kiosk not reachable (not running, no permission, or stuck)",
}


def cmd_ctl(args: argparse.Namespace) -> int:
    """Send one command to the running kiosk; see :data:`CTL_EXIT_CODES`.

    ``help`` is answered here, so it works while the kiosk is down.
    """
    from kiosk.control import Unreachable, format_result, help_text, ok, send_command

    if args.ctl_command == "help":
        if args.json:
            print(json.dumps(ok(help_text()), ensure_ascii=False, indent=2))
        else:
            print(format_result("help", help_text()))
        return 0
    config, _ = load_config(config_path(args.config))
    path = Path(args.socket) if args.socket else config.control_socket
    try:
        reply = send_command(
            path, args.ctl_command, args.arg, group=config.control_group, timeout=args.timeout
        )
    except Unreachable as exc:
        print(f"kiosk ctl: {exc}", file=sys.stderr)
        return Unreachable.exit_code
    if args.json:
        print(json.dumps(reply, ensure_ascii=False, indent=2))
    elif reply.get("ok"):
        print(format_result(args.ctl_command, reply.get("result")))
    else:
        print(f"kiosk ctl: {args.ctl_command} refused: {reply.get('error')}", file=sys.stderr)
    return 0 if reply.get("ok") else 1


def _render(
    config: Config,
    out: Path,
    sizes: list[tuple[int, int]],
    languages: list[str] | None,
    check: bool = False,
) -> int:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from kiosk.app import default_illustrator
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
        default_illustrator(),
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


def cmd_render(args: argparse.Namespace) -> int:
    """Write the storyboard."""
    sizes = list(SUPPORTED_SIZES) if args.all_sizes else (args.size or [(1920, 1080)])
    languages = ["all"] if args.all_languages else args.lang
    return _render(_config(args), Path(args.out), sizes, languages, check=args.check)


MIN_CONTRAST = 4.5


def _screen_problems(story: Story, fonts: object) -> dict[str, list]:
    """Text that does not fit its box, or is too faint, on any screen at any size.

    ``fonts`` is the :class:`~kiosk.render.fonts.FontBook` the exhibit draws with.

    Each problem names the key whose text it is (found by the words on the line),
    with every size and screen where it happens.
    """
    from kiosk.app import default_illustrator
    from kiosk.content import ContentProblem, visible_text
    from kiosk.storyboard import audit_screens

    found: dict[str, dict[tuple[str, bool], list]] = {code: {} for code in story.codes}
    items = {code: visible_text(story.language(code)) for code in story.codes}
    chapter_ids = {c.id for c in story.language(story.codes[0]).chapters}
    for shot in audit_screens(story, SUPPORTED_SIZES, story.codes, fonts, default_illustrator()):
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


def cmd_content_check(args: argparse.Namespace) -> int:
    """Check the story files, per language: keys against English, text fit, glyphs.

    Every problem is printed as FILE:LINE: key: message, grouped by language.
    """
    from kiosk.content import LANGUAGE_ORDER, glyph_problems, language_files, load_language

    config = _config(args)
    if args.dir:
        config = replace(config, content_dir=Path(args.dir))
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
        for code, found in _screen_problems(story, FontBook(files)).items():
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


def cmd_config_check(args: argparse.Namespace) -> int:
    """Validate a config file and print each problem as FILE:LINE: key: message."""
    path = config_path(args.file or args.config)
    if not path.exists():
        print(f"{path}: file: not found (the exhibit would run on its defaults)")
        return 1
    _, problems = load_config(path)
    for problem in problems:
        print(problem)
    print(f"{path}: {len(problems)} problem(s)" if problems else f"{path}: OK")
    return 1 if problems else 0


def cmd_config_show(args: argparse.Namespace) -> int:
    """Print the settings in use as TOML, defaults included, marking those from the file."""
    from kiosk.settings import format_effective, load_startup_config

    path = config_path(args.config)
    config, problems = load_startup_config(path, save=False)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(format_effective(config, problems, path), end="")
    return 0


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        message = f"expected a date such as 2026-07-17, got {text!r}"
        raise argparse.ArgumentTypeError(message) from None


def cmd_stats(args: argparse.Namespace) -> int:
    """Print daily visitor figures from the statistics database (read-only)."""
    from kiosk.settings import load_startup_config
    from kiosk.stats import db_path
    from kiosk.stats_report import FORMATS, daily_report

    config, _ = load_startup_config(config_path(args.config), save=False)
    zone = config.hours.timezone if config.hours else None
    try:
        report = daily_report(db_path(config.data_dir), zone, args.since, args.until)
    except (FileNotFoundError, sqlite3.Error) as exc:
        print(f"kiosk stats: {exc}", file=sys.stderr)
        return 1
    print(FORMATS[args.format](report), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="kiosk", description=__doc__)
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debugging detail")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--config", help="config file (default $KIOSK_CONFIG or /etc/kiosk/kiosk.toml)"
        )
        p.add_argument("--lang", help="start in this language (e.g. en)")

    demo = sub.add_parser("demo", help="the exhibit in a window, keyboard as buttons")
    common(demo)
    demo.add_argument("--size", type=_size, help="window size, e.g. 1280x720")
    demo.add_argument("--idle-timeout", type=_seconds, help="seconds before attract returns")
    demo.add_argument("--out", default="storyboard", help="storyboard folder without a display")
    demo.set_defaults(func=cmd_demo)

    run = sub.add_parser("run", help="the exhibit: full screen, hardware from the config")
    common(run)
    run.add_argument("--size", type=_size, help="screen size (default: the display's)")
    run.add_argument("--idle-timeout", type=_seconds, help="seconds before attract returns")
    run.add_argument("--serial", help="handshake sensor device, e.g. /dev/ttyACM0")
    run.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    run.set_defaults(func=cmd_run)

    render = sub.add_parser("render", help="write every screen to PNG with a contact sheet")
    common(render)
    render.add_argument("--out", default="storyboard", help="output folder")
    render.add_argument(
        "--size", type=_size, action="append", help="size WxH (repeatable; default 1920x1080)"
    )
    render.add_argument(
        "--all-sizes", action="store_true", help="800x480, 1280x720, 1920x1080 and 3840x2160"
    )
    render.add_argument(
        "--all-languages", action="store_true", help="every language (else --lang, or English)"
    )
    render.add_argument(
        "--check", action="store_true", help="also check that all text fits and has enough contrast"
    )
    render.set_defaults(func=cmd_render)

    for name, (_, text) in DELEGATED.items():
        sub.add_parser(name, help=f"{text} (kiosk {name} --help)", add_help=False)

    config_cmd = sub.add_parser("config", help="the config file")
    config_sub = config_cmd.add_subparsers(dest="config_command", required=True)
    config_check = config_sub.add_parser("check", help="validate a config file")
    config_check.add_argument("file", nargs="?", help="config file (default: the one in use)")
    config_check.add_argument("--config", help=argparse.SUPPRESS)
    config_check.set_defaults(func=cmd_config_check)
    config_show = config_sub.add_parser("show", help="print the settings in use, with defaults")
    config_show.add_argument(
        "--config", help="config file (default $KIOSK_CONFIG or /etc/kiosk/kiosk.toml)"
    )
    config_show.set_defaults(func=cmd_config_show)

    stats = sub.add_parser("stats", help="daily visitor figures (read-only, safe while running)")
    stats.add_argument("--since", type=_date, help="first day, e.g. 2026-07-01 (default: all)")
    stats.add_argument("--until", type=_date, help="last day, inclusive (default: the last)")
    stats.add_argument("--format", choices=("table", "csv", "json"), default="table")
    stats.add_argument(
        "--config", help="config file (default $KIOSK_CONFIG or /etc/kiosk/kiosk.toml)"
    )
    stats.set_defaults(func=cmd_stats)

    from kiosk.control import CLIENT_TIMEOUT, COMMANDS

    codes = ", ".join(f"{code} {text}" for code, text in CTL_EXIT_CODES.items())
    ctl = sub.add_parser(
        "ctl",
        help="control the running kiosk: status, next, reload, screenshot… (kiosk ctl help)",
        description="Send one command to the running kiosk over its control socket. "
        f"Exit status: {codes}.",
    )
    ctl.add_argument(
        "ctl_command", metavar="COMMAND", choices=list(COMMANDS), help=", ".join(COMMANDS)
    )
    ctl.add_argument(
        "arg", nargs="?", metavar="ARG", help="CHAPTER for goto, CODE for lang, FILE for screenshot"
    )
    ctl.add_argument("--json", action="store_true", help="print the raw JSON reply")
    ctl.add_argument("--socket", help="control socket (default: [control] socket in the config)")
    ctl.add_argument(
        "--config", help="config file (default $KIOSK_CONFIG or /etc/kiosk/kiosk.toml)"
    )
    ctl.add_argument(
        "--timeout",
        type=_seconds,
        default=CLIENT_TIMEOUT,
        help=f"seconds to wait for a reply (default {CLIENT_TIMEOUT:g})",
    )
    ctl.set_defaults(func=cmd_ctl)

    content = sub.add_parser("content", help="story files")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    check = content_sub.add_parser("check", help="validate the story files and text fit")
    common(check)
    check.add_argument("dir", nargs="?", help="folder of story files (default: configured)")
    check.set_defaults(func=cmd_content_check)
    return parser


def run_selftest(argv: list[str], **kwargs: object) -> int:
    """``kiosk selftest [--config FILE] …``: the hardware self-test on the site's wiring."""
    from hardware.selftest import main as selftest_main

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--config")
    known, rest = pre.parse_known_args(argv)
    config = _config(known)
    return selftest_main(rest, gpio=config.gpio, sensor=config.sensor, **kwargs)


#: Subcommands that belong to the hardware layer and parse their own arguments.
DELEGATED = {
    "sensor-sim": ("hardware.sim", "a simulated handshake sensor on a pty"),
    "selftest": ("hardware.selftest", "technician's test of buttons, lights and sensor"),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kiosk`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "selftest":
        return run_selftest(argv[1:])
    if argv and argv[0] in DELEGATED:
        import importlib

        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
        module = importlib.import_module(DELEGATED[argv[0]][0])
        return module.main(argv[1:])
    args = build_parser().parse_args(argv)
    from kiosk.journal import configure_logging

    configure_logging(args.verbose)
    if getattr(args, "lang", None) and args.command == "render":
        args.lang = [args.lang]
    try:
        return args.func(args)
    except ContentError as exc:
        print(f"The story files have problems:\n{exc}", file=sys.stderr)
        return 2
