"""Benchmark-only middleware."""

from coalition import versioning


class ChangeBeforeEachRequest:
    """Moves the data version on before each request: every visitor is the first after a change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        versioning._increment()
        return self.get_response(request)
