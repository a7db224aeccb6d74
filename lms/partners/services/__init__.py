"""Partner-network rules, one module per part of the domain (flush, never commit).

Other domains use :func:`branding_for` (certificates) and :func:`classes_for_staff` (exams).
"""

from lms.partners.services.branding import Branding, branding_for
from lms.partners.services.classes import classes_for_staff

__all__ = ["Branding", "branding_for", "classes_for_staff"]
