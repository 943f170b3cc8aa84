"""`python -m bot.notify.mail_sink --port N --dir DIR`: a local SMTP server keeping each message as a file.

Embedded (development) mode has no mail server, yet the urgent-notice path should run end to end: `bot run`
starts this on 127.0.0.1 (never another interface) and points the app's BOT_SMTP_URL at it, and each
message it receives lands in DIR as one `.eml` file that any mail program opens. It accepts anything, sends
nothing on, and stops cleanly on SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP

HOST = "127.0.0.1"


class MailFolder:
    """aiosmtpd handler: writes each message to the folder, whole, under a name that sorts by arrival."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._numbers = itertools.count(1)

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        path = self.folder / f"{stamp}-{os.getpid()}-{next(self._numbers)}.eml"
        recipients = ", ".join(envelope.rcpt_tos)
        content = envelope.original_content or envelope.content
        data = f"X-Envelope-To: {recipients}\r\n".encode() + content
        partial = path.with_suffix(".part")  # renamed when complete, so a reader never sees half a message
        partial.write_bytes(data)
        partial.replace(path)
        print(f"mail for {recipients} saved as {path.name}", flush=True)
        return "250 Message accepted for delivery"


async def serve(port: int, folder: Path, stop: asyncio.Event) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    handler = MailFolder(folder)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, hostname="localhost"), HOST, port)
    print(f"mail sink listening on {HOST}:{port}; messages are saved in {folder}", flush=True)
    async with server:
        await stop.wait()


async def _main(port: int, folder: Path) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await serve(port, folder, stop)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.notify.mail_sink", description=__doc__)
    parser.add_argument("--port", type=int, required=True, help="port on 127.0.0.1")
    parser.add_argument("--dir", type=Path, required=True, help="folder to save messages in")
    args = parser.parse_args(argv)
    try:
        asyncio.run(_main(args.port, args.dir.resolve()))
    except OSError as error:  # the port is taken, most likely
        reason = error.strerror or error
        raise SystemExit(f"mail sink: cannot listen on {HOST}:{args.port}: {reason}") from None


if __name__ == "__main__":
    main()
