"""`Daemon`: a loop in a daemon thread of a server process, stopped with the process's
application (the scheduled job, the credentials' listener)."""

from __future__ import annotations

import threading


class Daemon:
    """Runs `run` in a daemon thread from `start` on; `run` returns once `stopping` is
    set, which `stop` does before waiting for it (5 s at most)."""

    def __init__(self, name: str) -> None:
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self.run, name=name, daemon=True)

    def run(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self._thread.join(timeout=5)
