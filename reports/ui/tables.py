"""Every report as an export table source (reports/selectors/tables.py): the report's own table, for the
filters on screen, checked by the report page's own form.

The filter form is in `forms`, above the table registry in `selectors`, so the report sources are built
here and registered from ReportsConfig.ready. A report's table is a handful of rows: an export computes
it once for the count (the export plan's) and once for the labels and rows together, never holding it
between requests.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.core.exceptions import ValidationError
from django.http import QueryDict

from casework.roles import Role
from reports.forms.filters import FILTER_NAMES, ReportFilterForm
from reports.rules import Cell
from reports.selectors.catalogue import REPORTS, ReportSpec
from reports.selectors.results import ReportResult
from reports.selectors.tables import TableSource, register_table

REPORT_TABLE_PREFIX = "report-"
STAFF = (Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER)


def report_table_key(spec: ReportSpec) -> str:
    return f"{REPORT_TABLE_PREFIX}{spec.key}"


def report_result(*, user, spec: ReportSpec, params: QueryDict) -> ReportResult:
    """The report for these filters, or a ValidationError naming each bad filter (as the page says)."""
    form = ReportFilterForm(params, user=user, spec=spec)
    if not form.is_valid():
        raise ValidationError(
            {name: [str(message) for message in errors] for name, errors in form.errors.items()}
        )
    return spec.run(user=user, filters=form.filters())


def report_source(spec: ReportSpec) -> TableSource:
    def table(user, params: QueryDict) -> tuple[list[str], Iterator[Sequence[Cell]]]:
        columns, rows = report_result(user=user, spec=spec, params=params).table()
        return [str(column) for column in columns], iter(rows)

    def rows(user, params: QueryDict) -> Iterator[Sequence[Cell]]:
        return table(user, params)[1]

    def count(user, params: QueryDict) -> int:
        return len(report_result(user=user, spec=spec, params=params).rows)

    return TableSource(
        key=report_table_key(spec),
        title=spec.title,
        columns=(),
        rows=rows,
        count=count,
        roles=(*STAFF, Role.TRAINER) if spec.for_trainers else STAFF,
        filter_names=("start", "end", *FILTER_NAMES),
        table=table,
    )


def register_report_tables() -> None:
    for spec in REPORTS.values():
        register_table(report_source(spec))
