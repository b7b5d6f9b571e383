"""The neuroig version (one place; the package and the assessments read it)."""

__version__ = "0.1.0"
