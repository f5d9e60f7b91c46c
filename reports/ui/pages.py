"""A report page's parts: the filter form, the result (only for valid filters) and its chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.safestring import SafeString

from reports.forms.filters import ReportFilterForm
from reports.selectors.catalogue import ReportSpec
from reports.selectors.results import ReportResult
from reports.ui.charts import chart_description, report_chart_svg
from reports.ui.tables import report_table_key


@dataclass
class ReportPage:
    spec: ReportSpec
    form: ReportFilterForm
    result: ReportResult | None  # None: the filters are not valid, no data
    chart: SafeString | None
    description: str

    @property
    def table_key(self) -> str:
        """The report's export table (reports/ui/tables.py)."""
        return report_table_key(self.spec)


def report_page(*, user, spec: ReportSpec, data, today: date | None = None) -> ReportPage:
    form = ReportFilterForm(data, user=user, spec=spec, today=today)
    if not form.is_valid():
        return ReportPage(spec, form, None, None, "")
    result = spec.run(user=user, filters=form.filters())
    return ReportPage(spec, form, result, report_chart_svg(result), chart_description(result))
