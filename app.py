"""Entry point: ``gunicorn app:server`` in production, ``python app.py`` for a local server."""

from __future__ import annotations

import os

from observatory.web.server import create_app

app = create_app()
server = app.server
celery_app = app.celery_app  # the Celery workers' entry point when CELERY_BROKER_URL is set (README)

if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8050")), debug=False)
