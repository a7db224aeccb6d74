"""Entry point for ``celery -A lms.worker worker`` and ``celery -A lms.worker beat``."""

from lms.app import create_app
from lms.celery_app import beat_schedule

flask_app = create_app()
celery = flask_app.extensions["celery"]
celery.conf.beat_schedule = beat_schedule()
