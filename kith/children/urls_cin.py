from django.urls import URLPattern, path

from kith.children import views_cin as views

P = "people/<uuid:person_id>/children"

urlpatterns: list[URLPattern] = [
    path(P, views.cin, name="cin"),
    path(f"{P}/contacts/add", views.contact_add, name="cin-contact-add"),
    path(
        f"{P}/contacts/<uuid:contact_id>/decision", views.contact_decide, name="cin-contact-decide"
    ),
    path(f"{P}/referrals/add", views.referral_add, name="cin-referral-add"),
    path(f"{P}/episodes/<uuid:episode_id>/close", views.episode_close, name="cin-episode-close"),
    path(
        f"{P}/episodes/<uuid:episode_id>/assessments/add",
        views.assessment_add,
        name="cin-assessment-add",
    ),
    path(f"{P}/assessments/<uuid:assessment_id>", views.assessment_update, name="cin-assessment"),
    path(
        f"{P}/episodes/<uuid:episode_id>/strategy-discussions/add",
        views.strategy_add,
        name="cin-strategy-add",
    ),
    path(f"{P}/episodes/<uuid:episode_id>/section47s/add", views.s47_add, name="cin-s47-add"),
    path(f"{P}/section47s/<uuid:s47_id>/end", views.s47_end, name="cin-s47-end"),
    path(f"{P}/episodes/<uuid:episode_id>/conferences/add", views.icpc_add, name="cin-icpc-add"),
    path(f"{P}/cp-plans/<uuid:plan_id>/reviews/add", views.cp_review_add, name="cin-cp-review-add"),
    path(
        f"{P}/cp-plans/<uuid:plan_id>/core-groups/add",
        views.core_group_add,
        name="cin-core-group-add",
    ),
    path(f"{P}/episodes/<uuid:episode_id>/cin-plans/add", views.cin_plan_add, name="cin-plan-add"),
    path(f"{P}/cin-plans/<uuid:plan_id>/end", views.cin_plan_end, name="cin-plan-end"),
    path(
        f"{P}/episodes/<uuid:episode_id>/pre-proceedings/add",
        views.pre_proceedings_add,
        name="cin-pre-proceedings-add",
    ),
]
