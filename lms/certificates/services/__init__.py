"""Certificate rules, one module per concern: ``issuing`` (decisions → certificates, re-issue,
documents), ``status`` (suspend, reinstate, revoke, expiry), ``bulk`` (class-wide issue),
``reminders`` (expiry e-mails) and ``renewal`` (continuing-education credits).
Every function flushes and never commits."""
