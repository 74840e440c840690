"""``kiosk ctl`` against a headless kiosk over a real UNIX socket.

The app runs on the test's main thread (SDL's dummy driver, injected clock);
the ``kiosk ctl`` client runs in a thread, as a member of staff would in an
SSH session, while the test steps the app.  The last tests start ``kiosk run``
as a process and control it the same way.
"""

from __future__ import annotations

import contextlib
import grp
import inspect
import json
import logging
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pygame
import pytest

from kiosk import cli
from kiosk.app import App
from kiosk.app.commands import COMMANDS
from kiosk.content import load_story
from kiosk.control import (
    MAX_LINE,
    REPLY_TIMEOUT,
    CommandQueue,
    ControlServer,
    LineReader,
    LineTooLong,
    Request,
    send_command,
)
from kiosk.core.events import Action, InputEvent
from kiosk.core.flow import Screen
from kiosk.exhibit import Exhibit, known_illustrations, load_content, read_config, reloader
from kiosk.scenes.staff import status_lines
from kiosk.settings import Config, load_config
from tests.conftest import STORY_DIR
from tests.support.exhibit import app_for

SIZE = (800, 480)


# -- a kiosk in the test ------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A config file with its own story folder, data folder and socket."""
    story = tmp_path / "story"
    shutil.copytree(STORY_DIR, story)
    (tmp_path / "kiosk.toml").write_text(
        "[gpio]\nenabled = false\n[sensor]\nenabled = false\n"
        f'[paths]\ncontent = "{story}"\ndata = "{tmp_path / "data"}"\n'
        f'[control]\nsocket = "{tmp_path / "run" / "control.sock"}"\n',
        encoding="utf-8",
    )
    return tmp_path


class Kiosk:
    """An app and its control server; :meth:`ctl` runs ``kiosk ctl`` while the app steps."""

    def __init__(self, app: App, server: ControlServer, clock, capsys) -> None:
        self.app = app
        self.server = server
        self.clock = clock
        self.capsys = capsys

    def ctl(self, *argv: str) -> tuple[int, str, str]:
        """Run ``kiosk ctl ARGV…`` in a thread while stepping the app; (exit, out, err)."""
        self.capsys.readouterr()
        result: list[int] = []
        args = ["ctl", "--socket", str(self.server.path), *argv]
        thread = threading.Thread(target=lambda: result.append(cli.main(args)))
        thread.start()
        while thread.is_alive():
            self.clock.advance(0.05)
            self.app.step()
            thread.join(0.002)
        out, err = self.capsys.readouterr()
        return result[0], out, err

    def json(self, *argv: str) -> dict:
        code, out, _ = self.ctl("--json", *argv)
        reply = json.loads(out)
        assert (code == 0) == reply["ok"]
        return reply

    def settle(self) -> None:
        """Let a page transition finish."""
        self.clock.advance(1.0)
        self.app.step()

    def screenshot(self, name: str) -> bytes:
        """The pixels of a screenshot taken over the socket."""
        reply = self.json("screenshot", name)
        return pygame.image.tobytes(pygame.image.load(reply["result"]["file"]), "RGB")


@pytest.fixture
def kiosk(site, clock, capsys, pygame_ready):
    pygame.display.init()
    screen = pygame.display.set_mode(SIZE)
    path = str(site / "kiosk.toml")
    config = read_config(path)
    story = load_story(config.content_dir, known_illustrations())
    with Exhibit(
        config,
        story,
        surface=screen,
        clock=clock,
        hardware=False,
        stats=False,
        control=True,
        control_group=None,
        reloader=reloader(path),
    ) as exhibit:
        assert exhibit.control is not None
        exhibit.running.step()
        yield Kiosk(exhibit.running, exhibit.control, clock, capsys)
    pygame.display.quit()


# -- every command ------------------------------------------------------------------


def test_status_tells_staff_what_is_going_on(kiosk, site):
    code, out, err = kiosk.ctl("status")
    assert (code, err) == (0, "")
    assert "screen: attract" in out
    assert f"config: {site / 'kiosk.toml'}" in out
    status = kiosk.json("status")["result"]
    for key in ("uptime_s", "screen", "language", "frame_rate", "errors", "config", "sleep"):
        assert key in status
    assert status["sleep"]["asleep"] is False


