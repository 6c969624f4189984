from django.urls import path

from kith.people import chronology_views, data_quality_views, views

app_name = "people"

urlpatterns = [
    path("people", views.person_search, name="search"),
    path("people/<uuid:person_id>", views.person_detail, name="person"),
    path("people/<uuid:person_id>/details", views.person_details, name="details"),
    path("people/<uuid:person_id>/family", views.person_family, name="family"),
    path("people/<uuid:person_id>/details/change", views.person_edit, name="edit"),
    path("people/<uuid:person_id>/identifiers/add", views.identifier_add, name="identifier-add"),
    path(
        "people/<uuid:person_id>/identifiers/<uuid:identifier_id>/end",
        views.identifier_end,
        name="identifier-end",
    ),
    path("people/<uuid:person_id>/names/add", views.name_add, name="name-add"),
    path("people/<uuid:person_id>/addresses/add", views.address_add, name="address-add"),
    path("people/<uuid:person_id>/contact-details/add", views.contact_add, name="contact-add"),
    path(
        "people/<uuid:person_id>/contact-details/<uuid:detail_id>/end",
        views.contact_end,
        name="contact-end",
    ),
    path("people/<uuid:person_id>/alerts/add", views.alert_add, name="alert-add"),
    path(
        "people/<uuid:person_id>/alerts/<uuid:alert_id>/review",
        views.alert_review,
        name="alert-review",
    ),
    path(
        "people/<uuid:person_id>/relationships/add",
        views.relationship_add,
        name="relationship-add",
    ),
    path(
        "people/<uuid:person_id>/relationships/<uuid:relationship_id>/end",
        views.relationship_end,
        name="relationship-end",
    ),
    path("people/<uuid:person_id>/households/add", views.household_add, name="household-add"),
    path(
        "people/<uuid:person_id>/households/<uuid:household_id>/add",
        views.household_member_add,
        name="household-member-add",
    ),
    path(
        "people/<uuid:person_id>/household-members/<uuid:member_id>/end",
        views.household_member_end,
        name="household-member-end",
    ),
    path(
        "people/<uuid:person_id>/professionals/add",
        views.professional_add,
        name="professional-add",
    ),
    path(
        "people/<uuid:person_id>/professionals/<uuid:involvement_id>/end",
        views.professional_end,
        name="professional-end",
    ),
    path("people/<uuid:person_id>/chronology", chronology_views.chronology, name="chronology"),
    path(
        "people/<uuid:person_id>/chronology.pdf",
        chronology_views.chronology_pdf,
        name="chronology-pdf",
    ),
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
    path("administration/organisations", data_quality_views.organisations, name="organisations"),
    path("data-quality/duplicates", data_quality_views.duplicates, name="duplicates"),
    path(
        "data-quality/duplicates/scans",
        data_quality_views.duplicate_scan_start,
        name="duplicate-scan-start",
    ),
    path(
        "data-quality/duplicates/scans/progress",
        data_quality_views.duplicate_scan_progress,
        name="duplicate-scan-progress",
    ),
    path(
        "data-quality/duplicates/dismiss",
        data_quality_views.duplicate_dismiss,
        name="duplicate-dismiss",
    ),
    path("data-quality/merge", data_quality_views.merge_choose, name="merge-choose"),
    path("data-quality/merge/<int:first>/<int:second>", data_quality_views.merge, name="merge"),
    path("data-quality/merges", data_quality_views.merge_log, name="merge-log"),
    path(
        "data-quality/merges/<uuid:record_id>/unmerge",
        data_quality_views.unmerge,
        name="unmerge",
    ),
]
