"""URLs of jobs' staff pages, under /jobs/ (namespace "jobs"), and of the partner portal, under /partner/
(`partner_urlpatterns`, no namespace: its page keeps the name "partner_home")."""

from django.urls import path

from jobs.views import (
    employers,
    invitations,
    openings,
    partner,
    partner_candidates,
    partner_invitation,
    partner_openings,
    partner_team,
    partner_workers,
    placements,
    referrals,
)

app_name = "jobs"

urlpatterns = [
    # Employers and their contacts (views/employers.py)
    path("employers/", employers.employer_list, name="employer_list"),
    path("employers/add/", employers.employer_add, name="employer_add"),
    path("employers/<int:pk>/", employers.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/edit/", employers.employer_edit, name="employer_edit"),
    path("employers/<int:pk>/contacts/add/", employers.contact_add, name="contact_add"),
    path("contacts/<int:pk>/edit/", employers.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", employers.contact_delete, name="contact_delete"),
    # Portal users of an employer: invitations, removal (views/invitations.py)
    path("employers/<int:pk>/invite/", invitations.invitation_add, name="invitation_add"),
    path("employers/<int:pk>/api-account/", invitations.api_account_add, name="api_account_add"),
    path("invitations/<int:pk>/withdraw/", invitations.invitation_withdraw, name="invitation_withdraw"),
    path("portal-users/<int:pk>/remove/", invitations.member_remove, name="member_remove"),
    # Openings, matching and the pipeline board (views/openings.py)
    path("openings/", openings.opening_list, name="opening_list"),
    path("openings/add/", openings.opening_add, name="opening_add"),
    path("openings/<int:pk>/", openings.opening_detail, name="opening_detail"),
    path("openings/<int:pk>/edit/", openings.opening_edit, name="opening_edit"),
    path("openings/<int:pk>/approve/", openings.opening_approve, name="opening_approve"),
    path("openings/<int:pk>/return/", openings.opening_return, name="opening_return"),
    path("referrals/propose/", openings.referral_propose_view, name="referral_propose"),
    path("referrals/<int:pk>/move/", openings.referral_move_view, name="referral_move"),
    # Referrals, interviews and hires (views/referrals.py)
    path("referrals/", referrals.referral_list, name="referral_list"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/interviews/add/", referrals.interview_add, name="interview_add"),
    path("interviews/<int:pk>/edit/", referrals.interview_edit, name="interview_edit"),
    path("referrals/<int:pk>/report-hire/", referrals.hire_report, name="hire_report"),
    path("referrals/<int:pk>/confirm-hire/", referrals.hire_confirm, name="hire_confirm"),
    path("referrals/<int:pk>/messages/", referrals.referral_message, name="referral_message"),
    path("proposals/<int:pk>/confirm/", referrals.proposal_confirm, name="proposal_confirm"),
    path("proposals/<int:pk>/decline/", referrals.proposal_decline, name="proposal_decline"),
    # Placements and follow-ups (views/placements.py)
    path("placements/", placements.placement_list, name="placement_list"),
    path("follow-ups/", placements.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:pk>/record/", placements.follow_up_edit, name="follow_up_record"),
]

partner_urlpatterns = [
    path("", partner.partner_home, name="partner_home"),
    # Aggregates of the employer's placements beside the programme's (views/partner.py, issue 17)
    path("impact/", partner.partner_impact, name="partner_impact"),
    # The employer's openings (views/partner_openings.py, issue 16)
    path("openings/", partner_openings.partner_opening_list, name="partner_openings"),
    path("openings/add/", partner_openings.partner_opening_add, name="partner_opening_add"),
    path("openings/<int:pk>/", partner_openings.partner_opening_detail, name="partner_opening"),
    path("openings/<int:pk>/edit/", partner_openings.partner_opening_edit, name="partner_opening_edit"),
    path("openings/<int:pk>/close/", partner_openings.partner_opening_close, name="partner_opening_close"),
    # The candidates referred to the employer, as share packets (views/partner_candidates.py)
    path("candidates/", partner_candidates.partner_candidates, name="partner_candidates"),
    path("candidates/<int:pk>/", partner_candidates.partner_candidate, name="partner_candidate"),
    path(
        "candidates/<int:pk>/messages/",
        partner_candidates.partner_candidate_message,
        name="partner_candidate_message",
    ),
    path(
        "candidates/<int:pk>/interviews/propose/",
        partner_candidates.partner_interview_propose,
        name="partner_interview_propose",
    ),
    path(
        "proposals/<int:pk>/withdraw/",
        partner_candidates.partner_proposal_withdraw,
        name="partner_proposal_withdraw",
    ),
    path(
        "interviews/<int:pk>/outcome/",
        partner_candidates.partner_interview_outcome,
        name="partner_interview_outcome",
    ),
    path("candidates/<int:pk>/offer/", partner_candidates.partner_offer, name="partner_offer"),
    path(
        "candidates/<int:pk>/report-hire/", partner_candidates.partner_hire_report, name="partner_hire_report"
    ),
    path(
        "invitation/<str:token>/",
        partner_invitation.partner_invitation_accept,
        name="partner_invitation_accept",
    ),
    # The Team section, employer administrators only (views/partner_team.py)
    path("team/", partner_team.partner_team, name="partner_team"),
    path(
        "team/invitations/<int:pk>/withdraw/",
        partner_team.partner_invitation_withdraw,
        name="partner_invitation_withdraw",
    ),
    path("team/members/<int:pk>/remove/", partner_team.partner_member_remove, name="partner_member_remove"),
    # Placed workers and portal notifications (views/partner_workers.py)
    path("workers/", partner_workers.partner_workers, name="partner_workers"),
    path("workers/<int:pk>/", partner_workers.partner_worker, name="partner_worker"),
    path("workers/<int:pk>/filing/", partner_workers.partner_worker_filing, name="partner_worker_filing"),
    path(
        "follow-ups/<int:pk>/confirm/",
        partner_workers.partner_follow_up_confirm,
        name="partner_follow_up_confirm",
    ),
    path("notifications/", partner_workers.partner_notification_list, name="partner_notifications"),
    path(
        "notifications/<int:pk>/read/",
        partner_workers.partner_notification_read,
        name="partner_notification_read",
    ),
    path(
        "notifications/read/",
        partner_workers.partner_notifications_read_all,
        name="partner_notifications_read_all",
    ),
]