def test_next_back_dock_and_goto_move_the_story(kiosk):
    app = kiosk.app
    assert kiosk.ctl("next")[1].strip() == "showing chapter 1 (en)"
    assert app.flow.state.page == app.flow.state.page.__class__(Screen.CHAPTER, 0, "en")
    kiosk.ctl("next")
    assert kiosk.ctl("back")[1].strip() == "showing chapter 1 (en)"
    dock = app.story.dock_chapter + 1
    kiosk.ctl("goto", str(dock))
    assert app.flow.state.page.chapter == dock - 1
    code, out, _ = kiosk.ctl("dock")
    assert (code, out.strip()) == (0, "showing the docking screen (en)")
    chapter_id = app.story.language("en").chapters[2].id
    kiosk.ctl("goto", chapter_id)
    assert app.flow.state.page.chapter == 2


def test_staff_presses_travel_the_bus_as_staff_input(kiosk):
    seen: list[InputEvent] = []

    class Watcher:
        def on_input(self, event, wall):
            seen.append(event)

        def on_state(self, state, wall):
            pass

    kiosk.app.observers.append(Watcher())
    kiosk.ctl("next")
    kiosk.ctl("back")
    kiosk.ctl("dock")  # from the attract loop, as a visitor could
    assert [(e.action, e.source) for e in seen] == [
        (Action.NEXT, "staff"),
        (Action.BACK, "staff"),
        (Action.DOCK, "staff"),
    ]


def test_dock_where_visitors_cannot_is_refused_with_the_way_there(kiosk):
    kiosk.ctl("goto", "1")
    code, out, err = kiosk.ctl("dock")
    assert (code, out) == (1, "")
    dock = kiosk.app.story.dock_chapter + 1
    assert f"Dock works only on the attract loop and chapter {dock}" in err
    assert f"kiosk ctl goto {dock}" in err
    assert kiosk.app.flow.state.page.screen is Screen.CHAPTER


def test_goto_refuses_what_does_not_exist(kiosk):
    count = kiosk.app.story.chapter_count
    code, out, err = kiosk.ctl("goto", str(count + 1))
    assert (code, out) == (1, "")
    assert err.strip() == f"kiosk ctl: goto refused: chapter {count + 1} does not exist (1–{count})"
    code, _, err = kiosk.ctl("goto", "no-such-chapter")
    assert code == 1
    assert "no chapter 'no-such-chapter': give a number" in err


def test_lang_switches_language_and_keeps_the_place(kiosk):
    codes = kiosk.app.story.codes
    assert len(codes) >= 2, "the bundled story has more than one language"
    kiosk.ctl("goto", "3")
    code, out, _ = kiosk.ctl("lang", codes[-1])
    assert (code, out.strip()) == (0, f"showing chapter 3 ({codes[-1]})")
    code, _, err = kiosk.ctl("lang", "xx")
    assert code == 1
    assert f"no language 'xx'; the story has: {', '.join(codes)}" in err


def test_screenshot_is_what_is_on_screen(kiosk, site):
    kiosk.ctl("goto", "2")
    kiosk.settle()
    reply = kiosk.json("screenshot", "chapter2.png")
    path = Path(reply["result"]["file"])
    assert path == site / "data" / "screenshots" / "chapter2.png"
    shot = pygame.image.load(path)
    assert shot.get_size() == SIZE
    assert pygame.image.tobytes(shot, "RGB") == pygame.image.tobytes(kiosk.app.surface, "RGB")
    absolute = site / "data" / "shots" / "absolute.png"  # inside the data dir: allowed
    assert kiosk.json("screenshot", str(absolute))["result"]["file"] == str(absolute)
    assert absolute.exists()


@pytest.mark.parametrize("where", ["/tmp", "site", "data/../elsewhere"])
def test_screenshot_outside_the_data_dir_is_refused_with_where_they_go(kiosk, site, where):
    """Under systemd (PrivateTmp, ProtectHome) staff would never see such a file."""
    folder = {"/tmp": Path("/tmp"), "site": site}.get(where, site / where)
    code, _, err = kiosk.ctl("screenshot", f"{folder}/shot.png")
    assert code == 1
    assert f"screenshots are saved under {site / 'data' / 'screenshots'}" in err
    assert "give a name such as shot.png" in err
    assert not (site / "shot.png").exists() and not (site / "elsewhere").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("shot.jpg", "give a file name ending in .png, got 'shot.jpg'"),
        ("../escape.png", "a relative file name may not contain '..', got '../escape.png'"),
        ("/no/such/dir/shot.png", "screenshots are saved under "),
    ],
)
def test_screenshot_refuses_bad_names(kiosk, name, message):
    code, _, err = kiosk.ctl("screenshot", name)
    assert code == 1
    assert message in err


