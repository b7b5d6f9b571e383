"""Cohorts: a synthetic cohort for demos, benchmarks and tests (``generate``)."""
