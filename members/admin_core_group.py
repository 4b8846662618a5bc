"""Admin for the Core Group rotation, co-leads and champions; changes go through members.core_group."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from coalition import stored_files
from coalition.content_language import localized_fields
from members import core_group, dates, selectors, timeline
from members.forms import DateInput
from members.models import Champion, ChampionCommitment, CoLead, CoreGroupSeat


class SeatForm(forms.ModelForm):
    class Meta:
        model = CoreGroupSeat
        fields = ["country", "start"]
        widgets = {"start": DateInput()}


@admin.register(CoreGroupSeat)
class CoreGroupSeatAdmin(SimpleHistoryAdmin):
    form = SeatForm
    list_display = ["country", "start", "end", "how_it_ends", "reminder_sent_at"]
    list_filter = ["end_reason"]
    list_select_related = ["country"]
    search_fields = ["country__name"]
    autocomplete_fields = ["country"]
    actions = ["step_down_today"]
    change_list_template = "admin/members/coregroupseat/change_list.html"

    def get_readonly_fields(self, request, obj=None):
        return ["country", "start", "end", "how_it_ends", "reminder_sent_at"] if obj else []

    @admin.display(description=_("how the seat ends"), ordering="end_reason")
    def how_it_ends(self, seat):
        # A permanent seat does not end; "three-year term" is only what ends a seat on time.
        if seat.end is None:
            return _("Permanent seat")
        return seat.get_end_reason_display()

    def save_model(self, request, obj, form, change):
        # Seats are granted by the service (membership check, three-year end, permanent seat).
        if not change:
            seat = core_group.grant_seat(country=obj.country, start=obj.start, by=request.user)
            obj.pk, obj.end = seat.pk, seat.end

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class CheckedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                country, start = cleaned.get("country"), cleaned.get("start")
                if obj is None and country and start:
                    try:
                        with transaction.atomic():
                            core_group.grant_seat(country=country, start=start)
                            raise _DryRun
                    except _DryRun:
                        pass
                    except ValidationError as error:
                        raise forms.ValidationError(error.messages) from None
                return cleaned

        return CheckedForm

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("End the selected seats today (the country steps down)"), permissions=["change"])
    def step_down_today(self, request, queryset):
        for seat in queryset:
            try:
                core_group.end_seat(seat=seat, on=timezone.localdate(), by=request.user)
            except ValidationError as error:
                messages.error(request, f"{seat}: {' '.join(error.messages)}")

    def get_urls(self):
        return [path("rotation/", self.admin_site.admin_view(self.rotation_view), name="members_coregroup_rotation")] + super().get_urls()

    def rotation_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        day = parse_date(request.GET.get("on", "")) or today
        seats = CoreGroupSeat.objects.select_related("country")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Core Group rotation"),
            "day": day,
            "seated": selectors.seats_on(day),
            "ending": selectors.seats_ending_between(today, dates.years_after(today, 1)),
            "eligible": selectors.countries_eligible_for_core_group(today),
            "timeline": timeline.build(seats, today=today),
            "co_leads": CoLead.objects.filter(year=day.year).select_related("country"),
        }
        return TemplateResponse(request, "admin/members/coregroupseat/rotation.html", context)


class _DryRun(Exception):
    """Raised to roll back a trial run of the service inside form validation."""


class CoLeadForm(forms.ModelForm):
    class Meta:
        model = CoLead
        fields = ["year", "line", "country"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and all(cleaned.get(k) for k in ("year", "line", "country")):
            try:
                with transaction.atomic():
                    core_group.appoint_co_lead(year=cleaned["year"], line=cleaned["line"], country=cleaned["country"])
                    raise _DryRun
            except _DryRun:
                pass
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return cleaned


@admin.register(CoLead)
class CoLeadAdmin(SimpleHistoryAdmin):
    form = CoLeadForm
    list_display = ["year", "line", "country"]
    list_filter = ["year", "line"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]


class ChampionForm(forms.ModelForm):
    photo = forms.FileField(label=_("Photo"), required=False, validators=[core_group.validate_photo],
                            widget=stored_files.StoredFileWidget,
                            help_text=_("A JPEG or PNG portrait, at most 5 MB; it is resized for the web."))

    class Meta:
        model = Champion
        # Title and biography in every language, side by side on one page (django-modeltranslation).
        fields = ["name", "original_language", *localized_fields("title"), "country", *localized_fields("biography")]


class CommitmentInline(admin.TabularInline):
    model = ChampionCommitment
    fields = ["start", "end"]
    readonly_fields = ["start", "end"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CommitmentForm(forms.Form):
    start = forms.DateField(label=_("Start of the two-year commitment"), widget=DateInput())


@admin.register(Champion)
class ChampionAdmin(SimpleHistoryAdmin):
    form = ChampionForm
    list_display = ["name", "title", "country"]
    list_select_related = ["country"]
    search_fields = ["name", "country__name"]
    autocomplete_fields = ["country"]
    inlines = [CommitmentInline]
    actions = ["renew_selected"]
    change_form_template = "admin/members/champion/change_form.html"

    def save_model(self, request, obj, form, change):
        core_group.save_champion(champion=obj, photo=form.cleaned_data.get("photo"), by=request.user)

    @admin.action(description=_("Renew the selected champions' commitments for two years"), permissions=["change"])
    def renew_selected(self, request, queryset):
        for champion in queryset:
            try:
                core_group.renew_commitment(champion=champion, by=request.user)
            except ValidationError as error:
                messages.error(request, f"{champion}: {' '.join(error.messages)}")

    def get_urls(self):
        return [path("<int:pk>/commitment/", self.admin_site.admin_view(self.commitment_view),
                     name="members_champion_commitment")] + super().get_urls()

    def commitment_view(self, request, pk):
        from django.shortcuts import get_object_or_404, redirect

        from members.admin import _action_page

        champion = get_object_or_404(Champion, pk=pk)
        if not self.has_change_permission(request, champion):
            raise PermissionDenied
        form = CommitmentForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                core_group.add_commitment(champion=champion, start=form.cleaned_data["start"], by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Commitment added."))
                return redirect("admin:members_champion_change", pk)
        return _action_page(self, request, champion, form, _("Add a two-year commitment"), _("Add commitment"))
