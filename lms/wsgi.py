"""Entry point for ``gunicorn lms.wsgi:app``."""

from lms.app import create_app

app = create_app()
