"""The terms of reference, rule by rule (numbers as in issue 4 and the README)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from coalition import mail
from members import services
from members.models import Country, LetterOfInterest, Membership, Notice, Term
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    with time_machine.travel(date(2026, 11, 28), tick=False):
        yield date(2026, 11, 28)


def kz():
    return Country.objects.get(iso2="KZ")


# Rule 1 -----------------------------------------------------------------------------------
def test_letter_is_recorded_pending_and_declined_with_a_reason(today, staff):
    letter = services.record_letter(country=kz(), received_on=date(2026, 11, 1), contact_name="A. Person",
                                    contact_title="Minister's adviser", contact_email="a@example.kz",
                                    contact_phone="+7 700 000 0000", by=staff)
    assert letter.status == "pending"
    with pytest.raises(ValidationError, match="reason"):
        services.decline_letter(letter=letter, reason="  ", by=staff)
    services.decline_letter(letter=letter, reason="Not signed by a competent authority", by=staff)
    letter.refresh_from_db()
    assert (letter.status, letter.decided_by) == ("declined", staff)
    assert not Membership.objects.exists()
    with pytest.raises(ValidationError, match="already declined"):
        services.accept_letter(letter=letter, by=staff)


def test_accepting_a_letter_starts_the_membership(today, staff):
    letter = services.record_letter(country=kz(), received_on=date(2026, 10, 5), contact_name="A", by=staff)
    membership = services.accept_letter(letter=letter, by=staff)
    letter.refresh_from_db()
    assert letter.status == "accepted" and letter.decided_by == staff
    assert membership.letter == letter


# Rule 2 -----------------------------------------------------------------------------------
def test_first_term_starts_on_the_date_received_and_lasts_five_years(today):
    m = member("KZ", since=date(2025, 3, 15))
    assert [(t.number, t.start, t.end) for t in m.terms.all()] == [(1, date(2025, 3, 15), date(2030, 3, 15))]
    assert m.expires_on == date(2030, 3, 15)
    assert m.status_on(date(2025, 3, 14)) == "pending"
    assert m.status_on(date(2025, 3, 15)) == "active"


def test_a_term_starting_on_29_february_ends_on_28_february(today):
    m = member("KZ", since=date(2024, 2, 29))
    assert m.expires_on == date(2029, 2, 28)
    assert m.notice_deadline == date(2028, 8, 28)


# Rule 3 -----------------------------------------------------------------------------------
def test_notice_deadline_is_six_calendar_months_before_the_end():
    m = Membership(started_on=date(2021, 8, 31), expires_on=date(2026, 8, 31))
    assert m.notice_deadline == date(2026, 2, 28)


def test_notice_on_the_deadline_day_ends_membership_at_term_end():
    with time_machine.travel(date(2026, 1, 1), tick=False):
        m = member("KZ", since=date(2021, 8, 31))
    with time_machine.travel(date(2026, 2, 28), tick=False):
        assert services.give_notice(membership=m, received_on=date(2026, 2, 28)) == date(2026, 8, 31)
    m.refresh_from_db()
    assert m.status_on(date(2026, 3, 1)) == "notice_given"
    assert services.renew_due_memberships(today=date(2026, 8, 30)) == 0
    assert services.renew_due_memberships(today=date(2026, 8, 31)) == 0
    m.refresh_from_db()
    assert m.ended_on == date(2026, 8, 31)
    assert m.status_on(date(2026, 8, 30)) == "notice_given"
    assert m.status_on(date(2026, 8, 31)) == "ended"
    assert m.expires_on == date(2026, 8, 31)
    assert m.terms.count() == 1


# Rule 4 -----------------------------------------------------------------------------------
def test_notice_the_day_after_the_deadline_lets_the_membership_renew_once_more(mailoutbox):
    with time_machine.travel(date(2026, 1, 1), tick=False):
        m = member("KZ", since=date(2021, 8, 31))
    with time_machine.travel(date(2026, 3, 1), tick=False):
        assert services.give_notice(membership=m, received_on=date(2026, 3, 1)) == date(2031, 8, 31)
        assert services.send_due_reminders(today=date(2026, 3, 1)) == 1
        mail.deliver_due()
    body = mailoutbox[-1].body
    assert "after the deadline" in body and "31 Aug 2026" in body and "31 Aug 2031" in body
    assert services.renew_due_memberships(today=date(2026, 8, 31)) == 1
    m.refresh_from_db()
    assert m.status_on(date(2026, 9, 1)) == "notice_given"
    assert m.expires_on == date(2031, 8, 31)
    services.renew_due_memberships(today=date(2031, 8, 31))
    m.refresh_from_db()
    assert m.ended_on == date(2031, 8, 31)
    assert m.terms.count() == 2


# Rule 5 -----------------------------------------------------------------------------------
def test_withdrawing_notice_restores_automatic_renewal(today):
    m = member("KZ", since=date(2022, 1, 10))
    services.give_notice(membership=m, received_on=date(2026, 6, 1))
    services.withdraw_notice(membership=m, on=date(2026, 9, 1))
    m.refresh_from_db()
    assert m.ends_on is None
    assert m.status_on(date(2026, 7, 1)) == "notice_given"  # the past as it stood
    assert m.status_on(date(2026, 9, 1)) == "active"
    assert services.renew_due_memberships(today=date(2027, 1, 10)) == 1
    m.refresh_from_db()
    assert m.expires_on == date(2032, 1, 10) and m.ended_on is None


def test_withdrawal_refusals(today):
    m = member("KZ", since=date(2022, 1, 10))
    with pytest.raises(ValidationError, match="no pending notice"):
        services.withdraw_notice(membership=m, on=date(2026, 9, 1))
    services.give_notice(membership=m, received_on=date(2026, 6, 1))
    with pytest.raises(ValidationError, match="in the future"):
        services.withdraw_notice(membership=m, on=date(2026, 12, 1))
    with pytest.raises(ValidationError, match="before it was received"):
        services.withdraw_notice(membership=m, on=date(2026, 5, 1))
    assert Notice.objects.get().withdrawn_on is None


def test_notice_cannot_be_withdrawn_after_the_membership_ended():
    with time_machine.travel(date(2026, 1, 1), tick=False):
        m = member("KZ", since=date(2021, 8, 31))
        services.give_notice(membership=m, received_on=date(2026, 1, 1))
    services.renew_due_memberships(today=date(2026, 9, 1))
    with time_machine.travel(date(2026, 9, 2), tick=False), pytest.raises(ValidationError, match="ended"):
        services.withdraw_notice(membership=m, on=date(2026, 9, 2))


# Rule 6 -----------------------------------------------------------------------------------
def test_renewal_happens_on_the_end_date(today):
    m = member("KZ", since=date(2021, 12, 1))
    assert services.renew_due_memberships(today=date(2026, 11, 30)) == 0
    assert services.renew_due_memberships(today=date(2026, 12, 1)) == 1
    m.refresh_from_db()
    assert m.expires_on == date(2031, 12, 1)
    assert m.term_on(date(2026, 12, 1)).number == 2


def test_renewal_catches_up_across_two_terms(today):
    with time_machine.travel(date(2015, 6, 1), tick=False):
        m = member("KZ", since=date(2015, 6, 1))
    assert services.renew_due_memberships(today=today) == 2
    m.refresh_from_db()
    assert [(t.start, t.end) for t in m.terms.all()] == [
        (date(2015, 6, 1), date(2020, 6, 1)), (date(2020, 6, 1), date(2025, 6, 1)), (date(2025, 6, 1), date(2030, 6, 1)),
    ]
    assert m.term_on(today) is not None
    assert services.renew_due_memberships(today=today) == 0


def test_accepting_an_old_letter_catches_up_at_once(today):
    m = member("KZ", since=date(2019, 2, 1))
    assert m.terms.count() == 2 and m.term_on(today).number == 2


# Rule 7 -----------------------------------------------------------------------------------
def test_a_country_whose_membership_ended_may_accede_again(today):
    with time_machine.travel(date(2016, 2, 1), tick=False):
        old = member("KZ", since=date(2016, 1, 1))
        services.give_notice(membership=old, received_on=date(2016, 2, 1))
    services.renew_due_memberships(today=today)
    old.refresh_from_db()
    assert old.ended_on == date(2021, 1, 1)
    new = member("KZ", since=date(2026, 5, 1))
    assert Membership.objects.filter(country=kz()).count() == 2
    assert new.status_on(today) == "active" and old.status_on(today) == "ended"
    assert old.status_on(date(2018, 1, 1)) == "notice_given"


def test_database_refuses_two_memberships_of_one_country_at_a_time(today):
    m = member("KZ", since=date(2025, 1, 1))
    letter = LetterOfInterest.objects.create(country=m.country, received_on=date(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(country=m.country, letter=letter, started_on=date(2026, 1, 1),
                                  expires_on=date(2031, 1, 1))


def test_database_refuses_overlapping_terms(today):
    m = member("KZ", since=date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(membership=m, number=2, start=date(2029, 1, 1), end=date(2034, 1, 1))


# Rule 8 -----------------------------------------------------------------------------------
def test_letter_from_a_member_country_is_refused(today):
    member("KZ", since=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="already a member"):
        member("KZ", since=date(2026, 1, 1))
    assert Membership.objects.count() == 1 and LetterOfInterest.objects.count() == 1


def test_letter_received_in_the_future_is_refused(today):
    with pytest.raises(ValidationError, match="in the future"):
        member("KZ", since=date(2026, 11, 29))
    assert not LetterOfInterest.objects.exists()


def test_notice_refusals_change_nothing(today):
    m = member("KZ", since=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="in the future"):
        services.give_notice(membership=m, received_on=date(2026, 11, 29))
    with pytest.raises(ValidationError, match="before the membership began"):
        services.give_notice(membership=m, received_on=date(2024, 12, 31))
    services.give_notice(membership=m, received_on=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="already pending"):
        services.give_notice(membership=m, received_on=date(2026, 2, 1))
    assert Notice.objects.count() == 1


def test_notice_for_an_ended_membership_is_refused():
    with time_machine.travel(date(2020, 1, 2), tick=False):
        m = member("KZ", since=date(2020, 1, 1))
        services.give_notice(membership=m, received_on=date(2020, 1, 2))
    services.renew_due_memberships(today=date(2025, 1, 1))
    with time_machine.travel(date(2026, 1, 1), tick=False):
        with pytest.raises(ValidationError, match="ended on"):
            services.give_notice(membership=m, received_on=date(2025, 6, 1))
    assert Notice.objects.count() == 1


def test_late_notice_for_a_term_renewal_has_not_reached_yet_creates_that_term_first():
    with time_machine.travel(date(2020, 1, 1), tick=False):
        m = member("KZ", since=date(2020, 1, 1))
    # The daily job has not run since 1 January 2025: the notice falls in the second term.
    with time_machine.travel(date(2025, 3, 1), tick=False):
        assert services.give_notice(membership=m, received_on=date(2025, 3, 1)) == date(2030, 1, 1)
    assert m.terms.count() == 2


def test_a_renewal_writes_the_new_dates_and_their_history_for_every_membership_of_the_batch():
    with time_machine.travel(date(2021, 1, 5), tick=False):
        ms = [member(iso2, since=date(2021, 1, 1) + timedelta(days=i)) for i, iso2 in enumerate(["KZ", "GH", "BR"])]
    with time_machine.travel(date(2026, 1, 10), tick=False):
        assert services.renew_due_memberships(today=date(2026, 1, 10)) == 3
    for i, m in enumerate(ms):
        m.refresh_from_db()
        assert m.expires_on == date(2031, 1, 1) + timedelta(days=i)
        last = m.history.order_by("-history_id").first()
        assert (last.history_type, last.expires_on, last.ended_on) == ("~", m.expires_on, None)
        term = m.terms.get(number=2)
        assert [(h.history_type, h.start, h.end) for h in term.history.all()] == [("+", term.start, term.end)]


def test_a_catch_up_writes_every_term_with_its_history_one_audit_entry_each_and_the_current_terms_reminder():
    from coalition import audit
    from coalition.models import Action
    from members.models import Reminder

    with time_machine.travel(date(2011, 3, 1), tick=False):
        renewing = member("KZ", since=date(2011, 3, 1))
    with time_machine.travel(date(2012, 5, 10), tick=False):
        ending = member("GH", since=date(2012, 5, 10))
        services.give_notice(membership=ending, received_on=date(2012, 5, 10))
    with time_machine.travel(date(2017, 10, 1), tick=False):
        late = member("BR", since=date(2013, 1, 15))
        services.give_notice(membership=late, received_on=date(2017, 10, 1))
    # The daily job last ran years ago: one run brings every membership up to today.
    with time_machine.travel(date(2026, 11, 28), tick=False), audit.acting(job="members.tasks.daily"):
        assert services.renew_due_memberships(today=date(2026, 11, 28)) == 3 + 1
    for m in (renewing, ending, late):
        m.refresh_from_db()
    assert [(t.number, t.start, t.end) for t in renewing.terms.all()] == [
        (1, date(2011, 3, 1), date(2016, 3, 1)), (2, date(2016, 3, 1), date(2021, 3, 1)),
        (3, date(2021, 3, 1), date(2026, 3, 1)), (4, date(2026, 3, 1), date(2031, 3, 1)),
    ]
    assert (renewing.expires_on, renewing.ended_on) == (date(2031, 3, 1), None)
    assert (ending.expires_on, ending.ended_on) == (date(2017, 5, 10), date(2017, 5, 10))
    assert (late.expires_on, late.ended_on) == (date(2023, 1, 15), date(2023, 1, 15))
    # Each new term has its creation in the history; each membership one change, as it now reads.
    for m, numbers in ((renewing, [2, 3, 4]), (ending, []), (late, [2])):
        assert [(h.number, h.history_type, h.history_user) for term in m.terms.filter(number__gt=1)
                for h in term.history.all()] == [(n, "+", None) for n in numbers]
        last = m.history.order_by("-history_id").first()
        assert (last.history_type, last.expires_on, last.ended_on) == ("~", m.expires_on, m.ended_on)
    # One entry per membership, by the job, naming the country and all the terms it gained.
    entries = Action.objects.filter(action__in=["membership.renewed", "membership.ended"])
    assert {a.object_id: (a.action, a.changes, a.object_repr, a.country.iso2, a.job, a.user)
            for a in entries} == {
        str(renewing.pk): ("membership.renewed",
                           {"expires_on": ["2016-03-01", "2031-03-01"], "terms": [None, [2, 3, 4]]},
                           str(renewing), "KZ", "members.tasks.daily", None),
        str(ending.pk): ("membership.ended", {"ended_on": [None, "2017-05-10"]}, str(ending), "GH",
                         "members.tasks.daily", None),
        str(late.pk): ("membership.ended", {"ended_on": [None, "2023-01-15"]}, str(late), "BR",
                       "members.tasks.daily", None),
    }
    # Only the term that covers today is announced.
    announced = Reminder.objects.filter(kind=Reminder.Kind.TERM_RENEWED)
    assert [(r.membership, r.term.number) for r in announced] == [(renewing, 4)]


def test_a_renewal_made_by_a_person_names_them_in_the_history_and_the_audit_log(staff):
    from coalition.models import Action

    # An old letter accepted today: its membership catches up at once, on the officer's action.
    with time_machine.travel(date(2026, 11, 28), tick=False):
        letter = services.record_letter(country=kz(), received_on=date(2015, 6, 1), contact_name="A",
                                        by=staff)
        m = services.accept_letter(letter=letter, by=staff)
    history = Term.history.filter(id__in=m.terms.values("id")).order_by("number")
    assert [(h.number, h.history_type, h.history_user) for h in history] == [
        (1, "+", staff), (2, "+", staff), (3, "+", staff)]
    entry = Action.objects.get(action="membership.renewed")
    assert (entry.user, entry.job, entry.changes) == (
        staff, "", {"expires_on": ["2020-06-01", "2030-06-01"], "terms": [None, [2, 3]]})
    assert m.history.order_by("-history_id").first().history_user == staff


def test_the_renewal_calendar_keeps_notice_deadlines_of_terms_ending_after_its_window():
    from members import selectors

    with time_machine.travel(date(2024, 6, 1), tick=False):
        senegal = member("SN", since=date(2024, 5, 28))
    assert senegal.expires_on == date(2029, 5, 28)
    rows = selectors.renewal_calendar(start=date(2026, 12, 2), end=date(2028, 12, 2))
    mine = [(r["date"], r["kind"]) for r in rows if r["membership"].pk == senegal.pk]
    # The deadline of the term ending on 28 May 2029 is in the window; the term's end is not.
    assert mine == [(date(2028, 11, 28), "deadline")]
