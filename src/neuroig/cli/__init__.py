"""The ``neuroig`` command line (Typer + Rich); each command wraps one public function."""
