from django.urls import path

from kith.returns import views

app_name = "returns"

urlpatterns = [
    path("returns", views.returns_index, name="index"),
    path("returns/runs/<uuid:run_id>", views.run_page, name="run"),
    path("returns/runs/<uuid:run_id>/status", views.run_status, name="run-status"),
    path("returns/runs/<uuid:run_id>/files/<path:name>", views.run_download, name="download"),
]
