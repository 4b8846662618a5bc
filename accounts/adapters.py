from allauth.account.adapter import DefaultAccountAdapter
from django.urls import translate_url


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts exist by invitation (focal points) or are made by the secretariat (staff)."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        # After signing in, people land in their own language (the URL prefix carries it).
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "language", "")
        return translate_url(url, language) if language else url
