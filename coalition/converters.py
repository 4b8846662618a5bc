"""URL parts with a known shape: anything else is 'not found' before a view or query sees it.

A NUL byte or a stray character in a URL must give 404, never reach PostgreSQL (which refuses
NUL in text) and never give 500.
"""

from django.urls import register_converter


class Iso3Converter:
    # Either case: the view redirects /countries/SEN/ to /countries/sen/.
    regex = "[A-Za-z]{3}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


class CodeConverter:
    """A certificate's verification code, as printed or typed (letters, digits, dashes)."""

    regex = "[A-Za-z0-9-]{1,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


class TokenConverter:
    """Signed or random tokens from e-mailed links (URL-safe base64 and signing separators)."""

    regex = "[A-Za-z0-9_:.-]{1,300}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(Iso3Converter, "iso3")
register_converter(CodeConverter, "code")
register_converter(TokenConverter, "token")