def test_sleep_blacks_out_and_wake_brings_the_exhibit_back(kiosk):
    app = kiosk.app
    kiosk.ctl("next")
    code, out, _ = kiosk.ctl("sleep")
    assert (code, out.strip()) == (0, "asleep (put to sleep by staff)")
    assert app.asleep
    drawn = app.frames
    for _ in range(20):
        kiosk.clock.advance(1.0)
        app.step()
    assert app.frames == drawn
    code, _, err = kiosk.ctl("next")
    assert code == 1
    assert "the kiosk is asleep (put to sleep by staff); wake it first: kiosk ctl wake" in err
    code, out, _ = kiosk.ctl("wake")
    assert (code, out.strip()) == (0, "showing the attract screen (en)")
    assert app.frames > drawn


def test_help_lists_every_command(kiosk):
    code, out, _ = kiosk.ctl("help")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == list(COMMANDS)


def test_help_works_while_the_kiosk_is_down(tmp_path, capsys):
    assert cli.main(["ctl", "--socket", str(tmp_path / "none.sock"), "help"]) == 0
    out = capsys.readouterr().out
    assert [line.split()[0] for line in out.splitlines()] == list(COMMANDS)


# -- reload ----------------------------------------------------------------------------


def test_reload_applies_a_good_edit(kiosk, site):
    kiosk.ctl("goto", "2")
    kiosk.settle()
    before = kiosk.screenshot("before.png")
    en = site / "story" / "en.toml"
    chapter = kiosk.app.story.language("en").chapters[1]
    en.write_text(en.read_text().replace(chapter.title, "A new title"), encoding="utf-8")
    code, out, _ = kiosk.ctl("reload")
    assert code == 0
    assert out.startswith(f"reloaded {site / 'kiosk.toml'} and the story in {site / 'story'}")
    kiosk.settle()
    assert kiosk.app.story.language("en").chapters[1].title == "A new title"
    assert kiosk.app.flow.state.page.chapter == 1  # still on the same chapter
    assert kiosk.screenshot("after.png") != before


def test_reload_with_a_broken_story_is_refused_and_the_old_story_stays(kiosk, site):
    kiosk.ctl("goto", "2")
    kiosk.settle()
    before = kiosk.screenshot("before.png")
    en = site / "story" / "en.toml"
    lines = en.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("title"))
    lines[number - 1] = "titel = 'a typo'"
    en.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = kiosk.ctl("reload")
    assert (code, out) == (1, "")
    assert err.startswith("kiosk ctl: reload refused: nothing reloaded: the story files have")
    assert f"{en}:{number}: " in err
    kiosk.settle()
    assert kiosk.screenshot("after.png") == before
    status = kiosk.json("status")["result"]
    assert (status["screen"], status["chapter"]) == ("chapter", 2)


def test_reload_with_a_broken_config_is_refused(kiosk, site):
    config = site / "kiosk.toml"
    config.write_text(config.read_text() + "[exhibit]\nidle_timout = 5\n", encoding="utf-8")
    number = len(config.read_text().splitlines())
    code, _, err = kiosk.ctl("reload")
    assert code == 1
    assert f"nothing reloaded: the config has 1 problem(s):\n{config}:{number}: " in err
    assert "exhibit.idle_timout: unknown key" in err
    assert kiosk.app.config.idle_timeout == Config().idle_timeout


