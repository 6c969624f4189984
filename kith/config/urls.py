from django.urls import include, path

from kith.api.v1 import api
from kith.config.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("kith.core.urls")),
    path("", include("kith.accounts.urls")),
    path("", include("kith.access.urls")),
    path("", include("kith.audit.urls")),
    path("", include("kith.people.urls")),
    path("", include("kith.work.urls")),
    path("", include("kith.eforms.urls")),
    path("", include("kith.recording.urls")),
    path("", include("kith.children.urls")),
    path("", include("kith.returns.urls")),
    path("api/v1/", api.urls),
]

handler400 = "kith.core.views.bad_request"
handler403 = "kith.core.views.permission_denied"
handler404 = "kith.core.views.page_not_found"
handler500 = "kith.core.views.server_error"
