"""The Secretariat group: what secretariat staff may do in the admin."""

SECRETARIAT_GROUP = "Secretariat"

# Whole apps the secretariat runs, and the few account permissions it needs to invite people.
SECRETARIAT_APPS = ["members", "pledges", "events", "reports", "announcements", "library", "governance"]
SECRETARIAT_EXTRA = [
    ("accounts", "view_user"),
    ("accounts", "add_user"),
    ("accounts", "change_user"),
    ("account", "view_emailaddress"),
    # The outbox: read what went out, correct a failed message's recipients and send it again;
    # rows are never added or deleted by hand.
    ("coalition", "view_outgoingmail"),
    ("coalition", "change_outgoingmail"),
    # The activity log: read only.
    ("coalition", "view_action"),
]


def sync_secretariat_permissions(**kwargs):
    """Give the group every permission of the secretariat's apps, including models added later."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    extra = Q(pk__in=[])
    for app_label, codename in SECRETARIAT_EXTRA:
        extra |= Q(content_type__app_label=app_label, codename=codename)
    perms = Permission.objects.filter(Q(content_type__app_label__in=SECRETARIAT_APPS) | extra)
    group.permissions.add(*perms)