def test_a_reload_that_fails_unexpectedly_changes_nothing_and_is_reported_once(kiosk, site, mocker):
    kiosk.ctl("goto", "2")
    kiosk.settle()
    app = kiosk.app
    before = kiosk.screenshot("before.png")
    old = (app.config, app.story, app.flow, app.ctx, app.renderer)
    en = site / "story" / "en.toml"
    title = app.story.language("en").chapters[1].title
    en.write_text(en.read_text().replace(title, "A new title"), encoding="utf-8")
    mocker.patch("kiosk.app.loop.Renderer", side_effect=MemoryError("no room for the scenes"))
    for _ in range(2):
        code, out, err = kiosk.ctl("reload")
        assert (code, out) == (1, "")
        assert err.startswith(
            "kiosk ctl: reload refused: nothing reloaded: MemoryError: no room for the scenes"
        )
    assert all(
        now is then
        for now, then in zip(
            old, (app.config, app.story, app.flow, app.ctx, app.renderer), strict=True
        )
    )
    assert app.story.language("en").chapters[1].title == title
    kiosk.settle()
    assert kiosk.screenshot("after.png") == before
    [entry] = app.errors.recent()
    assert entry.count == 2 and "MemoryError" in entry.message


def test_a_sighup_reload_that_fails_unexpectedly_never_stops_the_kiosk(kiosk, caplog):
    app = kiosk.app
    kiosk.ctl("goto", "3")

    def broken():
        raise OSError(5, "Input/output error")

    app.reloader = broken
    app.request_reload()
    with caplog.at_level(logging.ERROR):
        app.step()  # raised OSError before the fix
    assert "reload on SIGHUP refused: nothing reloaded: OSError" in caplog.text
    assert "Input/output error" in app.errors.recent()[0].message
    kiosk.settle()
    assert app.status()["chapter"] == 3


def test_a_reload_keeps_a_visitor_on_the_credits(kiosk):
    app = kiosk.app
    kiosk.ctl("goto", str(app.story.chapter_count))
    kiosk.ctl("lang", "nb")
    kiosk.ctl("next")
    kiosk.settle()
    assert (app.flow.state.page.screen, app.flow.language) == (Screen.CREDITS, "nb")
    assert kiosk.ctl("reload")[0] == 0
    assert (app.flow.state.page.screen, app.flow.language) == (Screen.CREDITS, "nb")


def test_status_lists_the_config_and_story_problems_found_at_start(site, clock, pygame_ready):
    config_file = site / "kiosk.toml"
    config_file.write_text(
        config_file.read_text() + "[exhibit]\nidle_timout = 5\n", encoding="utf-8"
    )
    typo = len(config_file.read_text().splitlines())
    en = site / "story" / "en.toml"
    lines = en.read_text(encoding="utf-8").splitlines()
    broken = next(i for i, line in enumerate(lines, 1) if line.startswith("title"))
    lines[broken - 1] = "titel = 'a typo'"
    en.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = str(config_file)
    problems: list[str] = []
    config = read_config(path, problems=problems)
    story = load_content(config, problems)  # the bundled story, as at start-up
    pygame.display.init()
    try:
        screen = pygame.display.set_mode(SIZE)
        app = app_for(screen, story, config, clock=clock, reloader=reloader(path))
        assert app.status()["problems"] == []  # nothing given, nothing shown
        app = app_for(
            screen, story, config, clock=clock, reloader=reloader(path), problems=problems
        )
        listed = app.status()["problems"]
        assert listed[0].startswith(f"{config_file}:{typo}: exhibit.idle_timout: unknown key")
        assert listed[1].startswith(f"{en}:{broken}: ")
        assert listed[-1].startswith(f"{site / 'story'}: story: ")
        assert "the bundled story" in listed[-1]
        overlay = "\n".join(status_lines(app.status()))
        assert f"Config/story problems: {len(listed)}" in overlay
        assert listed[0] in overlay
        # fixed, then reloaded: the list is replaced
        config_file.write_text(
            config_file.read_text().replace("idle_timout", "idle_timeout"), encoding="utf-8"
        )
        en.write_text(
            en.read_text(encoding="utf-8").replace("titel = 'a typo'", "title = 'Fixed'"),
            encoding="utf-8",
        )
        reply = app.execute(Request("reload"), clock(), 0.0)
        assert reply["ok"], reply
        assert app.status()["problems"] == []
    finally:
        pygame.display.quit()


# -- the protocol and its limits ----------------------------------------------------------


