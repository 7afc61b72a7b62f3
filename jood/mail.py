"""Outgoing mail. In the embedded mode each message is written to the outbox folder and echoed to the console."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from flask import current_app


def send_mail(to: str, subject: str, body: str, attachments: Sequence[tuple[str, str, bytes]] | None = None,
              html: str | None = None, inline: Sequence[tuple[str, str, bytes]] = (), *,
              message_id: str | None = None) -> None:
    """`message_id` (e.g. "receipt-JD-2026-000042") makes a message the same message however often it is sent: a
    stable Message-ID header, by which mail systems recognise a repeat, and one outbox file that a repeat replaces.
    `html` is an alternative to the plain `body`; `inline` holds the images it shows as `cid:<name>`."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    if message_id:
        domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2] or "jood.local"
        message["Message-ID"] = f"<{message_id}@{domain}>"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
        html_part = message.get_payload()[-1]
        for name, mimetype, content in inline:
            maintype, subtype = mimetype.split("/", 1)
            html_part.add_related(content, maintype=maintype, subtype=subtype, cid=f"<{name}>", filename=name)
    for filename, mimetype, content in attachments or []:
        maintype, subtype = mimetype.split("/", 1)
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)

    config = current_app.config
    if config["MAIL_SERVER"]:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
        return

    outbox = Path(config["MAIL_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    name = message_id if message_id else stamp
    path = outbox / f"{name}-{to.replace('@', '_at_')}.eml"
    path.write_bytes(bytes(message))
    current_app.logger.info("Mail to %s (%s) written to %s", to, subject, path)
    print(f"[outbox] to={to} subject={subject}\n{body}")  # noqa: T201 - the embedded mode's console mail
