"""Pledge business rules, by concern: focal points and invitations, the pledge workflow, progress reports.

Every function takes keyword arguments, runs in one transaction and locks the rows it changes.
Errors are ValidationError with a message a person can act on; nothing changes when one is raised.
E-mails leave only after the transaction commits (through coalition.mail).
"""

from pledges.services.invitations import (  # noqa: F401
    accept_invitation,
    add_focal_point,
    check_can_invite,
    check_usable,
    find_invitation,
    invite_focal_point,
    revoke_focal_point,
    revoke_invitation,
    set_public_contact,
)
from pledges.services.pledges import (  # noqa: F401
    accept_pledge,
    comment_on_commitments,
    may_recall,
    missing_for_submission,
    publish_pledge,
    recall_pledge,
    return_pledge,
    save_pledge_draft,
    snapshot,
    start_pledge,
    submit_pledge,
)
from pledges.services.progress_reports import (  # noqa: F401
    missing_for_report,
    publish_progress_report,
    refresh_statuses,
    return_progress_report,
    save_progress_draft,
    send_due_reminders,
    send_overdue_digest,
    start_progress_report,
    submit_progress_report,
)
