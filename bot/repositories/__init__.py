"""Data access functions, one module per table group. Callers own the transaction (commit/rollback)."""
