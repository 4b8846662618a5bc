from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from accounts import access
from coalition import views
from secretariat.views import with_work_queue

# The admin signs in through allauth, so rate limits and two-factor apply to it too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.has_permission = lambda request: access.may_use_admin(request.user)
admin.site.site_header = _("PHC Coalition Secretariat")
admin.site.site_title = _("PHC Coalition")
admin.site.index_title = _("Today")
admin.site.index_template = "admin/today.html"
admin.site.index = with_work_queue(admin.site.index)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("healthz/deep", views.healthz_deep, name="healthz-deep"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("events/", include("events.feed_urls")),
    path("calendar/", include("accounts.feed_urls")),
    # The public API, outside the language prefix: ?lang= or Accept-Language choose its language.
    path("api/v1/", include("api.urls")),
    re_path(r"^zh(?:-cn)?/(?P<rest>.*)$", views.chinese, name="chinese"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    # Before the admin's own URLs: its catch-all would answer first.
    path("admin/calendar/", include("accounts.urls")),
    path("admin/representativeness/", include("members.staff_urls")),
    path("admin/", admin.site.urls),
    path("", include("members.urls")),
    path("", include("pledges.urls")),
    path("events/", include("events.urls")),
    path("reports/", include("reports.urls")),
    path("news/", include("announcements.urls")),
    path("library/", include("library.urls")),
    path("", include("governance.urls")),
)
