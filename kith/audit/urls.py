from django.urls import path

from kith.audit import views

app_name = "audit"

urlpatterns = [
    path("audit-log", views.audit_search, name="search"),
]
