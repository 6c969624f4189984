from django.urls import path

from kith.access import views

app_name = "access"

urlpatterns = [
    path("emergency-access", views.break_glass_queue, name="break-glass-queue"),
    path("emergency-access/<uuid:grant_id>", views.break_glass_review, name="break-glass-review"),
    path("declared-conflicts", views.conflicts, name="conflicts"),
    path("declared-conflicts/<uuid:conflict_id>/end", views.conflict_end, name="conflict-end"),
    path("administration/restricted-record-groups", views.groups, name="groups"),
    path("administration/restricted-record-groups/new", views.group_edit, name="group-create"),
    path(
        "administration/restricted-record-groups/<uuid:group_id>",
        views.group_edit,
        name="group-edit",
    ),
    path("administration/module-access", views.module_grants, name="module-grants"),
]
