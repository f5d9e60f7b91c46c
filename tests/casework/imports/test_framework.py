"""The import framework (issue 18) with a small importer of its own (teams), so that every step — upload,
mapping, dry run, decisions, run, report, undo, lease — is tested apart from the real importers."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from casework import queue
from casework.audit import record_change, snapshot
from casework.models import AccessLogEntry, ChangeRecord, Import, ImportMapping, ImportRow, Team
from casework.roles import Role
from casework.services import import_runs
from casework.services import imports as services
from casework.services.importers import (
    _IMPORTERS,
    CREATE,
    SKIP,
    UPDATE,
    Candidate,
    Importer,
    ImportField,
    Saved,
    register_importer,
)

pytestmark = pytest.mark.django_db


class Context:
    def __init__(self, by):
        self.by = by
        self.fail_on_run: set[str] = set()


def _prepare(*, by, target, mapping):
    return Context(by)


def _parse(*, context, row):
    name = row.values["name"].text() if "name" in row.values else ""
    if not name:
        row.error("name", "Enter the team's name.")
    row.data = {"name": name, "_label": name}
    row.key = name.casefold() or None


def _find(*, context, rows):
    existing = {
        team.name.casefold(): team
        for team in Team.objects.filter(name__in=[row.data["name"] for row in rows])
    }
    for row in rows:
        team = existing.get(row.data["name"].casefold())
        if team is not None:
            row.candidates = [Candidate(pk=team.pk, label=team.name)]


def _save(*, by, context, row, decision, candidate):
    name = row.data["name"]
    if "bad" in name or name in FAIL_ON_SAVE:
        raise ValidationError({"name": "A team's name may not say bad."})
    if decision == UPDATE:
        team = Team.objects.get(pk=candidate.pk)
        before = snapshot(team)
        team.name = name + " (updated)"
        team.save()
        record_change(actor=by, instance=team, before=before)
        return Saved(updated=[(team, {"name": before["name"]})])
    team = Team.objects.create(name=name, organisation_id=by.organisation_id)
    record_change(actor=by, instance=team, before=None)
    queue.enqueue_on_commit("casework.tasks.evaluate_deadline", [("period_end", team.pk)])
    return Saved(created=[team])


FAIL_ON_SAVE: set[str] = set()

TEAMS = Importer(
    kind="test-teams",
    label="Teams",
    description="Teams, for the framework's tests",
    fields=(
        ImportField("name", "Team name", aliases=("チーム名", "Team"), required=True),
        ImportField("note", "Note"),
    ),
    may_import=lambda user: user.has_role(Role.SUPERVISOR, Role.ADMINISTRATOR),
    prepare=_prepare,
    parse=_parse,
    find_duplicates=_find,
    save=_save,
    decisions=(SKIP, CREATE, UPDATE),
)


@pytest.fixture(autouse=True)
def teams_importer():
    register_importer(TEAMS)
    FAIL_ON_SAVE.clear()
    yield
    _IMPORTERS.pop(TEAMS.kind, None)


def on_commit():
    return TestCase.captureOnCommitCallbacks(execute=True)


def csv_file(text: str, name: str = "teams.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def uploaded(by, text: str, **kwargs) -> Import:
    return services.import_upload(by=by, kind=TEAMS.kind, upload=csv_file(text, **kwargs))


def checked(by, text: str, **kwargs) -> Import:
    imp = uploaded(by, text, **kwargs)
    services.import_map(by=by, imp=imp, columns=imp.mapping["columns"])
    with on_commit():  # the task is eager in tests: the dry run runs when the request's work commits
        services.import_check_start(by=by, imp=imp)
    imp.refresh_from_db()
    return imp


def imported(by, text: str, mode: str = Import.Mode.VALID_ONLY) -> Import:
    imp = checked(by, text)
    with on_commit():
        services.import_start(by=by, imp=imp, mode=mode)
    imp.refresh_from_db()
    return imp


def test_upload_proposes_a_mapping_from_japanese_headers_and_remembers_the_last_one(supervisor):
    imp = uploaded(supervisor, "チーム名,備考\nKobe,x\n")
    assert imp.file_format == "csv"
    assert imp.headers == ["チーム名", "備考"]
    assert imp.mapping["columns"] == {"name": "チーム名"}
    services.import_map(by=supervisor, imp=imp, columns={"name": "チーム名", "note": "備考"})
    assert ImportMapping.objects.get(user=supervisor, kind=TEAMS.kind).mapping["columns"]["note"] == "備考"
    again = uploaded(supervisor, "チーム名,備考\nNara,y\n")
    assert again.mapping["columns"] == {"name": "チーム名", "note": "備考"}


@pytest.mark.parametrize(
    ("columns", "field", "says"),
    [
        ({"name": "Nope"}, "name", "no column"),
        ({"name": "Team", "note": "Team"}, "note", "already mapped"),
        ({"note": "Team"}, "name", "Choose the column"),
        ({"nonsense": "Team"}, "columns", "not a column"),
    ],
)
def test_a_bad_mapping_names_the_field(supervisor, columns, field, says):
    imp = uploaded(supervisor, "Team,Other\nKobe,x\n")
    with pytest.raises(ValidationError) as error:
        services.import_map(by=supervisor, imp=imp, columns=columns)
    assert says in " ".join(error.value.message_dict[field])


def test_the_dry_run_saves_nothing_and_gives_every_row_a_verdict(supervisor):
    Team.objects.create(name="Kobe", organisation=supervisor.organisation)
    teams_before = Team.objects.count()
    imp = checked(supervisor, "Team\nNara\nbad one\n\nKobe\nNara\n")
    assert imp.status == Import.Status.CHECKED
    assert Team.objects.count() == teams_before
    rows = {row.number: row for row in imp.rows.all()}
    assert rows[2].verdict == ImportRow.Verdict.VALID
    assert rows[3].verdict == ImportRow.Verdict.ERROR
    assert rows[3].errors == [["Team", "A team's name may not say bad."]]
    assert rows[5].verdict == ImportRow.Verdict.DUPLICATE and rows[5].candidates[0]["label"] == "Kobe"
    assert rows[6].verdict == ImportRow.Verdict.DUPLICATE and rows[6].same_as_row == 2
    assert rows[6].decision == SKIP
    assert (imp.rows_total, imp.rows_valid, imp.rows_error, imp.rows_duplicate) == (4, 1, 1, 2)
    assert not ChangeRecord.objects.filter(source=imp.source).exists()


def test_all_or_nothing_is_refused_when_the_dry_run_found_errors(supervisor):
    imp = checked(supervisor, "Team\nNara\nbad\n")
    with pytest.raises(ValidationError) as error:
        services.import_start(by=supervisor, imp=imp, mode=Import.Mode.ALL_OR_NOTHING)
    assert "1 rows have errors" in error.value.message_dict["mode"][0]
    with pytest.raises(ValidationError) as error:
        services.import_start(by=supervisor, imp=imp, mode="most")
    assert "mode" in error.value.message_dict


def test_valid_rows_are_imported_with_their_history_and_one_sweep(supervisor):
    Team.objects.create(name="Kobe", organisation=supervisor.organisation)
    imp = checked(supervisor, "Team\nNara\nbad\nKobe\nKyoto\n")
    services.import_decide(by=supervisor, imp=imp, decisions={4: UPDATE})
    with mock.patch("casework.queue._task") as task:
        with on_commit():
            services.import_start(by=supervisor, imp=imp, mode=Import.Mode.VALID_ONLY)
        with on_commit():
            import_runs.run_import(imp.pk)  # the worker
    imp.refresh_from_db()
    assert imp.status == Import.Status.DONE, imp.error
    assert (imp.created_count, imp.updated_count, imp.skipped_count, imp.failed_count) == (2, 1, 0, 1)
    assert set(Team.objects.values_list("name", flat=True)) >= {"Nara", "Kyoto", "Kobe (updated)"}
    records = ChangeRecord.objects.filter(source=imp.source)
    assert records.filter(action="create").count() == 2 and records.filter(action="update").count() == 1
    # Per-record work (the importer asked for an evaluation per team) was held back: one sweep instead.
    names = [call.args[0] for call in task.call_args_list]
    assert names == ["casework.tasks.run_import", "casework.tasks.sweep_reminders"]
    entry = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.IMPORT)
    assert entry.detail["created"] == 2 and entry.detail["sha256"] == imp.file_hash


def test_the_same_file_twice_is_all_duplicates_and_skipping_creates_nothing(supervisor):
    text = "Team\nNara\nKyoto\n"
    first = imported(supervisor, text)
    assert first.created_count == 2
    second = checked(supervisor, text)
    assert second.rows_duplicate == 2 and second.rows_valid == 0
    with on_commit():
        services.import_start(by=supervisor, imp=second, mode=Import.Mode.ALL_OR_NOTHING)
    second.refresh_from_db()
    assert (second.status, second.created_count, second.skipped_count) == (Import.Status.DONE, 0, 2)
    assert Team.objects.filter(name__in=["Nara", "Kyoto"]).count() == 2


def test_all_or_nothing_removes_what_earlier_chunks_saved_when_a_row_fails(supervisor, monkeypatch):
    monkeypatch.setattr(import_runs, "CHUNK", 2)
    imp = checked(supervisor, "Team\nA1\nA2\nA3\nA4\nA5\n")
    FAIL_ON_SAVE.add("A4")  # changed between the dry run and the import
    with on_commit():
        services.import_start(by=supervisor, imp=imp, mode=Import.Mode.ALL_OR_NOTHING)
    imp.refresh_from_db()
    assert imp.status == Import.Status.FAILED
    assert "Row 5" in imp.error and "all or nothing" in imp.error
    assert not Team.objects.filter(name__startswith="A").exists()


def test_a_lost_worker_leaves_nothing_half_saved(supervisor, monkeypatch):
    monkeypatch.setattr(import_runs, "CHUNK", 2)
    imp = checked(supervisor, "Team\nB1\nB2\nB3\nB4\n")

    class Killed(BaseException):
        pass

    real_save = TEAMS.save

    def dying_save(**kwargs):
        if kwargs["row"].data["name"] == "B3":
            raise Killed
        return real_save(**kwargs)

    register_importer(dataclasses.replace(TEAMS, save=dying_save))  # the same importer, dying at B3
    with mock.patch("casework.queue._task"), on_commit():  # queued, not run: the "worker" runs it below
        services.import_start(by=supervisor, imp=imp, mode=Import.Mode.VALID_ONLY)
    with pytest.raises(Killed):
        import_runs.run_import(imp.pk)
    imp.refresh_from_db()
    assert imp.status == Import.Status.IMPORTING
    assert Team.objects.filter(name__in=["B1", "B2"]).count() == 2  # the first chunk was committed
    assert import_runs.expire_leases() == 0  # the lease still runs
    Import.objects.filter(pk=imp.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert import_runs.expire_leases() == 1
    imp.refresh_from_db()
    assert imp.status == Import.Status.FAILED and "worker was lost" in imp.error
    assert not Team.objects.filter(name__startswith="B").exists()


def test_a_task_delivered_again_after_a_lost_worker_fails_the_import(supervisor, monkeypatch):
    imp = checked(supervisor, "Team\nC1\n")
    Import.objects.filter(pk=imp.pk).update(status=Import.Status.IMPORTING, mode=Import.Mode.VALID_ONLY)
    Team.objects.create(
        name="C1", organisation=supervisor.organisation
    )  # as if the lost worker had saved it…
    ImportRow.objects.filter(import_run=imp, number=2).update(
        records=[["casework.team", Team.objects.get(name="C1").pk]]
    )
    import_runs.run_import(imp.pk)
    imp.refresh_from_db()
    assert imp.status == Import.Status.FAILED
    assert not Team.objects.filter(name="C1").exists()


def test_undo_removes_what_the_import_created_and_restores_what_it_updated(supervisor):
    kobe = Team.objects.create(name="Kobe", organisation=supervisor.organisation)
    imp = checked(supervisor, "Team\nNara\nKobe\n")
    services.import_decide(by=supervisor, imp=imp, decisions={3: UPDATE})
    with on_commit():
        services.import_start(by=supervisor, imp=imp, mode=Import.Mode.VALID_ONLY)
    imp.refresh_from_db()
    services.import_undo(by=supervisor, imp=imp)
    imp.refresh_from_db()
    assert imp.status == Import.Status.UNDONE and imp.undone_by == supervisor
    assert not Team.objects.filter(name="Nara").exists()
    kobe.refresh_from_db()
    assert kobe.name == "Kobe"
    assert ChangeRecord.objects.filter(source=f"undo:{imp.source}", action="delete").count() == 1


def test_undo_lists_what_was_changed_since_and_changes_nothing(supervisor, administrator):
    imp = imported(supervisor, "Team\nNara\n")
    nara = Team.objects.get(name="Nara")
    before = snapshot(nara)
    nara.name = "Nara East"
    nara.save()
    record_change(actor=administrator, instance=nara, before=before)
    with pytest.raises(ValidationError) as error:
        services.import_undo(by=supervisor, imp=imp)
    assert "Nara East" in " ".join(error.value.message_dict["undo"])
    assert Team.objects.filter(name="Nara East").exists()


def test_only_the_maker_or_an_administrator_may_undo_and_only_within_24_hours(
    supervisor, administrator, make_user, team
):
    imp = imported(supervisor, "Team\nNara\n")
    other = make_user(Role.SUPERVISOR, username="super2")
    with pytest.raises(PermissionDenied):
        services.import_undo(by=other, imp=imp)
    Import.objects.filter(pk=imp.pk).update(finished_at=timezone.now() - timedelta(hours=25))
    imp.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.import_undo(by=supervisor, imp=imp)
    assert "24 hours" in error.value.message_dict["status"][0]
    Import.objects.filter(pk=imp.pk).update(finished_at=timezone.now())
    imp.refresh_from_db()
    services.import_undo(by=administrator, imp=imp)
    assert not Team.objects.filter(name="Nara").exists()


def test_only_the_maker_takes_the_steps(supervisor, make_user):
    imp = uploaded(supervisor, "Team\nNara\n")
    other = make_user(Role.ADMINISTRATOR, username="admin2")
    with pytest.raises(PermissionDenied):
        services.import_map(by=other, imp=imp, columns={"name": "Team"})


def test_whoever_may_not_use_the_importer_cannot_upload(caseworker, trainer, employer):
    for user in (caseworker, trainer, employer):
        with pytest.raises(PermissionDenied):
            uploaded(user, "Team\nNara\n")


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (b"", "empty.csv", "empty"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "people.xlsx", "not a CSV or Excel"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_naming_the_file(supervisor, content, name, says):
    with pytest.raises(ValidationError) as error:
        services.import_upload(by=supervisor, kind=TEAMS.kind, upload=SimpleUploadedFile(name, content))
    assert says in " ".join(error.value.message_dict["file"])
    assert not Import.objects.exists()


def test_a_header_only_file_and_a_file_without_a_header_are_refused(supervisor):
    with pytest.raises(ValidationError) as error:
        uploaded(supervisor, "Team,Note\n")
    assert "no rows" in " ".join(error.value.message_dict["sheet"])
    with pytest.raises(ValidationError) as error:
        uploaded(supervisor, "2026/4/1,12,30\n2026/4/2,13,31\n")
    assert "looks like data" in " ".join(error.value.message_dict["sheet"])


def test_a_file_over_the_size_limit_is_refused(supervisor, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    big = "Team\n" + "x" * 60 + "\n"
    with pytest.raises(ValidationError) as error:
        uploaded(supervisor, big * 20_000)
    assert "larger than 1 MB" in error.value.message_dict["file"][0]
