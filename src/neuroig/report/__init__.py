"""Rendering of results for people: charts (matplotlib, Agg backend). Part of the shell."""

from neuroig.report.charts import chart_panels, chart_size_px, review_chart

__all__ = ["chart_panels", "chart_size_px", "review_chart"]
