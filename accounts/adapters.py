from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts exist by invitation (focal points) or are made by the secretariat (staff)."""

    def is_open_for_signup(self, request):
        return False
