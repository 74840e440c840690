"""The error reporter: a traceback once per distinct failure, repeats counted, honest outcome."""

from __future__ import annotations

import logging

import pytest

from kiosk.errors import ErrorReporter


def fail(message: str) -> ValueError:
    try:
        raise ValueError(message)
    except ValueError as exc:
        return exc


@pytest.mark.parametrize(
    ("recovered", "outcome"),
    [(True, "went back to the attract loop"), (False, "the exhibit runs on")],
)
def test_the_log_says_what_really_happened(
    caplog: pytest.LogCaptureFixture, recovered: bool, outcome: str
) -> None:
    reporter = ErrorReporter(logging.getLogger("test.errors"))
    with caplog.at_level(logging.ERROR, "test.errors"):
        reporter.report(fail("boom"), "drawing chapter 3", 0.0, recovered=recovered)
    [record] = caplog.records
    assert "drawing chapter 3: ValueError: boom" in record.getMessage()
    assert outcome in record.getMessage()
    assert record.exc_info is not None


def test_repeats_are_counted_not_logged_again(caplog: pytest.LogCaptureFixture) -> None:
    reporter = ErrorReporter(logging.getLogger("test.errors"))
    with caplog.at_level(logging.ERROR, "test.errors"):
        for second in range(30):
            reporter.report(fail("again"), "updating", float(second))
    assert len(caplog.records) == 1
    [entry] = reporter.recent()
    assert entry.count == 30
    assert reporter.total == 30
