"""API rules: keys (:mod:`.keys`), bulk enrolment (:mod:`.enrolments`), webhooks (:mod:`.webhooks`).

Every function flushes and never commits; the view or task that called it commits once.
"""
