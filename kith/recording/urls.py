from django.urls import path

from kith.recording import views

app_name = "recording"

urlpatterns = [
    path("people/<uuid:person_id>/notes", views.notes, name="notes"),
    path("people/<uuid:person_id>/notes/add", views.note_add, name="note-add"),
    path("people/<uuid:person_id>/notes/pdf", views.notes_pdf, name="notes-pdf"),
    path("people/<uuid:person_id>/notes/autosave", views.note_autosave, name="note-autosave"),
    path(
        "people/<uuid:person_id>/notes/drafts/<uuid:draft_id>",
        views.note_draft,
        name="note-draft",
    ),
    path(
        "people/<uuid:person_id>/notes/drafts/<uuid:draft_id>/discard",
        views.note_draft_discard,
        name="note-draft-discard",
    ),
    path("people/<uuid:person_id>/notes/<uuid:note_id>", views.note_detail, name="note"),
    path("people/<uuid:person_id>/notes/<uuid:note_id>/pdf", views.note_pdf, name="note-pdf"),
    path(
        "people/<uuid:person_id>/notes/<uuid:note_id>/correct",
        views.note_correct,
        name="note-correct",
    ),
    path(
        "people/<uuid:person_id>/notes/<uuid:note_id>/delete",
        views.note_delete,
        name="note-delete",
    ),
    path("people/<uuid:person_id>/notes/<uuid:note_id>/pin", views.note_pin, name="note-pin"),
    path(
        "people/<uuid:person_id>/notes/<uuid:note_id>/amend",
        views.note_amend,
        name="note-amend",
    ),
    path("people/<uuid:person_id>/visits", views.visits, name="visits"),
    path("people/<uuid:person_id>/visits/plan", views.visit_plan, name="visit-plan"),
    path("people/<uuid:person_id>/visits/record", views.visit_record, name="visit-record"),
    path("people/<uuid:person_id>/visits/<uuid:visit_id>", views.visit_detail, name="visit"),
]
