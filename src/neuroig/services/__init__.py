"""Use cases that need I/O or processes around the pure core (batch evaluation…)."""
