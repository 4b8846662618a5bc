"""The Core Group's records and the work plan: the rules, in one place.

Every function takes keyword arguments and runs in one transaction; rows it changes are locked
first. Errors are ValidationError with a message a person can act on; nothing changes when one is
raised. The admin and the daily reminder task call these, never the models directly.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from coalition import mail
from coalition.audit import audited
from events.models import Event, Kind
from governance import selectors
from governance.models import ActionItem, Activity, ActivityUpdate, Decision, Meeting, WorkPlan
from members import selectors as member_selectors
from members.names import sorted_by_name


def _require_original(obj, field: str, message: str) -> None:
    if not getattr(obj, build_localized_fieldname(field, obj.original_language), None):
        raise ValidationError({build_localized_fieldname(field, obj.original_language): message}, code="required")


def _full_clean(obj, **kwargs) -> None:
    obj.full_clean(**kwargs)


# --- Meetings and decisions --------------------------------------------------------------------------


@transaction.atomic
@audited("core_group_meeting.saved", about="meeting")
def save_meeting(*, meeting: Meeting, by=None) -> Meeting:
    """Save the record (agenda, minutes) of a Core Group meeting; other events have none."""
    event = Event.objects.select_for_update().get(pk=meeting.event_id)
    if event.kind != Kind.CORE_GROUP:
        raise ValidationError(
            {"event": _("Only Core Group annual meetings have a record of decisions; “%(event)s” is another "
                        "kind of event.") % {"event": event}},
            code="not_core_group",
        )
    if meeting.pk:
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    _full_clean(meeting, validate_unique=True)
    meeting.save()
    return meeting


@transaction.atomic
@audited("decision.saved", about="decision")
def save_decision(*, decision: Decision, by=None) -> Decision:
    """Save a decision; a new one without a number takes the next number of its meeting."""
    Meeting.objects.select_for_update().get(pk=decision.meeting_id)
    if decision.pk:
        Decision.objects.select_for_update().filter(pk=decision.pk).first()
    _require_original(decision, "text", _("Write the decision in its original language."))
    if not decision.number:
        # Numbers are given under the meeting's lock, so two decisions added at once never share one.
        decision.number = (Decision.objects.filter(meeting_id=decision.meeting_id).aggregate(n=Max("number"))["n"]
                           or 0) + 1
    clash = Decision.objects.filter(meeting_id=decision.meeting_id, number=decision.number).exclude(pk=decision.pk)
    if clash.exists():
        raise ValidationError(
            {"number": _("This meeting already has a decision %(number)s.") % {"number": decision.number}},
            code="duplicate_number",
        )
    _full_clean(decision, validate_unique=False, validate_constraints=False)
    decision.save()
    return decision


# --- Action items ------------------------------------------------------------------------------------


def _settle_completion(item: ActionItem, today: date) -> None:
    # Only done items carry a completion date (the database checks it); done today unless told.
    if item.status == ActionItem.Status.DONE:
        item.completed_on = item.completed_on or today
    else:
        item.completed_on = None
    if item.completed_on and item.completed_on > today:
        raise ValidationError({"completed_on": _("An item cannot be completed in the future.")}, code="future")


@transaction.atomic
@audited("action_item.saved", about="item")
def save_action_item(*, item: ActionItem, by=None) -> ActionItem:
    """Save an action item (owner, due date, status, what it produced)."""
    Decision.objects.select_for_update().get(pk=item.decision_id)
    if item.pk:
        ActionItem.objects.select_for_update().filter(pk=item.pk).first()
    _settle_completion(item, timezone.localdate())
    if item.event_id is not None and not Event.objects.filter(pk=item.event_id).exists():
        raise ValidationError({"event": _("That event no longer exists.")}, code="no_event")
    _full_clean(item)
    item.save()
    return item


@transaction.atomic
@audited("action_item.status_changed", about="item")
def set_action_item_status(*, item: ActionItem, status: str, completed_on: date | None = None,
                           by=None) -> ActionItem:
    """Move an item to ``status`` (done on ``completed_on``, today by default)."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if status not in ActionItem.Status.values:
        raise ValidationError(_("“%(status)s” is not a status of action items.") % {"status": status},
                              code="unknown_status")
    item.status = status
    item.completed_on = completed_on if status == ActionItem.Status.DONE else None
    _settle_completion(item, timezone.localdate())
    item.save(update_fields=["status", "completed_on", "updated_at"])
    return item


def _reminder_messages(items, *, kind: str, today: date) -> list[dict]:
    from pledges.models import FocalPoint

    owners = {item.owner_country_id for item in items if item.owner_country_id}
    recipients: dict[int, list[tuple[str, str]]] = {}
    for country_id, email, language in (
        FocalPoint.objects.active().filter(country_id__in=owners).order_by("user__email")
        .values_list("country_id", "user__email", "user__language")
    ):
        recipients.setdefault(country_id, []).append((email, language or settings.LANGUAGE_CODE))
    messages = []
    for item in items:
        if item.owner_country_id is None:
            people = [(settings.SECRETARIAT_EMAIL, settings.LANGUAGE_CODE)]
        else:
            people = recipients.get(item.owner_country_id, [])
        by_language: dict[str, list[str]] = {}
        for email, language in people:
            by_language.setdefault(language, []).append(email)
        for language, addresses in by_language.items():
            messages.append({
                # A new due date is a new occasion: the key carries it, so a postponed item is reminded again.
                "kind": f"governance/{kind}",
                "key": mail.key(f"governance.{kind}", item.pk, item.due_on.isoformat(), language),
                "to": addresses, "language": language, "about": item, "country": item.owner_country,
                "context": {"item": item, "decision": item.decision, "event": item.decision.meeting.event,
                            "country": item.owner_country, "today": today,
                            "days_left": (item.due_on - today).days, "days_late": (today - item.due_on).days},
            })
    return messages


