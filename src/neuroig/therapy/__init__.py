"""Therapy planning: dosing weight, products, regimens, schedules, safety screen, cost.

The entry point is :func:`neuroig.therapy.plan.plan`
(``plan(case, options, diagnosis=..., prices=...)``); :mod:`neuroig.therapy.export`
renders its result (``plan_to_dict``, ``plan_to_ics``).

Import each name from the module that holds it (``neuroig.therapy.dosing_weight``,
``neuroig.therapy.options``…): this package imports nothing, so reading one part (the
monitoring reads the dosing-weight policy) does not load the planner.
"""
