"""Demo data for `make run`: a secretariat account and a few members. Safe to run again."""

import os
import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.roles import SECRETARIAT_GROUP
from coalition import demo

DEMO_EMAIL = "secretariat@demo.phc-coalition.org"


class Command(BaseCommand):
    help = "Create the demo secretariat account and demo members; prints the account's password."

    @transaction.atomic
    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        User = get_user_model()
        user, _ = User.objects.get_or_create(
            email=DEMO_EMAIL, defaults={"full_name": "Demo Secretariat", "is_staff": True}
        )
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
        EmailAddress.objects.update_or_create(
            user=user, email=DEMO_EMAIL, defaults={"verified": True, "primary": True}
        )
        demo.load()
        self.stdout.write(self.style.SUCCESS("Demo secretariat account (admin at /en/admin/):"))
        self.stdout.write(f"  e-mail:   {DEMO_EMAIL}")
        self.stdout.write(f"  password: {password}")