def send_action_item_reminders(*, today: date) -> int:
    """E-mail owners of items due within 14 days, and of overdue ones, once per item and due date.

    The outbox's unique keys make each reminder exactly once, even when two runs overlap. Returns
    the number of e-mails queued.
    """
    pending = selectors.items_due(today=today)
    due = [item for item in pending if item.due_on >= today]
    overdue = [item for item in pending if item.due_on < today]
    with transaction.atomic():
        messages = (_reminder_messages(due, kind="action_due", today=today)
                    + _reminder_messages(overdue, kind="action_overdue", today=today))
        return len(mail.queue_many(messages))


# --- The work plan -----------------------------------------------------------------------------------


@transaction.atomic
@audited("work_plan.saved", about="plan")
def save_work_plan(*, plan: WorkPlan, by=None) -> WorkPlan:
    """Save a year's work plan (and the decision that adopted it, if any)."""
    if plan.pk:
        WorkPlan.objects.select_for_update().filter(pk=plan.pk).first()
    _check_adoption(plan, plan.adopted_by)
    _full_clean(plan)
    plan.save()
    return plan


def _check_adoption(plan: WorkPlan, decision: Decision | None) -> None:
    if decision is None:
        return
    decision = Decision.objects.select_related("meeting__event").get(pk=decision.pk)
    held = decision.meeting.event.local_starts_at.date()
    # A plan is adopted the year before it runs or during it, not after the year it plans.
    if held.year > plan.year:
        raise ValidationError(
            {"adopted_by": _("A plan for %(year)s cannot be adopted by a meeting held in %(held)s.")
             % {"year": plan.year, "held": held.year}},
            code="adopted_too_late",
        )


@transaction.atomic
@audited("work_plan.adopted", about="plan")
def adopt_work_plan(*, plan: WorkPlan, decision: Decision, by=None) -> WorkPlan:
    """Record that ``decision`` of a Core Group meeting adopted ``plan``."""
    plan = WorkPlan.objects.select_for_update().get(pk=plan.pk)
    _check_adoption(plan, decision)
    plan.adopted_by = decision
    plan.save(update_fields=["adopted_by", "updated_at"])
    return plan


def check_co_leads(*, year: int, co_leads) -> None:
    """Co-leads of an activity hold a Core Group seat in the plan's year (as co-leads of a line do)."""
    missing = sorted_by_name(member_selectors.without_seat_in(co_leads, year))
    if missing:
        raise ValidationError(
            {"co_leads": _("%(countries)s hold no Core Group seat in %(year)s; co-leads are chosen among Core Group "
                           "countries.") % {"countries": ", ".join(str(c) for c in missing), "year": year}},
            code="no_seat",
        )


def check_period(activity: Activity, year: int) -> None:
    """An activity ends after it starts and takes place, at least in part, in its plan's year."""
    if activity.starts_on and activity.ends_on and activity.ends_on < activity.starts_on:
        raise ValidationError({"ends_on": _("An activity cannot end before it starts.")}, code="ends_before_start")
    if activity.starts_on and activity.ends_on and (activity.ends_on.year < year or activity.starts_on.year > year):
        raise ValidationError(
            {"starts_on": _("An activity of the %(year)s plan takes place, at least in part, in %(year)s.")
             % {"year": year}},
            code="outside_year",
        )


@transaction.atomic
@audited("activity.saved", about="activity")
def save_activity(*, activity: Activity, co_leads=None, events=None, decisions=None, by=None) -> Activity:
    """Save an activity; ``co_leads``, ``events`` and ``decisions`` (when given) replace its links."""
    plan = WorkPlan.objects.select_for_update().get(pk=activity.plan_id)
    if activity.pk:
        Activity.objects.select_for_update().filter(pk=activity.pk).first()
    _require_original(activity, "title", _("Give the title in the original language."))
    check_period(activity, plan.year)
    if co_leads is not None:
        co_leads = list(co_leads)
        check_co_leads(year=plan.year, co_leads=co_leads)
    _full_clean(activity)
    activity.save()
    if co_leads is not None:
        activity.co_leads.set(co_leads)
    if events is not None:
        activity.events.set(events)
    if decisions is not None:
        activity.decisions.set(decisions)
    return activity


@transaction.atomic
@audited("activity.update_added")
def add_activity_update(*, activity: Activity, on: date, text: str, progress: int, by=None) -> ActivityUpdate:
    """A timeline entry; the activity's progress becomes that of its latest entry."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if not text.strip():
        raise ValidationError({"text": _("Say what happened.")}, code="required")
    if progress is None or not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progress is a percentage, from 0 to 100.")}, code="progress_range")
    if on > timezone.localdate():
        raise ValidationError({"on": _("A timeline entry records what happened; %(date)s is in the future.")
                               % {"date": date_format(on)}}, code="future")
    update = ActivityUpdate(activity=activity, on=on, text=text.strip(), progress=progress)
    update.save()
    latest = activity.updates.order_by("-on", "-pk").first()
    if latest is not None and activity.progress != latest.progress:
        activity.progress = latest.progress
        activity.save(update_fields=["progress", "updated_at"])
    return update
