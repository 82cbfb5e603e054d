"""Publishes scheduled catalogue drafts on time: a daemon thread in the gateway checks every few seconds.

Several gateway workers may each run one; publishing happens under the catalogue's file lock and removes the
draft, so a draft is published once and the others find nothing to do."""

from __future__ import annotations

import logging
import threading

from bot.catalogue import catalogue_editing
from bot.db import new_session
from bot.settings import Settings

logger = logging.getLogger(__name__)
INTERVAL_SECONDS = 5.0


class ScheduledPublishing:
    def __init__(self, settings: Settings, interval: float = INTERVAL_SECONDS) -> None:
        self.settings = settings
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> list[str]:
        with new_session() as session:
            return catalogue_editing(self.settings).publish_due(session)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                published = self.run_once()
                if published:
                    logger.info("published scheduled catalogue changes: %s", ", ".join(published))
            except Exception:  # a database hiccup must not end the loop: the next round tries again
                logger.exception("scheduled catalogue publishing failed")

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="scheduled-publishing", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
