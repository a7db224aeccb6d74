"""``flask --app lms api …``: the demo key (for docs/api.md's examples) and the demo webhook secret."""

from __future__ import annotations

import click
from flask.cli import AppGroup

api_group = AppGroup("api", help="The partner API.")


@api_group.command("demo-key")
def demo_key() -> None:
    """Print Gulf AI Academy's demo API key (derived from the demo password; run seed-demo first)."""
    from lms.api.demo import demo_credentials

    credentials = demo_credentials()
    if credentials is None:
        raise click.ClickException("No demo password: run `flask --app lms seed-demo` first or set LMS_DEMO_PASSWORD.")
    click.echo(credentials.api_key)


@api_group.command("demo-webhook-secret")
def demo_webhook_secret() -> None:
    """Print the signing secret of the demo webhook endpoint (for docs/examples/webhook_receiver.py)."""
    from lms.api.demo import demo_credentials

    credentials = demo_credentials()
    if credentials is None:
        raise click.ClickException("No demo password: run `flask --app lms seed-demo` first or set LMS_DEMO_PASSWORD.")
    click.echo(credentials.webhook_secret)
