"""Teaching content of the demo courses, one module per certification track.

Each module defines ``COURSE``: course data with texts per language (English plus one other language),
modules and lessons of every kind. ``lms.courses.demo`` turns it into rows, captions and media.
"""

from lms.courses.demo_content import developer, educator, essentials, executive, healthcare

COURSES = [essentials.COURSE, developer.COURSE, executive.COURSE, healthcare.COURSE, educator.COURSE]
