"""Versioned public models of every neuroig output, and their one emitter.

One module per output: :mod:`~neuroig.schemas.assessment` (``neuroig-assessment/1``,
full and summary), :mod:`~neuroig.schemas.plan` (``neuroig-plan/1``),
:mod:`~neuroig.schemas.review` (``neuroig-review/1``), :mod:`~neuroig.schemas.electro`
(the electro object of ``neuroig ncs --json``), :mod:`~neuroig.schemas.error`
(``neuroig-error/1``) and :mod:`~neuroig.schemas.batch` (``neuroig-batch-summary/1``).
Every document carries the stamp of :mod:`~neuroig.schemas.stamp`, computed when the
result is computed. :mod:`~neuroig.schemas.emit` turns a model into bytes and exports
its JSON Schema: the CLI, the batch runner and the Python API all go through it.

This layer reads the core's result objects; the core never imports it.
"""
