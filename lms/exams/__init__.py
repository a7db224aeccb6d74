"""Item banks, blueprints, timed attempts, proctoring, grading, retake policy, item statistics."""
