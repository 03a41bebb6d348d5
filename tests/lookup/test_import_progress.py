from __future__ import annotations

import io

from lookup.importing import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal():
    screen = Terminal()
    progress = Progress(screen)

    progress.start("Comparing", 4)
    progress.advance(2)
    progress.finish()

    assert "\rComparing                [###############...............]  50%" in screen.getvalue()
    assert screen.getvalue().endswith("100%\n")


def test_progress_is_quiet_when_output_is_not_a_terminal():
    log = io.StringIO()
    progress = Progress(log)

    progress.start("Comparing", 4)
    progress.advance(4)
    progress.finish()

    assert log.getvalue() == ""
