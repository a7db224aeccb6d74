"""Certificates: co-branded multilingual PDFs, signed Open Badges 3.0 credentials, public
verification, expiry reminders, renewal and bulk issue."""

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.certificates.cli import certificates_cli

    app.cli.add_command(certificates_cli)
