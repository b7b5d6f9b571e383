"""Monitoring of treated patients: response, wear-off, dose intensity, axonal loss, review.

Pure core (no I/O). The entry point is :func:`neuroig.monitoring.review.review`;
:func:`neuroig.monitoring.review_json.review_to_json` renders its result as
``neuroig-review/1``. Decisions M1-M9 and T24 (``docs/decisions.md``).

Import each name from the module that holds it (``neuroig.monitoring.cdas``,
``neuroig.monitoring.course_judgement``…): this package imports nothing, so reading
one part (the criteria read the course responses) does not load the rest.
"""
