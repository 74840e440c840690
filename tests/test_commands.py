"""The staff commands are one table: help, the protocol, ``kiosk ctl`` and
deploy/CONTROL.md all derive from it, so a new command is one function."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.app import commands
from kiosk.app.commands import COMMANDS, command, format_result, help_text, markdown_table
from kiosk.cli import build_parser
from kiosk.control import Request, parse_request
from kiosk.exc import CommandError

CONTROL_MD = Path(__file__).resolve().parent.parent / "deploy" / "CONTROL.md"


def test_control_md_lists_the_commands_of_the_table():
    assert markdown_table() in CONTROL_MD.read_text(encoding="utf-8")


def test_help_lists_the_table_in_order():
    assert [key.split()[0] for key in help_text()] == list(COMMANDS)
    assert help_text()["goto CHAPTER"] == COMMANDS["goto"].help


def test_the_protocol_and_the_command_line_take_the_table_s_commands():
    for name, spec in COMMANDS.items():
        line = {"cmd": name} if spec.arg is None else {"cmd": name, "arg": "x"}
        assert parse_request(json.dumps(line).encode()) == Request(name, line.get("arg"))
        assert build_parser().parse_args(["ctl", name]).ctl_command == name
    with pytest.raises(SystemExit):
        build_parser().parse_args(["ctl", "nonesuch"])


@pytest.fixture
def extra_command():
    """A command added for one test, as a developer would add one: one function."""

    @command("ping", "answer pong", arg="WORD", words=lambda r: f"pong {r['word']}")
    def ping(control, arg):
        return {"word": arg}

    yield ping
    del COMMANDS["ping"]


def test_a_new_command_is_one_function(extra_command):
    assert parse_request(b'{"cmd": "ping", "arg": "hi"}') == Request("ping", "hi")
    with pytest.raises(CommandError, match="ping needs WORD"):
        parse_request(b'{"cmd": "ping"}')
    assert help_text()["ping WORD"] == "answer pong"
    assert "| `ping` | `WORD` | answer pong |" in markdown_table()
    reply = commands.run(None, Request("ping", "hi"), lambda exc, context: None)  # type: ignore[arg-type]
    assert reply == {"ok": True, "result": {"word": "hi"}}
    assert format_result("ping", reply["result"]) == "pong hi"
    assert build_parser().parse_args(["ctl", "ping", "hi"]).ctl_command == "ping"
