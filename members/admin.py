"""The secretariat's daily tool for letters and memberships. Every change goes through services."""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from coalition import stored_files
from coalition.admin import OutgoingMailInline
from members import dates, selectors, services
from members.forms import DeclineForm, LetterForm, NoticeForm, WithdrawNoticeForm
from members.names import order_by_name
from members.models import Country, LetterOfInterest, Membership, Notice, Reminder, Term


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["local_name", "iso3", "who_region", "income_group", "fragile", "population"]
    list_filter = ["who_region", "income_group", "fragile"]
    search_fields = ["name", "name_official", "iso3", "iso2"]

    def get_ordering(self, request):
        # In the staff member's language and its alphabetical order, as on the public pages.
        return [order_by_name("iso2")]

    @admin.display(description=_("name"), ordering="name")
    def local_name(self, country):
        return country.local_name

    def has_add_permission(self, request):
        return False  # reference data comes from members/data/countries.csv

    def has_delete_permission(self, request, obj=None):
        return False


def _errors(request, error: ValidationError, prefix=""):
    for message in error.messages:
        messages.error(request, f"{prefix}{message}")


@admin.register(LetterOfInterest)
class LetterOfInterestAdmin(SimpleHistoryAdmin):
    form = LetterForm
    list_display = ["country", "received_on", "contact_name", "status", "decided_at"]
    list_filter = ["status", "country__who_region"]
    list_select_related = ["country"]
    search_fields = ["country__name", "contact_name", "contact_email"]
    date_hierarchy = "received_on"
    autocomplete_fields = ["country"]
    actions = ["accept_selected"]
    change_form_template = "admin/members/letterofinterest/change_form.html"

    def get_fields(self, request, obj=None):
        fields = ["country", "received_on", "contact_name", "contact_title", "contact_email", "contact_phone",
                  "contact_language"]
        if obj is None or not obj.letter:
            fields.append("letter")
        else:
            fields.append("letter_link")
        if obj is not None:
            fields += ["status", "decline_reason", "decided_at", "decided_by", "membership_link"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = ["letter_link", "status", "decline_reason", "decided_at", "decided_by", "membership_link"]
        if obj is not None and obj.status != LetterOfInterest.Status.PENDING:
            readonly += ["country", "received_on"]
        return readonly

    @admin.display(description=_("signed letter"))
    def letter_link(self, obj):
        return stored_files.admin_link(obj.letter, reverse("members:letter-file", args=[obj.pk]), _("Open the PDF"))

    @admin.display(description=_("membership"))
    def membership_link(self, obj):
        membership = getattr(obj, "membership", None)
        if membership is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:members_membership_change", args=[membership.pk]), membership)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        letter = LetterOfInterest.objects.filter(pk=object_id).first()
        extra_context = extra_context or {}
        if letter is not None and letter.contact_email:
            # One click from the accepted letter to a prefilled focal-point invitation.
            extra_context["invite_url"] = reverse("admin:pledges_invitation_add") + "?" + urlencode({
                "country": letter.country_id, "email": letter.contact_email,
                "name": letter.contact_name, "language": letter.contact_language,
            })
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields if name not in ("country", "received_on")}
        letter = services.record_letter(country=obj.country, received_on=obj.received_on, by=request.user, **fields)
        obj.pk = letter.pk
        obj._state.adding = False

    def has_delete_permission(self, request, obj=None):
        return False  # letters are part of the record

    @admin.action(description=_("Accept the selected letters (accession)"), permissions=["change"])
    def accept_selected(self, request, queryset):
        accepted = 0
        for letter in queryset.select_related("country"):
            try:
                services.accept_letter(letter=letter, by=request.user)
                accepted += 1
            except ValidationError as error:
                _errors(request, error, prefix=f"{letter.country}: ")
        if accepted:
            messages.success(request, _("%(n)d letter(s) accepted; memberships started.") % {"n": accepted})

    def get_urls(self):
        return [
            path("<int:pk>/accept/", self.admin_site.admin_view(self.accept_view), name="members_letter_accept"),
            path("<int:pk>/decline/", self.admin_site.admin_view(self.decline_view), name="members_letter_decline"),
        ] + super().get_urls()

    def _letter_for_change(self, request, pk):
        letter = get_object_or_404(LetterOfInterest, pk=pk)
        if not self.has_change_permission(request, letter):
            raise PermissionDenied
        return letter

    def accept_view(self, request, pk):
        letter = self._letter_for_change(request, pk)
        if request.method != "POST":
            # Accession is not undone by a click: say what it will do and ask once more.
            explanation = _(
                "%(country)s becomes a member from %(start)s, the date the letter was received; its first "
                "five-year term ends on %(end)s and renews automatically unless notice is given."
            ) % {"country": letter.country, "start": date_format(letter.received_on),
                 "end": date_format(dates.term_end(letter.received_on))}
            return _action_page(self, request, letter, forms.Form(), _("Accept the letter of interest"),
                                _("Confirm the accession"), explanation=explanation)
        try:
            membership = services.accept_letter(letter=letter, by=request.user)
        except ValidationError as error:
            _errors(request, error)
            return redirect("admin:members_letterofinterest_change", pk)
        messages.success(
            request,
            _("Accession recorded: %(country)s is a member from %(start)s; the first term ends on %(end)s.")
            % {"country": membership.country, "start": date_format(membership.started_on),
               "end": date_format(membership.expires_on)},
        )
        return redirect("admin:members_membership_change", membership.pk)

    def decline_view(self, request, pk):
        letter = self._letter_for_change(request, pk)
        form = DeclineForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.decline_letter(letter=letter, reason=form.cleaned_data["reason"], by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The letter was declined."))
                return redirect("admin:members_letterofinterest_change", pk)
        return _action_page(self, request, letter, form, _("Decline the letter"), _("Decline"))


def _action_page(model_admin, request, obj, form, title, submit, *, explanation=""):
    context = {
        "explanation": explanation,
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": obj,
        "title": title,
        "form": form,
        "submit_label": submit,
    }
    return TemplateResponse(request, "admin/members/action_form.html", context)


class TermInline(admin.TabularInline):
    model = Term
    fields = ["number", "start", "end", "notice_deadline"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("notice deadline"))
    def notice_deadline(self, obj):
        return date_format(obj.notice_deadline)


class NoticeInline(admin.TabularInline):
    model = Notice
    fields = ["received_on", "what_it_means", "letter", "recorded_by", "withdrawal", "withdrawn_by"]
    readonly_fields = fields

    @admin.display(description=_("what it means"))
    def what_it_means(self, notice):
        return notice.explanation()

    @admin.display(description=_("letter"))
    def letter(self, notice):
        return _correspondence(notice, "notice", notice.document, notice.reference, notice.note)

    @admin.display(description=_("withdrawal"))
    def withdrawal(self, notice):
        if notice.withdrawn_on is None:
            return "—"
        return _correspondence(notice, "withdrawal", notice.withdrawal_document, notice.withdrawal_reference,
                               notice.withdrawal_note)
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _correspondence(notice, which, document, reference, note):
    """A notice's (or withdrawal's) letter: the reference, a link to the scan, the Secretariat's note."""
    from django.utils.html import format_html_join

    parts = []
    if reference:
        parts.append(format_html("{}: {}", _("reference"), reference))
    if document:
        parts.append(stored_files.admin_link(document, reverse(f"members:{which}-file", args=[notice.pk]),
                                             _("Open the PDF")))
    if note:
        parts.append(format_html("<em>{}</em>", note))
    if not parts:
        return "—"
    return format_html_join(format_html("<br>"), "{}", ((p,) for p in parts))


class ReminderInline(admin.TabularInline):
    model = Reminder
    fields = ["kind", "term", "status", "created_at", "sent_at", "recipients"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class StatusFilter(admin.SimpleListFilter):
    title = _("status today")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", _("Active")), ("notice_given", _("Notice given")), ("ended", _("Ended"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "active":
            return queryset.in_force(on=today).filter(ends_on__isnull=True)
        if self.value() == "notice_given":
            return queryset.in_force(on=today).filter(ends_on__isnull=False)
        if self.value() == "ended":
            return queryset.ended(on=today)
        return queryset


class ExpiringFilter(admin.SimpleListFilter):
    title = _("term ends")
    parameter_name = "expiring"

    def lookups(self, request, model_admin):
        return [("12m", _("within 12 months"))]

    def queryset(self, request, queryset):
        if self.value() == "12m":
            today = timezone.localdate()
            return queryset.open().filter(expires_on__gte=today,
                                   expires_on__lt=dates.years_after(today, 1))
        return queryset


class DeadlineFilter(admin.SimpleListFilter):
    title = _("notice deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("3m", _("within 3 months"))]

    def queryset(self, request, queryset):
        if self.value() == "3m":
            today = timezone.localdate()
            horizon = dates.months_before(today, -3)
            # deadline = expiry - 6 months: pre-select by expiry, then apply the calendar rule exactly.
            candidates = queryset.open().filter(
                ends_on__isnull=True,
                expires_on__gte=dates.months_before(today, -5), expires_on__lte=dates.months_before(today, -10),
            ).only("pk", "expires_on")
            return queryset.filter(pk__in=[m.pk for m in candidates if today <= m.notice_deadline <= horizon])
        return queryset


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["country", "region", "status_today", "started_on", "expires_on", "deadline", "ends_on"]

    def get_ordering(self, request):
        return [order_by_name("country__iso2"), "-started_on"]
    list_filter = [StatusFilter, "country__who_region", ExpiringFilter, DeadlineFilter]
    list_select_related = ["country"]
    search_fields = ["country__name", "country__iso3"]
    inlines = [TermInline, NoticeInline, ReminderInline, OutgoingMailInline]
    fields = ["country", "letter", "started_on", "expires_on", "deadline", "ends_on", "ended_on", "status_today"]
    readonly_fields = fields
    change_form_template = "admin/members/membership/change_form.html"
    change_list_template = "admin/members/membership/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("notices")

    def has_add_permission(self, request):
        return False  # a membership starts when a letter of interest is accepted

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("region"), ordering="country__who_region")
    def region(self, obj):
        return obj.country.who_region

    @admin.display(description=_("status today"))
    def status_today(self, obj):
        labels = {"pending": _("Pending"), "active": _("Active"), "notice_given": _("Notice given"), "ended": _("Ended")}
        return labels[obj.status_on(timezone.localdate())]

    @admin.display(description=_("notice deadline"))
    def deadline(self, obj):
        return None if obj.ended_on else date_format(obj.notice_deadline)

    def get_urls(self):
        return [
            path("calendar/", self.admin_site.admin_view(self.calendar_view), name="members_membership_calendar"),
            path("<int:pk>/notice/", self.admin_site.admin_view(self.notice_view), name="members_membership_notice"),
            path("<int:pk>/withdraw/", self.admin_site.admin_view(self.withdraw_view), name="members_membership_withdraw"),
        ] + super().get_urls()

    def _membership_for_change(self, request, pk):
        membership = get_object_or_404(Membership.objects.select_related("country"), pk=pk)
        if not self.has_change_permission(request, membership):
            raise PermissionDenied
        return membership

    def notice_view(self, request, pk):
        membership = self._membership_for_change(request, pk)
        form = NoticeForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.give_notice(membership=membership, received_on=data["received_on"], document=data["document"],
                                     reference=data["reference"], note=data["note"], by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                notice = membership.notices.select_related("term").get(withdrawn_on__isnull=True)
                messages.success(request, _("Notice recorded. %(what)s") % {"what": notice.explanation()})
                return redirect("admin:members_membership_change", pk)
        return _action_page(self, request, membership, form, _("Record written notice"), _("Record notice"))

    def withdraw_view(self, request, pk):
        membership = self._membership_for_change(request, pk)
        form = WithdrawNoticeForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.withdraw_notice(membership=membership, on=data["on"], document=data["document"],
                                         reference=data["reference"], note=data["note"], by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Notice withdrawn: the membership renews automatically again."))
                return redirect("admin:members_membership_change", pk)
        return _action_page(self, request, membership, form, _("Withdraw the notice"), _("Withdraw notice"))

    def calendar_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        start = parse_date(request.GET.get("from", "")) or timezone.localdate()
        end = dates.years_after(start, 2)
        rows = selectors.renewal_calendar(start=start, end=end)
        months = {}
        for row in rows:
            months.setdefault(row["date"].replace(day=1), []).append(row)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Renewal calendar"),
            "start": start,
            "end": end,
            "months": sorted(months.items()),
        }
        return TemplateResponse(request, "admin/members/membership/calendar.html", context)
from members import admin_core_group  # noqa: E402,F401 - registers the Core Group admin
