"""Benchmarks: ``python -m bench <name> [--database-url URL]``; the last line printed is one JSON object."""
