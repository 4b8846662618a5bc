"""Sign-in backends whose user lookup is a kept read (coalition/reads.py).

Every signed-in page reads its user from the session's user id; that query was a third of what a
signed-in page cost beyond an anonymous one. The account is kept until the data changes — a new
password, a deactivation or a sign-in saves it and moves the data version — so the session check
(the password hash) and the activity check always see the account as stored.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from coalition import reads

# Sessions begun before these backends name Django's and allauth's: carried over, not signed out
# (accounts.middleware.AuthenticationMiddleware).
REPLACED = {
    "django.contrib.auth.backends.ModelBackend": "accounts.backends.KeptModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "accounts.backends.KeptAuthenticationBackend",
}


@reads.kept
def _account(*, user_id: str):
    return get_user_model()._default_manager.filter(pk=user_id).first()


class _KeptUser:
    def get_user(self, user_id):
        user = _account(user_id=str(user_id))
        return user if user is not None and self.user_can_authenticate(user) else None


class KeptModelBackend(_KeptUser, ModelBackend):
    pass


class KeptAuthenticationBackend(_KeptUser, AuthenticationBackend):
    pass
