"""Starting cases written by ``neuroig new`` (commented YAML, package data)."""
