from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from members.validators import MAX_LETTER_BYTES, validate_pdf


def validate_document(upload) -> None:
    """A real PDF by its content, without scripts, at most 10 MB (``validate_pdf``), in words for documents:
    ``validate_pdf`` speaks of signed letters."""
    try:
        validate_pdf(upload)
    except ValidationError as error:
        messages = {
            "too_large": _("The file is %(size)s; documents may be at most %(limit)s. Save it at a lower "
                           "resolution or split it, and try again.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_LETTER_BYTES)},
            "not_pdf": _("This file is not a PDF document. Save the document as a PDF and upload that file."),
            "unreadable_pdf": _("This PDF file could not be read; it may be damaged or password-protected. "
                                "Save it again as a PDF and upload it."),
            "active_pdf": _("This PDF contains scripts or actions that run when it is opened. Print it to a "
                            "new PDF and upload that file."),
        }
        raise ValidationError(messages.get(error.code, error.messages[0]), code=error.code) from None
