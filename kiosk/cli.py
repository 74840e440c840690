"""The ``kiosk`` command: run the exhibit, the demo, the storyboard and checks.

Argument parsing only: each subcommand hands over to its home — the exhibit to
:mod:`kiosk.exhibit`, the storyboard and the story check to :mod:`kiosk.audit`,
``kiosk ctl`` to :mod:`kiosk.control` and :mod:`kiosk.app.commands`.
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from kiosk import __version__
from kiosk.content import ContentError
from kiosk.exhibit import Reloader, read_config, reloader, run_exhibit
from kiosk.layout import SUPPORTED_SIZES
from kiosk.settings import Config, config_path, load_config, parse_size

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


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    """The settings given on the command line."""
    changes: dict[str, object] = {}
    if getattr(args, "idle_timeout", None):
        changes["idle_timeout"] = args.idle_timeout
    if getattr(args, "lang", None):
        changes["language"] = args.lang
    if getattr(args, "size", None):
        changes["size"] = args.size
    if getattr(args, "serial", None):
        changes["sensor.port"] = args.serial
    return changes


def _config(args: argparse.Namespace, problems: list[str] | None = None) -> Config:
    """The config for ``args`` (and the overrides on the command line).

    Its problems are logged and, when ``problems`` is given, added to it.
    """
    save = getattr(args, "command", None) == "run"
    return read_config(
        getattr(args, "config", None), _overrides(args), save=save, problems=problems
    )


def cmd_demo(args: argparse.Namespace) -> int:
    """A window with the keyboard as the buttons (or the storyboard without a display)."""
    from kiosk.display import has_display

    if not has_display():
        out = Path(args.out)
        print(
            f"No display found (DISPLAY is not set), so writing the storyboard to {out}/ instead.",
            flush=True,
        )
        from kiosk.audit import write_storyboard

        return write_storyboard(_config(args), out, [args.size or (1280, 720)], None)
    problems: list[str] = []
    config = _config(args, problems)
    print(
        "Keys: → Next, ← Back, Enter/Space Dock, H handshake, L language, F12 staff, Esc quit",
        flush=True,
    )
    return run_exhibit(config, _reloader(args), fullscreen=False, demo=True, problems=problems)


def cmd_run(args: argparse.Namespace) -> int:
    """The exhibit itself: full screen, hardware from the config."""
    problems: list[str] = []
    config = _config(args, problems)
    fullscreen = not args.windowed
    return run_exhibit(
        config, _reloader(args), fullscreen=fullscreen, demo=False, problems=problems
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
    from kiosk.app.commands import format_result, help_text
    from kiosk.control import Unreachable, ok, send_command

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


def _reloader(args: argparse.Namespace) -> Reloader:
    """What ``kiosk ctl reload`` and SIGHUP read: the same file and overrides as ``args``."""
    return reloader(getattr(args, "config", None), _overrides(args))


def cmd_content_check(args: argparse.Namespace) -> int:
    """Check the story files (:func:`kiosk.audit.check_story`)."""
    from kiosk.audit import check_story

    config = _config(args)
    if args.dir:
        config = replace(config, content_dir=Path(args.dir))
    return check_story(config)


def cmd_render(args: argparse.Namespace) -> int:
    """Write the storyboard."""
    sizes = list(SUPPORTED_SIZES) if args.all_sizes else (args.size or [(1920, 1080)])
    languages = ["all"] if args.all_languages else args.lang
    from kiosk.audit import write_storyboard

    return write_storyboard(_config(args), Path(args.out), sizes, languages, check=args.check)


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

    from kiosk.app.commands import COMMANDS
    from kiosk.control import CLIENT_TIMEOUT

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
