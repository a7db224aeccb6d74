"""``flask --app lms certificates …``: export a PDF, verify stored PDFs, build fonts, rotate the key."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup, with_appcontext

from lms.core.db import write_transactions

certificates_cli = AppGroup("certificates", help="Certificates: export, verify, keys, fonts.")


@certificates_cli.command("export")
@click.argument("number")
@click.option("--lang", "language", default=None, help="Language code (en, ar, es, fr, de, ja); default: as issued.")
@click.option("--bilingual", is_flag=True, help="English plus the chosen language on one page.")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export(number: str, language: str | None, bilingual: bool, output: Path) -> None:
    """Write the PDF of certificate NUMBER (rendered and stored first if that language is new)."""
    from lms.certificates import queries
    from lms.certificates.rendering import CERTIFICATE_LANGUAGES
    from lms.certificates.services import issuing
    from lms.extensions import db

    with write_transactions():
        certificate = queries.by_number(number)
        if certificate is None:
            raise click.ClickException(f"no certificate numbered {number!r}")
        language = language or certificate.language
        if language not in CERTIFICATE_LANGUAGES:
            raise click.ClickException(f"language must be one of {', '.join(CERTIFICATE_LANGUAGES)}")
        document = issuing.document_for(
            certificate, language, bilingual or (certificate.bilingual and language == certificate.language)
        )
        db.session.commit()
        data = issuing.document_bytes(document)
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise click.ClickException(f"the stored PDF of {number} does not match its hash")
    output.write_bytes(data)
    click.echo(
        f"{certificate.number} ({document.language}{', bilingual' if document.bilingual else ''}): "
        f"{len(data)} bytes → {output}"
    )


@certificates_cli.command("verify-chain")
@with_appcontext
def verify_chain() -> None:
    """Check every stored PDF against its SHA-256, every credential's signature, and the replacement chain."""
    from lms.certificates import credentials
    from lms.certificates.models import Certificate, CertificateDocument, CertificateStatus
    from lms.certificates.numbering import is_well_formed
    from lms.core.storage import get_storage
    from lms.extensions import db

    storage = get_storage()
    problems: list[str] = []
    checked = 0
    last_id = 0
    while True:
        documents = (
            db.session.execute(
                sa.select(CertificateDocument)
                .where(CertificateDocument.id > last_id)
                .order_by(CertificateDocument.id)
                .limit(500)
            )
            .scalars()
            .all()
        )
        if not documents:
            break
        for document in documents:
            last_id = document.id
            checked += 1
            try:
                data = storage.load(document.storage_key)
            except (OSError, ValueError):
                problems.append(f"document {document.id}: file missing ({document.storage_key})")
                continue
            if hashlib.sha256(data).hexdigest() != document.sha256:
                problems.append(f"document {document.id}: content does not match its SHA-256 ({document.storage_key})")
        db.session.expunge_all()
    certificates = 0
    for certificate in db.session.execute(sa.select(Certificate).order_by(Certificate.id)).scalars():
        certificates += 1
        if not certificate.number or not is_well_formed(certificate.number):
            problems.append(f"certificate {certificate.id}: malformed number {certificate.number!r}")
        if not certificate.credential_jwt:
            problems.append(f"certificate {certificate.number}: no signed credential")
        else:
            try:
                payload = credentials.verify(certificate.credential_jwt)
            except credentials.CredentialError as error:
                problems.append(f"certificate {certificate.number}: credential {error}")
            else:
                if payload.get("credentialSubject", {}).get("licenseNumber") != certificate.number:
                    problems.append(f"certificate {certificate.number}: credential names another number")
        if certificate.status == CertificateStatus.SUPERSEDED and certificate.superseded_by_id is None:
            problems.append(f"certificate {certificate.number}: superseded without a successor")
    for problem in problems[:200]:
        click.echo(problem)
    if problems:
        click.echo(f"{len(problems)} problems in {checked} documents and {certificates} certificates", err=True)
        sys.exit(1)
    click.echo(f"all {checked} stored PDFs match their hashes; {certificates} credentials verify")


@certificates_cli.command("rotate-key")
@click.option("--reason", required=True)
@with_appcontext
def rotate_key(reason: str) -> None:
    """Start signing with a new key; the old one stays published so earlier credentials verify."""
    from lms.certificates import credentials
    from lms.core import audit
    from lms.extensions import db

    with write_transactions():
        old, new = credentials.rotate_key()
        audit.record(
            "certificate.signing_key_rotated",
            subject=new,
            details={"retired": old.kid if old else None, "active": new.kid, "reason": reason},
        )
        db.session.commit()
    click.echo(f"active key: {new.kid}" + (f" (retired {old.kid})" if old else ""))


@certificates_cli.command("build-fonts")
@with_appcontext
def build_fonts() -> None:
    """Cut the pre-subset CJK fonts into the instance folder now (otherwise done on first render)."""
    from flask import current_app

    from lms.certificates.fonts import ensure_cjk_subsets

    built = ensure_cjk_subsets(Path(current_app.instance_path) / "fonts")
    if not built:
        click.echo("no CJK subset built (is uharfbuzz installed and fonts-noto-cjk present?)")
        sys.exit(1)
    for weight, name in sorted(built.items()):
        click.echo(f"weight {weight}: {name}")
