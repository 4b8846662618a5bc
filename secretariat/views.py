"""The admin index as the Secretariat's Today page."""

from functools import wraps

from django.utils import timezone

from accounts import access
from secretariat import today


def with_work_queue(index):
    """Wrap ``AdminSite.index``: the Secretariat sees its work queue above the list of models.

    Other staff keep the plain index: the boxes link to pages only the Secretariat may use.
    """

    @wraps(index)
    def view(request, extra_context=None):
        context = dict(extra_context or {})
        if access.is_secretariat(request.user):
            context["work_queue"] = today.work_queue(today=timezone.localdate())
        return index(request, extra_context=context)

    return view
