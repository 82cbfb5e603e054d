"""Action server package: loads the risk screening at import, so no resident's first message waits for it."""

from triage.screening import warm_up

warm_up()
