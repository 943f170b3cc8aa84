"""`bot assessments export` and `bot report`: a whole case, or a period's figures, to a file or stdout.

Binary formats (PDF, xlsx) are refused on a terminal unless `--output -` asks for them there; files written
are 0600 (bot.cli.common.write_output)."""

from __future__ import annotations

import argparse
import json

from bot.cli.common import EXIT_OK, CliFailure, binary_to_terminal, open_store, os_user, write_output
from bot.settings import Settings


def _refuse_binary_on_a_terminal(args: argparse.Namespace) -> None:
    if binary_to_terminal(args.output):
        args.parser.error(
            f"--format {args.format} writes binary data, which a terminal cannot show: give --output FILE "
            "(or --output - to write it to standard output all the same)"
        )


def assessments_export(args: argparse.Namespace, settings: Settings) -> int:
    """The whole case (answers with every revision, decisions, tags, transcript), as JSON or the printed PDF:
    the same case document a lead's export renders."""
    from bot.domain.errors import NotFoundError, StoreError
    from bot.domain.records import Actor
    from bot.questions import BankProvider
    from bot.review.case_reading import CaseReading  # not ReviewService: the one job used loads (#27)

    if args.format == "pdf":
        _refuse_binary_on_a_terminal(args)
    review = CaseReading(
        open_store(settings).session_factory,
        BankProvider(settings.bank_path),
        tracker_db=settings.tracker_database,
    )
    try:
        document = review.export_for_cli(Actor("cli", os_user()), args.conversation, args.id, args.format)
    except NotFoundError:
        which = f"conversation {args.conversation!r}" if args.conversation else f"id {args.id!r}"
        raise CliFailure(f"no assessment found for {which}") from None
    except StoreError as error:
        raise CliFailure(str(error)) from None
    if args.format == "pdf":
        from bot.review.pdf import render_pdf

        output = render_pdf(document)
    else:
        from bot.review.case_json import to_json

        # UTF-8 whatever the locale: the words must come out intact.
        output = (json.dumps(to_json(document), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return write_output(args.output, output)


def report(args: argparse.Namespace, settings: Settings) -> int:
    """Every team's figures (or one team's) for a period, suppressed as on the page, audited as the CLI."""
    from bot.domain.errors import StoreError
    from bot.domain.records import Actor
    from bot.questions import BankProvider
    from bot.reports.builder import Period
    from bot.reports.exports import CSV_ENCODING, report_csv, report_xlsx
    from bot.reports.service import ReportService

    if args.format == "xlsx":
        _refuse_binary_on_a_terminal(args)
    first, last = args.first, args.last  # dates already: board_date
    service = ReportService(
        open_store(settings).session_factory,
        BankProvider(settings.bank_path).current(),
        threshold=settings.report_threshold,
    )
    try:
        figures = service.report_for_cli(Actor("cli", os_user()), Period(first, last), args.team, args.format)
    except StoreError as error:
        raise CliFailure("; ".join(error.fields.values())) from None
    output = report_xlsx(figures) if args.format == "xlsx" else report_csv(figures).encode(CSV_ENCODING)
    return write_output(args.output, output)


def case_export_sar(args: argparse.Namespace, settings: Settings) -> int:
    """Everything held about one child (bot.review.subject_access) for the DPO: JSON at --output and, beside
    it, the readable PDF (each case's own printed record, then its details, documents and audit events), both
    0600. Never to standard output: it holds identifying details."""
    from pathlib import Path

    from bot.domain.errors import StoreError
    from bot.domain.records import Actor
    from bot.questions import BankProvider
    from bot.review.case_reading import CaseReading  # not ReviewService: the one job used loads (#27)
    from bot.review.pdf import render_subject_access_pdf

    output = Path(args.output)
    if output.suffix.lower() != ".json" or args.output == "-":
        args.parser.error("--output must name a .json file; the readable PDF is written beside it (.pdf)")
    review = CaseReading(
        open_store(settings).session_factory,
        BankProvider(settings.bank_path),
        tracker_db=settings.tracker_database,
    )
    try:
        export = review.export_subject_access(Actor("cli", os_user()), args.reference, args.person)
    except StoreError as error:
        raise CliFailure("; ".join(error.fields.values())) from None
    data = json.dumps(export.to_json(), ensure_ascii=False, indent=2) + "\n"
    readable = output.with_suffix(".pdf")
    write_output(str(output), data.encode("utf-8"))
    write_output(str(readable), render_subject_access_pdf(export))
    print(
        f"{len(export.cases)} case(s) for {export.asked_for}: {output} and {readable} (readable by you only)"
    )
    return EXIT_OK
