"""`bot --version`: the installed distribution's version, looked up only when it is printed or written."""

from __future__ import annotations

import argparse
import sys

DISTRIBUTION = "safeguarding-assessment-bot"  # pyproject.toml [project] name


def package_version() -> str:
    # importlib.metadata (and the search of the installed distributions) only when a version is printed or
    # written: start-up cost of every other command.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


class VersionAction(argparse.Action):
    """argparse's `version` action, with the version looked up when `--version` is given, not at start."""

    def __init__(
        self, option_strings: list[str], dest: str = argparse.SUPPRESS, help: str | None = None
    ) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        formatter = parser._get_formatter()  # as argparse's own version action writes it
        formatter.add_text(f"{parser.prog} {package_version()}")
        parser._print_message(formatter.format_help(), sys.stdout)
        parser.exit()
