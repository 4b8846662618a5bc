import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import SECRETARIAT_GROUP

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """Users have a verified e-mail unless built with verified=False."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def secretariat(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))


def member(iso2: str = "KZ", since=None, welcomed=True, **letter_fields):
    """A country with a membership that started on ``since`` (default: 1 March 2024).

    A member of some standing was welcomed when it acceded, outside the test's record: its welcome
    is left out, so tests of later e-mails see only theirs. ``welcomed=False`` keeps it to be delivered.
    """
    from datetime import date

    from django.db import transaction

    from members import services
    from members.models import Country, Reminder

    letter_fields.setdefault("contact_name", "Contact Person")
    letter_fields.setdefault("contact_email", f"contact@{iso2.lower()}.example.org")
    # One transaction: the delivery that accession asks for after commit finds the welcome already sent.
    with transaction.atomic():
        membership = services.accede(
            country=Country.objects.get(iso2=iso2), received_on=since or date(2024, 3, 1), **letter_fields
        )
        if welcomed:
            Reminder.objects.filter(membership=membership, kind=Reminder.Kind.WELCOME).delete()
    return membership
