"""The AI mentor: answers questions from the course's own texts, with citations, or says it cannot.

Retrieval first (``search``); the answer is composed from the best passages (``compose``) or, when a
model endpoint is configured, written by it from those passages only (``provider``). Every exchange
is stored for the learner's history and staff review.
"""

from lms.courses.mentor.service import ask, review

__all__ = ["ask", "review"]
