"""`bot questions check`: the bank check (bot.questions.bank_checks), for authors and `make bank-check`.

Unlike the other commands it prints its findings to standard output, one `file:line: field: message` line
each (the form editors and CI jump to), and nothing at all when the bank is clean: exit 0 clean, 1 with
problems, 2 for a usage error (a --bank that is not there).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.common import EXIT_FAILED, EXIT_OK


def questions_check(args: argparse.Namespace) -> int:
    from bot.questions.bank_checks import check_bank
    from bot.questions.loader import DEFAULT_BANK_PATH

    bank = Path(args.bank) if args.bank else DEFAULT_BANK_PATH
    if not bank.exists():
        args.parser.error(f"--bank {args.bank}: no such folder or file")
    problems = check_bank(bank)
    for problem in problems:
        print(problem)
    return EXIT_FAILED if problems else EXIT_OK
