"""What every process shares (gateway, action server, tools): the resident-facing texts in fi/sv/en, the
languages, and the placeholders redaction leaves. Small and dependency-light on purpose: the action server
imports this and the service catalogue, never the gateway package ``bot``."""
