"""{{ field|options }}: a filter form's choices written out by templates/_filter_form.html.

Django renders a select or a group of checkboxes option by option through its widget templates,
which costs more than the rest of a list page; the form's few dozen options are written out instead.
"""

from django import template

register = template.Library()


@register.filter
def options(field) -> list[tuple]:
    """(value, label, chosen) of each of a bound choice field's options."""
    value = field.value()
    values = value if isinstance(value, (list, tuple)) else [value]
    chosen = {"" if v is None else str(v) for v in values}
    return [(choice, label, str(choice) in chosen) for choice, label in field.field.choices]
