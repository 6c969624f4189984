from django.urls import URLPattern, path

from kith.children import views_cla as views

urlpatterns: list[URLPattern] = [
    path("people/<uuid:person_id>/looked-after", views.looked_after, name="looked-after"),
    path("people/<uuid:person_id>/looked-after/start", views.care_start, name="cla-start"),
    path(
        "people/<uuid:person_id>/looked-after/legal-status",
        views.legal_status_change,
        name="cla-legal-status",
    ),
    path(
        "people/<uuid:person_id>/looked-after/placement",
        views.placement_change,
        name="cla-placement",
    ),
    path(
        "people/<uuid:person_id>/looked-after/placement/return",
        views.placement_return,
        name="cla-placement-return",
    ),
    path("people/<uuid:person_id>/looked-after/end", views.care_end, name="cla-end"),
    path("people/<uuid:person_id>/looked-after/review", views.review_record, name="cla-review"),
    path(
        "people/<uuid:person_id>/looked-after/health-check",
        views.health_check_record,
        name="cla-health-check",
    ),
    path(
        "people/<uuid:person_id>/looked-after/iro-contact",
        views.iro_contact_record,
        name="cla-iro-contact",
    ),
    path("people/<uuid:person_id>/looked-after/sdq", views.sdq_record, name="cla-sdq"),
    path("people/<uuid:person_id>/looked-after/missing", views.missing_record, name="cla-missing"),
    path(
        "people/<uuid:person_id>/looked-after/missing/end",
        views.missing_end,
        name="cla-missing-end",
    ),
    path(
        "people/<uuid:person_id>/looked-after/care-leaver",
        views.care_leaver_record,
        name="cla-care-leaver",
    ),
    path(
        "people/<uuid:person_id>/looked-after/wellbeing",
        views.wellbeing_record,
        name="cla-wellbeing",
    ),
    path("people/<uuid:person_id>/looked-after/uasc", views.uasc_record, name="cla-uasc"),
    path(
        "people/<uuid:person_id>/looked-after/uasc/<uuid:status_id>/end",
        views.uasc_end,
        name="cla-uasc-end",
    ),
    path("people/<uuid:person_id>/looked-after/dolo", views.dolo_record, name="cla-dolo"),
    path(
        "people/<uuid:person_id>/looked-after/dolo/<uuid:order_id>/end",
        views.dolo_end,
        name="cla-dolo-end",
    ),
    path(
        "people/<uuid:person_id>/looked-after/adoption",
        views.adoption_record,
        name="cla-adoption",
    ),
    path(
        "people/<uuid:person_id>/looked-after/adoption/<uuid:record_id>/<slug:stage>",
        views.adoption_stage,
        name="cla-adoption-stage",
    ),
    path(
        "people/<uuid:person_id>/looked-after/sw-episode",
        views.sw_episode_record,
        name="cla-sw-episode",
    ),
    path(
        "people/<uuid:person_id>/looked-after/previous-permanence",
        views.previous_permanence_record,
        name="cla-previous-permanence",
    ),
]
