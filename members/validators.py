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
    head = upload.read(5)
    upload.seek(0)
    # The header must open the file: a page of HTML with "%PDF-" in a comment is not a letter.
    if head != b"%PDF-":
        raise ValidationError(_("This file is not a PDF document. Upload the signed letter as a PDF file."), code="not_pdf")
    try:
        active = _active_content(upload)
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of error for broken files
        raise ValidationError(
            _("This PDF file could not be read; it may be damaged. Save or scan the letter again and upload it."),
            code="unreadable_pdf",
        ) from None
    finally:
        upload.seek(0)
    if active:
        raise ValidationError(
            _("This PDF contains scripts or actions that run when it is opened (%(what)s), which letters never need. "
              "Print it to a new PDF or scan it, and upload that file.") % {"what": ", ".join(sorted(active))},
            code="active_pdf",
        )


# Names in a PDF that make a reader run something or act on opening.
_ACTIVE_NAMES = {"/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/EmbeddedFiles", "/RichMedia"}


def _active_content(upload) -> set[str]:
    """The active names found anywhere in the document's object graph."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    reader = PdfReader(upload, strict=False)
    if reader.is_encrypted or len(reader.pages) < 1:
        raise ValueError("encrypted or without pages")
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    while stack and len(seen) < 100_000:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            found |= _ACTIVE_NAMES & {str(k) for k in obj.keys()}
            if obj.get("/S") in ("/JavaScript", "/Launch"):
                found.add(str(obj.get("/S")))
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return found
