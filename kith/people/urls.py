from django.urls import path

from kith.people import views

app_name = "people"

urlpatterns = [
    path("people", views.person_search, name="search"),
    path("people/<uuid:person_id>", views.person_detail, name="person"),
    path("people/<uuid:person_id>/emergency-access", views.break_glass, name="break-glass"),
    path(
        "people/<uuid:person_id>/i-know-this-person",
        views.conflict_declare,
        name="conflict-declare",
    ),
    path("people/<uuid:person_id>/access-log", views.person_access_log, name="access-log"),
    path("administration/restricted-records", views.restrictions, name="restrictions"),
    path(
        "administration/restricted-records/<uuid:restriction_id>/lift",
        views.restriction_end,
        name="restriction-end",
    ),
]
