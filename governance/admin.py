"""Admin for the Core Group's records and the work plan. Every change goes through governance.services:
forms check with the service (in a transaction rolled back) so a refusal is a message on the form."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from events.models import Event, Kind
from governance import services
from governance.models import ActionItem, Activity, ActivityUpdate, Decision, Meeting, WorkPlan
from members.forms import DateInput


class _DryRun(Exception):
    pass


def _save_inlines(formset, save, *, parent_field: str, parent) -> None:
    """Save each new or changed inline row through ``save(instance, cleaned_data)``; delete the rows marked.

    Sets what the admin's change message reads (new, changed and deleted objects), as formset.save would.
    """
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for inline_form in formset.forms:
        data = getattr(inline_form, "cleaned_data", None)
        if not data:
            continue
        if data.get("DELETE"):
            if inline_form.instance.pk:
                formset.deleted_objects.append(inline_form.instance)
                inline_form.instance.delete()
            continue
        new = inline_form.instance.pk is None
        if not (new or inline_form.has_changed()):
            continue
        setattr(inline_form.instance, parent_field, parent)
        save(inline_form.instance, data)
        if new:
            formset.new_objects.append(inline_form.instance)
        else:
            formset.changed_objects.append((inline_form.instance, inline_form.changed_data))


def _checked(form, run) -> None:
    """Run the service on the form's instance and roll it back: its refusals become the form's errors."""
    instance = form.instance
    pk, adding = instance.pk, instance._state.adding
    try:
        with transaction.atomic():
            run(instance)
            raise _DryRun
    except _DryRun:
        pass
    except ValidationError as error:
        form._update_errors(error)
    finally:
        instance.pk, instance._state.adding = pk, adding


class ServiceCheckedForm(forms.ModelForm):
    """A form whose ``check(instance)`` runs the service that will save it."""

    def check(self, instance):  # pragma: no cover - each form says which service
        raise NotImplementedError

    def _post_clean(self):
        super()._post_clean()
        if not self.errors and self.ready_for_check():
            _checked(self, self.check)

    def ready_for_check(self) -> bool:
        return True


# --- Meetings and decisions ---------------------------------------------------------------------------


class DecisionForm(ServiceCheckedForm):
    class Meta:
        model = Decision
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "number" in self.fields:
            self.fields["number"].required = False
            self.fields["number"].help_text = _("Empty for the next number.")

    def ready_for_check(self):
        # Inline on a meeting not saved yet: the service checks it when the meeting exists.
        return self.instance.meeting_id is not None

    def check(self, instance):
        services.save_decision(decision=instance)


class DecisionInline(TranslationStackedInline):
    model = Decision
    form = DecisionForm
    fields = ["number", "original_language", "text", "public"]
    extra = 0
    show_change_link = True  # action items are added on the decision's page
    can_delete = False


class MeetingForm(ServiceCheckedForm):
    class Meta:
        model = Meeting
        fields = "__all__"

    def check(self, instance):
        services.save_meeting(meeting=instance)


@admin.register(Meeting)
class MeetingAdmin(TranslationAdmin):
    form = MeetingForm
    list_display = ["event", "meeting_date", "decision_count"]
    list_select_related = ["event"]
    search_fields = ["event__title", "minutes", "agenda"]
    fields = ["event", "original_language", "agenda", "minutes"]
    inlines = [DecisionInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_decisions=Count("decisions"))

    @admin.display(description=_("date"), ordering="event__starts_at")
    def meeting_date(self, meeting):
        return meeting.event.local_starts_at.date()

    @admin.display(description=_("decisions"), ordering="n_decisions")
    def decision_count(self, meeting):
        return meeting.n_decisions

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event":
            kwargs["queryset"] = Event.objects.filter(kind=Kind.CORE_GROUP).order_by("-starts_at")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ["event"] if obj else []

    def save_model(self, request, obj, form, change):
        services.save_meeting(meeting=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Decision:
            return super().save_formset(request, form, formset, change)
        _save_inlines(formset, lambda decision, data: services.save_decision(decision=decision, by=request.user),
                      parent_field="meeting", parent=form.instance)
        return None

    def has_delete_permission(self, request, obj=None):
        return False  # a meeting's record is part of the Core Group's history


class ActionItemForm(ServiceCheckedForm):
    class Meta:
        model = ActionItem
        fields = ["decision", "description", "owner_country", "due_on", "status", "completed_on", "event", "report",
                  "url"]
        widgets = {"due_on": DateInput(), "completed_on": DateInput(),
                   "description": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def clean(self):
        cleaned = super().clean()
        # As the service will (a done item is done today unless told), before the database's check is asked.
        if cleaned.get("status") == ActionItem.Status.DONE:
            cleaned["completed_on"] = cleaned.get("completed_on") or timezone.localdate()
        else:
            cleaned["completed_on"] = None
        return cleaned

    def ready_for_check(self):
        return self.instance.decision_id is not None

    def check(self, instance):
        services.save_action_item(item=instance)


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    form = ActionItemForm
    fields = ["description", "owner_country", "due_on", "status", "completed_on", "event", "report", "url"]
    autocomplete_fields = ["owner_country"]
    raw_id_fields = ["event", "report"]
    extra = 1


@admin.register(Decision)
class DecisionAdmin(TranslationAdmin):
    form = DecisionForm
    list_display = ["__str__", "public", "item_count"]
    list_filter = ["public", "meeting"]
    list_select_related = ["meeting__event"]
    search_fields = ["text", "meeting__event__title"]
    fields = ["meeting", "number", "original_language", "text", "public"]
    inlines = [ActionItemInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_items=Count("action_items"))

    @admin.display(description=_("action items"), ordering="n_items")
    def item_count(self, decision):
        return decision.n_items

    def get_readonly_fields(self, request, obj=None):
        return ["meeting"] if obj else []

    def save_model(self, request, obj, form, change):
        services.save_decision(decision=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ActionItem:
            return super().save_formset(request, form, formset, change)
        _save_inlines(formset, lambda item, data: services.save_action_item(item=item, by=request.user),
                      parent_field="decision", parent=form.instance)
        return None

    def has_delete_permission(self, request, obj=None):
        return False


class DueFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("soon", _("Due within 14 days")), ("later", _("Later"))]

    def queryset(self, request, queryset):
        from datetime import timedelta

        today = timezone.localdate()
        soon = today + timedelta(days=services.selectors.REMINDER_DAYS)
        pending = queryset.pending()
        if self.value() == "overdue":
            return pending.filter(due_on__lt=today)
        if self.value() == "soon":
            return pending.filter(due_on__gte=today, due_on__lte=soon)
        if self.value() == "later":
            return pending.filter(due_on__gt=soon)
        return queryset


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    form = ActionItemForm
    list_display = ["description_short", "owner", "due_on", "status", "completed_on", "decision"]
    list_filter = ["status", DueFilter, ("owner_country", admin.RelatedOnlyFieldListFilter), "due_on"]
    list_select_related = ["owner_country", "decision__meeting__event"]
    search_fields = ["description", "owner_country__name"]
    autocomplete_fields = ["owner_country"]
    raw_id_fields = ["event", "report"]
    date_hierarchy = "due_on"
    actions = ["mark_done", "mark_in_progress", "mark_dropped"]

    @admin.display(description=_("what is to be done"), ordering="description")
    def description_short(self, item):
        return str(item)

    @admin.display(description=_("owner"), ordering="owner_country__name")
    def owner(self, item):
        return item.owner_country or _("The Secretariat")

    def save_model(self, request, obj, form, change):
        services.save_action_item(item=obj, by=request.user)

    def _set_status(self, request, queryset, status):
        changed = 0
        for item in queryset:
            try:
                services.set_action_item_status(item=item, status=status, by=request.user)
                changed += 1
            except ValidationError as error:
                messages.error(request, f"{item}: {' '.join(error.messages)}")
        messages.success(request, ngettext("%(count)d action item changed.", "%(count)d action items changed.",
                                           changed) % {"count": changed})

    @admin.action(description=_("Mark the selected items done today"), permissions=["change"])
    def mark_done(self, request, queryset):
        self._set_status(request, queryset, ActionItem.Status.DONE)

    @admin.action(description=_("Mark the selected items in progress"), permissions=["change"])
    def mark_in_progress(self, request, queryset):
        self._set_status(request, queryset, ActionItem.Status.IN_PROGRESS)

    @admin.action(description=_("Drop the selected items"), permissions=["change"])
    def mark_dropped(self, request, queryset):
        self._set_status(request, queryset, ActionItem.Status.DROPPED)


# --- The work plan ------------------------------------------------------------------------------------


class ActivityForm(ServiceCheckedForm):
    class Meta:
        model = Activity
        fields = "__all__"
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    plan_year = None  # set by the work plan's inline for a plan not saved yet

    def ready_for_check(self):
        return self.instance.plan_id is not None or self.plan_year is not None

    def check(self, instance):
        if instance.plan_id is None:
            # A new plan: only the co-lead rule and the period can be checked before it exists.
            services.check_co_leads(year=self.plan_year, co_leads=self.cleaned_data.get("co_leads") or [])
            services.check_period(instance, self.plan_year)
            return
        services.save_activity(activity=instance, co_leads=self.cleaned_data.get("co_leads"),
                               events=self.cleaned_data.get("events"), decisions=self.cleaned_data.get("decisions"))


class ActivityInline(TranslationStackedInline):
    model = Activity
    form = ActivityForm
    fields = ["line", "original_language", "title", "starts_on", "ends_on", "status", "progress", "co_leads",
              "position"]
    autocomplete_fields = ["co_leads"]
    extra = 0
    show_change_link = True  # description, links and the timeline are on the activity's page

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        year = obj.year if obj else request.POST.get("year")
        try:
            year = int(year) if year else None
        except ValueError:
            year = None

        class Form(formset.form):
            plan_year = year

        formset.form = Form
        return formset


class WorkPlanForm(ServiceCheckedForm):
    class Meta:
        model = WorkPlan
        fields = "__all__"

    def check(self, instance):
        services.save_work_plan(plan=instance)


def _save_activities(request, plan, formset):
    def save(activity, data):
        services.save_activity(activity=activity, co_leads=data.get("co_leads"), events=data.get("events"),
                               decisions=data.get("decisions"), by=request.user)

    _save_inlines(formset, save, parent_field="plan", parent=plan)


@admin.register(WorkPlan)
class WorkPlanAdmin(admin.ModelAdmin):
    form = WorkPlanForm
    list_display = ["year", "adopted_by", "activity_count"]
    list_select_related = ["adopted_by__meeting__event"]
    fields = ["year", "adopted_by"]
    inlines = [ActivityInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_activities=Count("activities"))

    @admin.display(description=_("activities"), ordering="n_activities")
    def activity_count(self, plan):
        return plan.n_activities

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "adopted_by":
            kwargs["queryset"] = Decision.objects.select_related("meeting__event").order_by(
                "-meeting__event__starts_at", "number")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.save_work_plan(plan=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Activity:
            return super().save_formset(request, form, formset, change)
        _save_activities(request, form.instance, formset)
        return None


class ActivityUpdateForm(forms.ModelForm):
    class Meta:
        model = ActivityUpdate
        fields = ["on", "text", "progress"]
        widgets = {"on": DateInput(), "text": forms.Textarea(attrs={"rows": 2, "cols": 50})}

    def clean(self):
        cleaned = super().clean()
        on, progress = cleaned.get("on"), cleaned.get("progress")
        if on and on > timezone.localdate():
            self.add_error("on", _("A timeline entry records what happened; this date is in the future."))
        if progress is not None and progress > 100:
            self.add_error("progress", _("Progress is a percentage, from 0 to 100."))
        return cleaned


class ActivityUpdateInline(admin.TabularInline):
    model = ActivityUpdate
    form = ActivityUpdateForm
    fields = ["on", "text", "progress"]
    extra = 1
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False  # the timeline records what happened: entries are added, not rewritten


@admin.register(Activity)
class ActivityAdmin(TranslationAdmin):
    form = ActivityForm
    list_display = ["title", "plan", "line", "status", "progress", "starts_on", "ends_on"]
    list_filter = ["plan", "line", "status"]
    list_select_related = ["plan"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["co_leads"]
    filter_horizontal = ["events", "decisions"]
    inlines = [ActivityUpdateInline]
    fields = ["plan", "line", "original_language", "title", "description", "starts_on", "ends_on", "status",
              "progress", "co_leads", "events", "decisions", "position"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.save_activity(activity=obj, co_leads=data.get("co_leads"), events=data.get("events"),
                               decisions=data.get("decisions"), by=request.user)

    def save_related(self, request, form, formsets, change):
        # The links were set by the service (save_model); only the timeline's new entries are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ActivityUpdate:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            data = getattr(inline_form, "cleaned_data", None)
            if inline_form.instance.pk is None and data and data.get("text"):
                formset.new_objects.append(services.add_activity_update(
                    activity=form.instance, on=data["on"], text=data["text"], progress=data["progress"],
                    by=request.user))
        return None
