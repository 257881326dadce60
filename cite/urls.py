from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from cite import views
from counselling import urls as counselling_urls
from reception import urls as reception_urls
from resources import oai as resources_oai

cite_patterns = (
    [
        path("team/", views.team, name="team"),
    ],
    "cite",
)

# The admin's own login form would let staff in on their password alone, past MFA and allauth's rate
# limits: it sends to allauth's login instead (and refuses logged-in people without admin access).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("", include(cite_patterns)),
    path("reception/", include("reception.urls")),
    path("t/", include((reception_urls.phone_patterns, "phone"))),
    path("", include((counselling_urls.public_patterns, "public"))),
    path("partners/", include("partners.urls")),
    path("counselling/", include("counselling.urls")),
    path("resources/", include("resources.urls")),
    path("statistics/", include("stats.urls")),
    path("oai", resources_oai.endpoint, name="oai"),
    path("kiosk/", views.kiosk, name="kiosk"),
    path("kiosk/restart/", views.kiosk_restart, name="kiosk-restart"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("areas.css", views.area_colours, name="area-colours"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "cite.views.server_error"

admin.site.site_header = settings.CENTRE_NAME
admin.site.site_title = settings.CENTRE_NAME
admin.site.index_title = _("Back office")
