from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_LETTER_BYTES = 10 * 1024 * 1024


def validate_pdf(upload) -> None:
    """A real PDF by its content (not its name), at most 10 MB."""
    if upload.size > MAX_LETTER_BYTES:
        raise ValidationError(
            _("The file is %(size)s; letters may be at most %(limit)s. Scan it at a lower resolution and try again.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_LETTER_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(max(0, upload.size - 2048))
    tail = upload.read()
    upload.seek(0)
    # PDF readers accept the header anywhere in the first 1024 bytes; a complete file ends with %%EOF.
    if b"%PDF-" not in head or b"%%EOF" not in tail:
        raise ValidationError(
            _("This file is not a PDF document. Upload the signed letter as a PDF file."), code="not_pdf"
        )
