"""Many rows written in one statement: the rows travel as one JSON document the database unpacks.

Django's bulk_create and bulk_update build a model instance and a placeholder per value (bulk_update
a CASE per row and field as well), and psycopg quotes every value in Python: at thousands of rows
that, not the database, took most of the time. One JSON document is serialised in C and typed by
the table itself (``json_populate_recordset``). As with bulk_create, no signals are sent and only
the database's own constraints are checked.

Rows are dicts with the same keys, the columns (a field's attname unless it sets db_column), and
values as the database stores them: a foreign key's id, not the object.
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid

from django.db import connection
from django.utils import timezone


def _name(name: str) -> str:
    return connection.ops.quote_name(name)


def _text(value):
    # What JSON has no type for goes as the text the database reads back; anything else (a model
    # instance for a foreign key, say) would be written wrong, so it is refused.
    if isinstance(value, (datetime.date, datetime.time, decimal.Decimal, uuid.UUID)):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not a column value")


def _document(model, rows: list[dict]) -> tuple[list, str]:
    """The fields the rows give (unknown columns refused) and the rows as JSON."""
    by_column = {f.column: f for f in model._meta.concrete_fields}
    return [by_column[column] for column in rows[0]], json.dumps(rows, default=_text)


def _default(field, now):
    """What a new instance holds: now for auto_now fields, else the field's default."""
    automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    return field.get_db_prep_save(now if automatic else field.get_default(), connection)


def insert(model, rows: list[dict], *, same: dict | None = None, ignore_conflicts: bool = False,
           returning: tuple[str, ...] = ()) -> list[tuple]:
    """Insert ``rows``; ``same`` gives values shared by every row, and other fields take their default.

    A default is computed once for all rows (a random one would repeat). Returns the ``returning``
    columns of the rows inserted; with ``ignore_conflicts`` a conflicting row is skipped, as with
    bulk_create.
    """
    if not rows:
        return []
    meta, now = model._meta, timezone.now()
    given, document = _document(model, rows)
    same = {meta.get_field(name): value for name, value in (same or {}).items()}
    fixed = {
        **{f: _default(f, now) for f in meta.concrete_fields
           if not (f.primary_key or f.generated or f in given or f in same)},
        **{f: f.get_db_prep_save(value, connection) for f, value in same.items()},
    }
    table = _name(meta.db_table)
    selected = [*(f"v.{_name(f.column)}" for f in given), *(f"%s::{f.db_type(connection)}" for f in fixed)]
    sql = (
        f"INSERT INTO {table} ({', '.join(_name(f.column) for f in [*given, *fixed])})"
        f" SELECT {', '.join(selected)} FROM json_populate_recordset(NULL::{table}, %s::json) AS v"
        + (" ON CONFLICT DO NOTHING" if ignore_conflicts else "")
        + (f" RETURNING {', '.join(_name(column) for column in returning)}" if returning else "")
    )  # names from the model, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*fixed.values(), document])
        return cursor.fetchall() if returning else []


def update(model, rows: list[dict]) -> int:
    """Set, on the row whose primary key each dict holds, the other columns it holds.

    The caller has locked the rows.
    """
    if not rows:
        return 0
    meta = model._meta
    fields, document = _document(model, rows)
    if meta.pk not in fields:
        raise ValueError(f"Each row needs its {meta.pk.column}.")
    table, pk = _name(meta.db_table), _name(meta.pk.column)
    assignments = ", ".join(f"{_name(f.column)} = v.{_name(f.column)}" for f in fields if not f.primary_key)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS t SET {assignments}"  # names from the model, values as parameters
            f" FROM json_populate_recordset(NULL::{table}, %s::json) AS v WHERE t.{pk} = v.{pk}",
            [document],
        )
        return cursor.rowcount
