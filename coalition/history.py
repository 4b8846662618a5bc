"""History rows for many objects at once, copied by the database from the rows just written.

simple-history's bulk_history_create builds one Python object per row; for the renewal of
thousands of memberships the copy is better done by one INSERT … SELECT per table. The rows are
simple-history's own (same table, same columns), and the acting user is the audit log's
(coalition.audit.history_user), so the history reads exactly as if each object had been saved.
"""

import functools

from django.db import connection
from django.utils import timezone

from coalition.audit import history_user


@functools.cache
def _copy(model) -> str:
    # The statement depends on the model only; simple-history builds a manager at each ``model.history``.
    historical, name = model.history.model, connection.ops.quote_name
    names = ", ".join(name(f.column) for f in historical.tracked_fields)
    return (
        f"INSERT INTO {name(historical._meta.db_table)}"  # names from the models, values as parameters
        f" ({names}, history_date, history_change_reason, history_type, history_user_id)"
        f" SELECT {names}, %s, '', %s, %s FROM {name(model._meta.db_table)}"
        f" WHERE {name(model._meta.pk.column)} = ANY(%s)"
    )


def record_changed(model, pks, *, history_type: str = "~", user=None) -> int:
    """One history row per object of ``model`` whose primary key is in ``pks``, as it stands now."""
    pks = list(pks)
    if not pks:
        return 0
    user = user if user is not None else history_user()
    with connection.cursor() as cursor:
        cursor.execute(_copy(model), [timezone.now(), history_type, getattr(user, "pk", None), pks])
        return cursor.rowcount
