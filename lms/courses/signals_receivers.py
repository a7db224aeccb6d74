"""What courses does when other domains report something."""

from __future__ import annotations

from typing import Any

from lms.core import signals
from lms.courses.services.progress import record_attendance


@signals.attendance_recorded.connect
def _attendance_recorded(
    sender: Any = None, *, class_id: int, user_id: int, attended: int, total: int, **_: Any
) -> None:
    """Partners took attendance: keep it on the class seat and complete the course if it was the last rule."""
    record_attendance(class_id=class_id, user_id=user_id, attended=attended, total=total)
