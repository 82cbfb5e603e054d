"""Action server package: loads the risk screening at import, so no resident's first message waits for it,
and builds the catalogue's retrieval index in the background (a message that comes sooner waits for it)."""

import threading

from triage.screening import warm_up


def _build_retrieval_index() -> None:
    from actions.catalogue import catalogue
    from service_catalogue.retrieval import index_for

    index_for(catalogue())


warm_up()
threading.Thread(target=_build_retrieval_index, name="retrieval-index", daemon=True).start()
