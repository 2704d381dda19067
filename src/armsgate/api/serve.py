"""Running the API with uvicorn (`armsgate serve`, `armsgate demo --serve`)."""

from __future__ import annotations

import os

import uvicorn

from armsgate.api.app import create_app
from armsgate.settings import Settings


def run(settings: Settings, host: str, port: int, *, workers: int = 1) -> None:
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info",
                    access_log=False)
        return
    # Several processes: each worker builds its app from the environment's settings.
    os.environ["ARMSGATE_DATABASE_URL"] = settings.database_url
    if settings.today is not None:
        os.environ["ARMSGATE_TODAY"] = settings.today.isoformat()
    uvicorn.run("armsgate.api.serve:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="info", access_log=False)


def app_from_environment() -> object:
    return create_app(Settings())
