"""Test helper: send a signal to one domain's receivers only (the others would see made-up data)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import blinker


@contextmanager
def only_receivers_from(module_prefix: str, *signals: blinker.Signal) -> Iterator[None]:
    detached = []
    for signal in signals:
        for receiver in list(signal.receivers_for(blinker.ANY)):
            if not getattr(receiver, "__module__", "").startswith(module_prefix):
                signal.disconnect(receiver)
                detached.append((signal, receiver))
    try:
        yield
    finally:
        for signal, receiver in detached:
            signal.connect(receiver)