def raw(path: Path, data: bytes) -> list[dict]:
    """Send raw bytes and read every reply line until the server closes or goes quiet."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(5.0)
        sock.connect(str(path))
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return [json.loads(line) for line in b"".join(chunks).splitlines()]


@pytest.fixture
def server(tmp_path):
    """A control server whose queue nobody drains (for replies that need no main loop)."""
    commands = CommandQueue()
    server = ControlServer(
        tmp_path / "c.sock", commands, group=None, idle_timeout=2.0, reply_timeout=0.2
    )
    server.start()
    yield server
    server.close()


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (b"status", "request is not JSON"),
        (b"[1, 2]", 'request must be a JSON object such as {"cmd": "status"}'),
        (b'{"arg": "1"}', 'request needs "cmd", a command name such as "status"'),
        (b'{"cmd": "explode"}', "unknown command 'explode'; commands: status, next"),
        (b'{"cmd": "goto"}', 'goto needs CHAPTER ("arg")'),
        (b'{"cmd": "next", "arg": "2"}', "next takes no argument"),
        (b'{"cmd": "lang", "arg": ["en"]}', '"arg" must be text or a number, got list'),
        (b"\xff\xfe", "request is not UTF-8 text"),
        (b"[" * 3000, "request is not JSON"),
    ],
)
def test_malformed_requests_get_a_precise_error(server, line, error):
    replies = raw(server.path, line + b"\n")
    assert len(replies) == 1
    assert replies[0]["ok"] is False
    assert replies[0]["error"].startswith(error)


def test_several_requests_on_one_connection_each_get_a_reply(server):
    replies = raw(server.path, b'{"cmd": "help", "id": 1}\n\n{"cmd": "nope", "id": 2}\n')
    assert [(r["ok"], r.get("id")) for r in replies] == [(True, 1), (False, None)]


def test_an_oversized_line_is_refused_and_the_connection_closed(server):
    replies = raw(server.path, b'{"cmd": "status", "pad": "' + b"x" * MAX_LINE + b'"}\n')
    assert replies == [
        {"ok": False, "error": f"request line longer than {MAX_LINE} bytes; closing the connection"}
    ]


def test_line_reader_never_holds_more_than_one_line():
    reader = LineReader(max_line=16)
    assert reader.feed(b"ab\ncd") == [b"ab"]
    assert reader.feed(b"e\r\n") == [b"cde"]
    with pytest.raises(LineTooLong):
        reader.feed(b"x" * 1_000_000)


def test_connections_are_limited(server):
    held = []
    try:
        for _ in range(server.max_connections):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(str(server.path))
            sock.sendall(b'{"cmd": "help"}\n')
            sock.recv(65536)  # served: this connection holds a slot
            held.append(sock)
        replies = raw(server.path, b'{"cmd": "help"}\n')
        assert replies == [{"ok": False, "error": "too many connections (at most 4)"}]
    finally:
        for sock in held:
            sock.close()


def test_a_silent_client_is_disconnected(server):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10.0)
        sock.connect(str(server.path))
        sock.sendall(b'{"cmd": "sta')  # and then nothing more
        reply = json.loads(sock.recv(65536))
        assert reply == {"ok": False, "error": "no complete request within 2 s"}
        assert sock.recv(65536) == b""


def test_a_stuck_main_loop_gives_an_error_and_the_command_never_runs_late(server):
    reply = send_command(server.path, "next")
    assert reply["ok"] is False
    assert reply["error"].startswith("the kiosk did not answer within 0.2 s")
    (pending,) = server.commands.drain()
    assert pending.claim() is False  # abandoned: the main loop will skip it


def test_commands_from_the_queue_run_on_the_main_loop(kiosk):
    reply = {}
    thread = threading.Thread(
        target=lambda: reply.update(kiosk.app.commands.submit(Request("next", id="x")))
    )
    thread.start()
    while thread.is_alive():
        kiosk.app.step()
        thread.join(0.002)
    assert reply == {
        "ok": True,
        "result": {"screen": "chapter", "chapter": 1, "language": "en"},
        "id": "x",
    }


# -- the socket's permissions and the client's errors --------------------------------------


def test_the_socket_is_0660_and_belongs_to_the_staff_group(tmp_path):
    group = grp.getgrgid(os.getgid()).gr_name
    server = ControlServer(tmp_path / "run" / "c.sock", CommandQueue(), group=group)
    server.start()
    try:
        st = os.stat(server.path)
        assert stat.S_ISSOCK(st.st_mode)
        assert stat.S_IMODE(st.st_mode) == 0o660
        assert st.st_gid == grp.getgrnam(group).gr_gid
        assert server.group_warning is None
    finally:
        server.close()
    assert not server.path.exists()


def test_no_chown_when_the_socket_is_in_the_group_already(tmp_path, mocker):
    # kiosk.service: Group=kiosk-staff, and SystemCallFilter=~@privileged makes chown()
    # fail with EPERM (found booting the image in QEMU: a false warning at every start).
    chown = mocker.patch("kiosk.control.server.os.chown", side_effect=PermissionError(1, "EPERM"))
    group = grp.getgrgid(os.getegid()).gr_name
    server = ControlServer(tmp_path / "c.sock", CommandQueue(), group=group)
    server.start()
    server.close()
    assert server.group_warning is None
    chown.assert_not_called()


def test_a_missing_group_is_named_with_how_to_create_it(tmp_path, caplog):
    server = ControlServer(tmp_path / "c.sock", CommandQueue(), group="no-such-staff-group")
    server.start()
    server.close()
    assert server.group_warning == (
        "group 'no-such-staff-group' does not exist, so only the kiosk's own user can use "
        "kiosk ctl; create it with: sudo groupadd --system no-such-staff-group "
        "(then: sudo usermod -aG no-such-staff-group USER)"
    )
    assert server.group_warning in caplog.text


def test_a_stale_socket_is_replaced_and_a_live_one_is_not(tmp_path):
    path = tmp_path / "c.sock"
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()  # left behind, as by a crash
    first = ControlServer(path, CommandQueue(), group=None)
    first.start()
    try:
        second = ControlServer(path, CommandQueue(), group=None)
        with pytest.raises(OSError, match="another kiosk is already listening"):
            second.start()
    finally:
        first.close()


def ctl_exit(*argv: str) -> tuple[int, str]:
    """Run ``kiosk ctl`` as a process: exit status and stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "ctl", *argv], capture_output=True, text=True, timeout=60
    )
    return done.returncode, done.stderr.strip()


