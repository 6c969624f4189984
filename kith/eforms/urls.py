from django.urls import path

from kith.eforms import builder_views, views

app_name = "eforms"

urlpatterns = [
    path("people/<uuid:person_id>/forms", views.person_forms, name="person-forms"),
    path("people/<uuid:person_id>/forms/start", views.start, name="start"),
    path("my-work/unfinished", views.unfinished, name="unfinished"),
    path("forms/<uuid:submission_id>", views.submission, name="submission"),
    path("forms/<uuid:submission_id>/autosave", views.autosave, name="autosave"),
    path("forms/<uuid:submission_id>/pdf", views.submission_pdf, name="submission-pdf"),
    path("forms/<uuid:submission_id>/change", views.amend, name="amend"),
    path(
        "forms/<uuid:submission_id>/files/<uuid:attachment_id>",
        views.attachment,
        name="attachment",
    ),
    path("administration/forms", builder_views.definition_list, name="definitions"),
    path("administration/forms/new", builder_views.definition_new, name="definition-new"),
    path(
        "administration/forms/<uuid:definition_id>",
        builder_views.definition_detail,
        name="definition",
    ),
    path(
        "administration/forms/versions/<uuid:version_id>",
        builder_views.version_edit,
        name="version",
    ),
]
