"""lms: the learning-management and certification platform of the AI certification network."""

from lms.app import create_app

__all__ = ["create_app"]
