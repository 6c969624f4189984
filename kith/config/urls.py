from django.urls import include, path

from kith.config.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("kith.core.urls")),
    path("", include("kith.accounts.urls")),
]

handler400 = "kith.core.views.bad_request"
handler403 = "kith.core.views.permission_denied"
handler404 = "kith.core.views.page_not_found"
handler500 = "kith.core.views.server_error"
