"""A minimal webhook receiver for the lms partner API (standard library only).

Run it next to the demo:

    LMS_WEBHOOK_SECRET="$(.venv/bin/flask --app lms api demo-webhook-secret)" \
        python3 docs/examples/webhook_receiver.py --port 8765

It checks every request's LMS-Signature header, refuses stale or forged ones with 400, prints
the event and answers 200. Copy ``verify_signature`` into your own receiver.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 300


def verify_signature(secret: str, header: str, body: bytes, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """True if ``header`` (``t=<unix>,v1=<hex>``) signs the raw ``body`` with ``secret`` and is recent."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False  # too old (or from the future): possibly a replayed request
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


def make_handler(secret: str) -> type[BaseHTTPRequestHandler]:
    seen_event_ids: set[str] = set()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if not verify_signature(secret, self.headers.get("LMS-Signature", ""), body):
                self.send_response(400)
                self.end_headers()
                return
            event = json.loads(body)
            duplicate = event["id"] in seen_event_ids  # retries and replays keep the event id
            seen_event_ids.add(event["id"])
            print(f"{event['type']} {event['id']}{' (duplicate)' if duplicate else ''}: {json.dumps(event['data'])}")
            self.send_response(200)
            self.end_headers()

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--secret", default=os.environ.get("LMS_WEBHOOK_SECRET", ""))
    args = parser.parse_args()
    if not args.secret:
        parser.error("give the endpoint's signing secret (--secret or LMS_WEBHOOK_SECRET)")
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.secret))
    print(f"listening on http://127.0.0.1:{args.port}/webhooks")
    server.serve_forever()


if __name__ == "__main__":
    main()
