"""The ``kiosk`` command: run the exhibit, the demo, the storyboard and checks."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from kiosk import __version__
from kiosk.config import Config, config_path, load_config, parse_size
from kiosk.content import ContentError, Story, load_story
from kiosk.layout import SUPPORTED_SIZES

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


def load_content(config: Config) -> Story:
    """The story from the configured folder; the bundled one if that is broken.

    A broken edit is logged with every problem (file, line, key) and the
    exhibit runs on the bundled text rather than going dark.
    """
    names = known_illustrations()
    try:
        return load_story(config.content_dir, names)
    except ContentError as exc:
        bundled = Config().content_dir
        if config.content_dir.resolve() == bundled.resolve():
            raise
        log.error(
            "story files in %s have problems; showing the bundled story instead:\n%s",
            config.content_dir,
            exc,
        )
        return load_story(bundled, names)


def _config(args: argparse.Namespace) -> Config:
    path = config_path(getattr(args, "config", None))
    config, problems = load_config(path)
    for problem in problems:
        log.error("config: %s", problem)
    if problems:
        log.error("config problems above were skipped; the other settings are in use")
    changes: dict[str, object] = {}
    if getattr(args, "idle_timeout", None):
        changes["idle_timeout"] = args.idle_timeout
    if getattr(args, "lang", None):
        changes["language"] = args.lang
    if getattr(args, "size", None):
        changes["size"] = args.size
    if getattr(args, "serial", None):
        changes["serial_port"] = args.serial
    return replace(config, **changes)


def _run_app(config: Config, *, fullscreen: bool, demo: bool) -> int:
    import pygame

    from kiosk.app import App
    from kiosk.display import open_display
    from kiosk.events import EventBus
    from kiosk.wiring import demo_hardware, exhibit_hardware

    story = load_content(config)
    bus = EventBus()
    wiring = demo_hardware(bus) if demo else exhibit_hardware(config, bus)
    with wiring as parts:
        screen = open_display(config.size or ((1280, 720) if demo else None), fullscreen=fullscreen)
        app = App(
            screen,
            story,
            config,
            bus=bus,
            outputs=[parts.hardware.show],
            allow_quit=demo,
            key_handlers=parts.key_handlers,
            status_sources={"hardware": parts.status},
        )

        def stop(signum: int, frame: object) -> None:
            log.info("stopping on signal %d", signum)
            app.running = False

        signal.signal(signal.SIGTERM, stop)
        try:
            app.run()
        except KeyboardInterrupt:
            pass
        finally:
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
    config = _config(args)
    print(
        "Keys: → Next, ← Back, Enter/Space Dock, H handshake, L language, F12 staff, Esc quit",
        flush=True,
    )
    return _run_app(config, fullscreen=False, demo=True)


def cmd_run(args: argparse.Namespace) -> int:
    """The exhibit itself: full screen, hardware from the config."""
    config = _config(args)
    return _run_app(config, fullscreen=not args.windowed, demo=False)


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
    written = render_storyboard(
        out, story, sizes, languages or [story.codes[0]], fonts, default_illustrator(), audit
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
    return _render(_config(args), Path(args.out), sizes, args.lang, check=args.check)


def cmd_content_check(args: argparse.Namespace) -> int:
    """Validate the story files and check every screen's text fits, at every size."""
    config = _config(args)
    if args.dir:
        config = replace(config, content_dir=Path(args.dir))
    try:
        load_story(config.content_dir, known_illustrations())
    except ContentError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problem(s) in {config.content_dir}.")
        return 1
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return _render(config, Path(tmp), list(SUPPORTED_SIZES), None, check=True)


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

    content = sub.add_parser("content", help="story files")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    check = content_sub.add_parser("check", help="validate the story files and text fit")
    common(check)
    check.add_argument("dir", nargs="?", help="folder of story files (default: configured)")
    check.set_defaults(func=cmd_content_check)
    return parser


def run_selftest(argv: list[str], **kwargs: object) -> int:
    """``kiosk selftest [--config FILE] …``: the hardware self-test on the site's wiring."""
    from hardware import SensorConfig
    from hardware.selftest import main as selftest_main
    from kiosk.wiring import gpio_config

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--config")
    known, rest = pre.parse_known_args(argv)
    config = _config(known)
    sensor = SensorConfig(port=config.serial_port, enabled=config.sensor)
    return selftest_main(rest, gpio=gpio_config(config), sensor=sensor, **kwargs)


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
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if getattr(args, "lang", None) and args.command == "render":
        args.lang = [args.lang]
    try:
        return args.func(args)
    except ContentError as exc:
        print(f"The story files have problems:\n{exc}", file=sys.stderr)
        return 2
