"""Exam rules, one module per concern. Every function flushes and never commits.

* :mod:`bank` — domains, items, versions, import/export, key corrections
* :mod:`blueprints` — how an exam is built and decided
* :mod:`vouchers` — the attempts a candidate may take
* :mod:`accommodations` — extra time and other adjustments
* :mod:`policy` — may this candidate start now (eligibility, retake waits, vouchers)
* :mod:`attempts` — assembling and starting an attempt
* :mod:`delivery` — the one rule layer every candidate channel goes through (clock, device, answers)
* :mod:`grading` — finishing, scoring, review, re-scoring
* :mod:`proctoring` — the proctor's view and actions
* :mod:`statistics` — item and form statistics
"""
