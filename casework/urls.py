"""URLs of casework's pages: home, accounts and two-factor, applicants and their legal records, reminders,
imports."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from casework.views import (
    accounts,
    applicant_page,
    applicants,
    audit,
    consent,
    home,
    imports,
    legal,
    records,
    reminders,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("manifest.webmanifest", home.web_manifest, name="web_manifest"),
    path("accounts/login/", accounts.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/security/", accounts.account_security, name="account_security"),
    path("accounts/two-factor/setup/", accounts.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", accounts.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/disable/", accounts.two_factor_disable, name="two_factor_disable"),
    path(
        "accounts/two-factor/recovery-codes/",
        accounts.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path("accounts/service-accounts/", accounts.service_accounts, name="service_accounts"),
    path(
        "accounts/service-accounts/<int:pk>/rotate/",
        accounts.service_account_rotate,
        name="service_account_rotate",
    ),
    path("accounts/session/", accounts.session_keep_alive, name="session_keep_alive"),
    path(
        "accounts/sessions/sign-out-others/",
        accounts.account_sessions_end_others,
        name="account_sessions_end_others",
    ),
    path("accounts/users/<int:pk>/end-sessions/", accounts.user_sessions_end, name="user_sessions_end"),
    path("i18n/setlang/", accounts.set_language, name="set_language"),
    # Applicants
    path("applicants/", applicants.applicant_list, name="applicant_list"),
    path("applicants/new/", applicants.applicant_register, name="applicant_register"),
    path("applicants/search/", applicants.applicant_quick_search, name="applicant_quick_search"),
    path("applicants/reassign/", applicants.applicant_bulk_reassign, name="applicant_bulk_reassign"),
    path("applicants/<str:reference_code>/", applicant_page.applicant_detail, name="applicant_detail"),
    path("applicants/<str:reference_code>/edit/", applicants.applicant_edit, name="applicant_edit"),
    path(
        "applicants/<str:reference_code>/reassign/",
        applicants.applicant_reassign,
        name="applicant_reassign",
    ),
    path(
        "applicants/<str:reference_code>/periods/add/",
        legal.period_add,
        name="applicant_period_add",
    ),
    path(
        "applicants/<str:reference_code>/periods/<int:pk>/edit/",
        legal.period_edit,
        name="applicant_period_edit",
    ),
    path(
        "applicants/<str:reference_code>/periods/<int:pk>/delete/",
        legal.period_delete,
        name="applicant_period_delete",
    ),
    path(
        "applicants/<str:reference_code>/periods/<int:pk>/card-number/",
        legal.period_card_number,
        name="applicant_period_card_number",
    ),
    path(
        "applicants/<str:reference_code>/work-permissions/add/",
        legal.work_permission_add,
        name="applicant_work_permission_add",
    ),
    path(
        "applicants/<str:reference_code>/right-to-work-checks/add/",
        legal.right_to_work_check_add,
        name="applicant_right_to_work_check_add",
    ),
    path(
        "applicants/<str:reference_code>/reporting/add/",
        legal.reporting_obligation_add,
        name="applicant_reporting_add",
    ),
    path(
        "applicants/<str:reference_code>/procedures/add/",
        legal.procedure_add,
        name="applicant_procedure_add",
    ),
    path(
        "applicants/<str:reference_code>/procedures/<int:pk>/events/add/",
        legal.procedure_event_add,
        name="applicant_procedure_event_add",
    ),
    path(
        "applicants/<str:reference_code>/household/add/",
        applicants.household_member_add,
        name="applicant_household_add",
    ),
    # Consent and sensitive information
    path(
        "applicants/<str:reference_code>/consents/add/",
        consent.consent_add,
        name="applicant_consent_add",
    ),
    path(
        "applicants/<str:reference_code>/consents/<int:pk>/revoke/",
        consent.consent_revoke,
        name="applicant_consent_revoke",
    ),
    path(
        "applicants/<str:reference_code>/sensitive/erase/",
        consent.sensitive_erase,
        name="applicant_sensitive_erase",
    ),
    path(
        "applicants/<str:reference_code>/sensitive/<str:category>/",
        consent.sensitive_edit,
        name="applicant_sensitive_edit",
    ),
    path("applicants/<str:reference_code>/history/", audit.applicant_history, name="applicant_history"),
    path(
        "applicants/<str:reference_code>/access-log/",
        audit.applicant_access_log,
        name="applicant_access_log",
    ),
    # Notes, tasks and documents
    path("applicants/<str:reference_code>/notes/add/", records.note_add, name="applicant_note_add"),
    path(
        "applicants/<str:reference_code>/notes/<int:pk>/edit/",
        records.note_edit,
        name="applicant_note_edit",
    ),
    path(
        "applicants/<str:reference_code>/notes/<int:pk>/break-glass/",
        records.note_break_glass,
        name="applicant_note_break_glass",
    ),
    path("applicants/<str:reference_code>/tasks/add/", records.task_add, name="applicant_task_add"),
    path(
        "applicants/<str:reference_code>/tasks/<int:pk>/edit/",
        records.task_edit,
        name="applicant_task_edit",
    ),
    path(
        "applicants/<str:reference_code>/tasks/<int:pk>/done/",
        records.task_done,
        name="applicant_task_done",
    ),
    path(
        "applicants/<str:reference_code>/documents/add/",
        records.document_add,
        name="applicant_document_add",
    ),
    path(
        "applicants/<str:reference_code>/documents/<int:pk>/download/",
        records.document_download,
        name="applicant_document_download",
    ),
    path("tasks/", records.my_tasks, name="my_tasks"),
    # Reminders: the inbox and its actions, the deadlines ahead
    path("reminders/", reminders.inbox, name="reminder_inbox"),
    path("reminders/<int:pk>/acknowledge/", reminders.acknowledge, name="reminder_acknowledge"),
    path("reminders/<int:pk>/snooze/", reminders.snooze, name="reminder_snooze"),
    path("reminders/<int:pk>/task/", reminders.create_task, name="reminder_task"),
    path("reminders/notifications/<int:pk>/read/", reminders.mark_read, name="notification_read"),
    path("reminders/notifications/read/", reminders.mark_all_read, name="notification_read_all"),
    path("deadlines/", reminders.deadlines, name="deadlines_ahead"),
    # Imports of spreadsheets (issue 18): upload, sheet, mapping, dry run, decisions, run, undo
    path("imports/", imports.import_list, name="import_list"),
    path("imports/new/", imports.import_new, name="import_new"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("imports/<int:pk>/sheet/", imports.import_sheet, name="import_sheet"),
    path("imports/<int:pk>/mapping/", imports.import_mapping, name="import_mapping"),
    path("imports/<int:pk>/check/", imports.import_check, name="import_check"),
    path("imports/<int:pk>/decisions/", imports.import_decisions, name="import_decisions"),
    path("imports/<int:pk>/start/", imports.import_start, name="import_start"),
    path("imports/<int:pk>/undo/", imports.import_undo, name="import_undo"),
]