def test_ctl_help_lists_the_exit_statuses_the_client_really_uses(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli.main(["ctl", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    listed = [int(n) for n in re.findall(r"(?:status:|,) (\d) ", text)]
    assert listed == [0, 1, 2, 3]
    assert ctl_exit("--socket", str(tmp_path / "none.sock"), "help")[0] == 0
    assert ctl_exit("--socket", str(tmp_path / "none.sock"), "stauts")[0] == 2
    assert ctl_exit("--socket", str(tmp_path / "none.sock"), "status")[0] == 3


def test_the_client_waits_longer_than_the_server_can_take():
    """The server answers within 2 × REPLY_TIMEOUT (Pending.wait); the client waits more."""
    defaults = cli.build_parser().parse_args(["ctl", "status"])
    worst = 2 * REPLY_TIMEOUT
    assert defaults.timeout >= worst + 5
    assert inspect.signature(send_command).parameters["timeout"].default >= worst + 5


def test_no_socket_means_the_kiosk_is_not_running(tmp_path):
    code, err = ctl_exit("--socket", str(tmp_path / "none.sock"), "status")
    assert code == 3
    assert err == (
        f"kiosk ctl: no control socket at {tmp_path / 'none.sock'}: the kiosk is not running, "
        "or runs with another config (check: systemctl status kiosk)"
    )


def test_a_socket_nobody_listens_on_says_the_kiosk_stopped(tmp_path):
    path = tmp_path / "dead.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as dead:
        dead.bind(str(path))
        code, err = ctl_exit("--socket", str(path), "status")
    assert code == 3
    assert err.startswith(f"kiosk ctl: nothing is listening on {path}: the kiosk has stopped")


def test_a_kiosk_that_never_answers_is_reported_as_stuck(tmp_path):
    path = tmp_path / "stuck.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stuck:
        stuck.bind(str(path))
        stuck.listen(1)  # connects, but nobody ever reads or answers
        code, err = ctl_exit("--socket", str(path), "--timeout", "0.5", "status")
    assert code == 3
    assert err.startswith(f"kiosk ctl: the kiosk at {path} did not answer in time: it may be stuck")


def test_a_client_without_permission_is_told_which_group_to_join(tmp_path):
    """Not root: a 0000 socket.  Root: the client runs as nobody (setpriv) on a 0660 socket."""
    folder = tmp_path / "run"
    folder.mkdir()
    os.chmod(tmp_path, 0o755)
    os.chmod(folder, 0o755)
    server = ControlServer(folder / "c.sock", CommandQueue(), group=None)
    server.start()
    try:
        python = [sys.executable, "-m", "kiosk"]
        run = {
            "capture_output": True,
            "text": True,
            "timeout": 60,
            "cwd": Path(__file__).resolve().parent.parent,
            "env": {**os.environ, "KIOSK_CONFIG": str(tmp_path / "absent.toml")},
        }
        if os.geteuid() == 0:
            setpriv = shutil.which("setpriv")
            if setpriv is None:
                pytest.skip("running as root without setpriv: cannot be a user without access")
            python = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *python]
            probe = subprocess.run([*python, "--version"], **run)
            if probe.returncode != 0:
                pytest.skip(f"user nobody cannot run this checkout: {probe.stderr.strip()[:200]}")
        else:
            os.chmod(server.path, 0)
        done = subprocess.run([*python, "ctl", "--socket", str(server.path), "status"], **run)
    finally:
        server.close()
    assert done.returncode == 3
    assert done.stderr.strip() == (
        f"kiosk ctl: permission denied on {server.path}: join the kiosk-staff group "
        "(sudo usermod -aG kiosk-staff $USER, then log out and in again)"
    )


# -- the real thing: `kiosk run` in a process ------------------------------------------------


def test_kiosk_run_answers_ctl_reloads_on_sighup_and_notifies_systemd(site):
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(site / "notify.sock"))
    notify.settimeout(60)
    env = {
        **os.environ,
        "SDL_VIDEODRIVER": "dummy",
        "SDL_AUDIODRIVER": "dummy",
        "NOTIFY_SOCKET": str(site / "notify.sock"),
    }
    config = site / "kiosk.toml"
    kiosk = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--config", str(config), "--size", "800x480"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert notify.recv(4096).startswith(b"READY=1\nSTATUS=showing the attract screen")
        ctl = ["--config", str(config)]
        code, err = ctl_exit(*ctl, "next")
        assert (code, err) == (0, "")
        status = json.loads(
            subprocess.run(
                [sys.executable, "-m", "kiosk", "ctl", *ctl, "--json", "status"],
                capture_output=True,
                text=True,
                timeout=60,
            ).stdout
        )["result"]
        assert (status["screen"], status["chapter"], status["pid"]) == ("chapter", 1, kiosk.pid)
        assert status["stats"]["path"] == str(site / "data" / "stats.sqlite3")
        config.write_text(config.read_text() + "[exhibit]\nidle_timeout = 45\n")
        kiosk.send_signal(signal.SIGHUP)
        code, _ = ctl_exit(*ctl, "status")  # answered after the reload was done
        assert code == 0
        kiosk.send_signal(signal.SIGTERM)
        assert kiosk.wait(timeout=30) == 0
        messages = []
        with contextlib.suppress(TimeoutError):
            notify.settimeout(1)
            while True:
                messages.append(notify.recv(4096))
        assert b"STOPPING=1\nSTATUS=stopping" in messages
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
        output = kiosk.communicate(timeout=30)[0]
        notify.close()
    assert "reloaded on SIGHUP" in output, output
    assert load_config(config)[0].idle_timeout == 45
    assert not (site / "run" / "control.sock").exists()


def test_every_command_has_a_test():
    tested = {"status", "next", "back", "goto", "dock", "lang", "reload", "screenshot"}
    tested |= {"sleep", "wake", "help"}
    assert tested == set(COMMANDS)


def test_reloaded_opening_hours_put_it_to_sleep_and_staff_can_wake_it(kiosk, site):
    config = site / "kiosk.toml"
    config.write_text(
        config.read_text() + '[hours]\ntimezone = "Europe/Oslo"\nmonday = "closed"\n',
        encoding="utf-8",
    )
    assert kiosk.ctl("reload")[0] == 0
    assert kiosk.app.asleep
    code, _, err = kiosk.ctl("dock")
    assert code == 1
    assert "the kiosk is asleep (closed); wake it first: kiosk ctl wake" in err
    assert kiosk.json("status")["result"]["sleep"]["open"] is False
    assert kiosk.ctl("wake")[0] == 0
    assert not kiosk.app.asleep
