import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.urls import translate_url
from django.utils import translation

from coalition import mail


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts exist by invitation (focal points) or are made by the secretariat (staff)."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        # After signing in, people land in their own language (the URL prefix carries it).
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "language", "")
        return translate_url(url, language) if language else url

    def send_mail(self, template_prefix, email, context):
        """allauth renders its own templates; the message goes out through the outbox like every other.

        Each call is a new message (a new code or link), so its key is new too. The body carries
        a sign-in secret (reset or verification link): the outbox hides it from staff and erases it once sent.
        """
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, ctx)
        name = template_prefix.rsplit("/", 1)[-1]
        mail.queue_message(
            message, kind=f"accounts/{name}", key=mail.key("accounts", name, uuid.uuid4().hex),
            language=translation.get_language() or "en", about=ctx.get("user"), sensitive=True,
        )
