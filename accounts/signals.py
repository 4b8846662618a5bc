from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation


@receiver(user_logged_in)
def remember_language(sender, request, user, **kwargs):
    """Signing in switches the site to the person's preferred language."""
    if user.language:
        translation.activate(user.language)
