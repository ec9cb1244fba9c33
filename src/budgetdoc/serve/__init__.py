"""The web app of a finance bureau and its units (``budgetdoc serve``): units upload their documents and
see the report; reviewers see every unit, search findings, review them, download the register and a unit's
整改通知; admins manage accounts. Needs the ``web`` and ``corpus`` extras.

- :func:`budgetdoc.serve.app.create_app` — the FastAPI app on a store.
- :mod:`budgetdoc.serve.accounts` — accounts (argon2), sessions, CSRF, login rate limit, audit log.
- :mod:`budgetdoc.serve.uploads` — upload safety (type by content, limits, zip bombs, names never paths).
- :mod:`budgetdoc.serve.worker` — the queue of uploads, read in worker processes.
"""
