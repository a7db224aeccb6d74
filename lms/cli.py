"""Command-line tools: ``flask --app lms <command>``."""

from __future__ import annotations

import importlib
import importlib.util
import os
import secrets
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from lms.core.db import write_transactions

DEMO_PASSWORD_FILE = "demo-password.txt"  # noqa: S105 (a file name, not a secret)


def register_commands(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(serve)
    app.cli.add_command(translations)
    app.cli.add_command(audit_group)


def _demo_seeders() -> list:
    from lms.app import DOMAINS

    seeders = []
    for domain in DOMAINS:
        name = f"lms.{domain}.demo"
        try:
            if importlib.util.find_spec(name) is None:
                continue
        except ModuleNotFoundError:
            continue
        seeders.append(importlib.import_module(name).seed)
    return seeders


@click.command("seed-demo")
def seed_demo() -> None:
    """Create (or complete) the demo network; safe to run again."""
    from lms.core.demo import DemoContext
    from lms.extensions import db

    password_file = Path(current_app.instance_path) / DEMO_PASSWORD_FILE
    password = os.environ.get("LMS_DEMO_PASSWORD") or current_app.config.get("DEMO_PASSWORD")
    explicit = bool(password)
    if not password:
        password = secrets.token_urlsafe(9)
    context = DemoContext(password=password, reset_passwords=explicit)
    with write_transactions():
        for seed in _demo_seeders():
            seed(context)
            db.session.commit()
    if context.new_accounts and not explicit:
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
    click.echo("Demo accounts: " + ", ".join(sorted(context.accounts)))
    if explicit:
        click.echo("Password: the value of LMS_DEMO_PASSWORD")
    elif context.new_accounts:
        click.echo(f"Password (shown once, also saved to {password_file}): {password}")
    else:
        click.echo(f"Passwords unchanged (see {password_file}, or set LMS_DEMO_PASSWORD and run again).")


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--threads", default=8, type=int)
def serve(host: str, port: int, threads: int) -> None:
    """Serve the app with gunicorn (one process, threads); periodic tasks run in it when there is no broker."""
    from gunicorn.app.base import BaseApplication

    from lms.core.tasks import EmbeddedBeat

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    embedded_beat = not app.config.get("BROKER_URL") and app.config.get("EMBEDDED_BEAT")

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", 1)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", "-")
            if embedded_beat:
                self.cfg.set("post_worker_init", lambda worker: EmbeddedBeat(app).start())

        def load(self) -> object:
            return app

    click.echo(f"lms is running at http://{host}:{port}/ (Ctrl+C stops it)")
    Server().run()


translations = AppGroup("translations", help="Extract, update, compile and check the message catalogs.")


@translations.command("update")
@click.argument("catalogs", nargs=-1)
def translations_update(catalogs: tuple[str, ...]) -> None:
    """Extract messages from the sources and merge them into every locale's catalog (or only those named)."""
    from lms.core.i18n_catalogs import catalog_sources, update

    for name in catalogs or tuple(catalog_sources()):
        template = update(name)
        click.echo(f"{name}: {len(template)} messages")


@translations.command("compile")
def translations_compile() -> None:
    from lms.core.i18n_catalogs import compile_all

    click.echo(f"compiled {compile_all()} catalogs")


@translations.command("check")
def translations_check() -> None:
    """Fail when a message in the sources lacks a translation in some locale."""
    from lms.core.i18n_catalogs import check

    gaps = check()
    for gap in gaps[:200]:
        click.echo(f"{gap.catalog}/{gap.locale}: {gap.problem}: {gap.msgid[:70]!r}")
    if gaps:
        click.echo(f"{len(gaps)} gaps", err=True)
        sys.exit(1)
    click.echo("all catalogs complete")


audit_group = AppGroup("audit", help="The audit trail.")


@audit_group.command("verify")
def audit_verify() -> None:
    """Recompute the audit hash chain; exit 1 at the first broken row."""
    from lms.core.audit import verify_chain

    report = verify_chain()
    if report.ok:
        click.echo(f"audit chain intact: {report.checked} events")
        return
    click.echo(f"audit chain broken at event {report.broken_at}: {report.reason} ({report.checked} intact before it)")
    sys.exit(1)
