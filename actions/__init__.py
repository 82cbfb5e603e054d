"""Action server package: trains the risk backstop at import, so no resident's first message waits for it."""

from triage import backstop

backstop.warm_up()
