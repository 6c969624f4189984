from django.urls import path

from kith.work import timescale_views, views
from kith.work.dashboards import views as dashboards

app_name = "work"

urlpatterns = [
    path("people/new", views.person_add, name="person-add"),
    path("my-work", views.my_work, name="my-work"),
    path("authorisations", views.authorisations, name="authorisations"),
    path("work/<uuid:item_id>", views.work_item_detail, name="item"),
    path("work/<uuid:item_id>/<str:action>", views.work_item_action, name="item-action"),
    path("people/<uuid:person_id>/work", views.person_work, name="person-work"),
    path("people/<uuid:person_id>/work/add", views.work_item_add, name="item-add"),
    path(
        "people/<uuid:person_id>/involvements/<uuid:involvement_id>/allocate",
        views.person_allocate,
        name="person-allocate",
    ),
    path("teams/<uuid:team_id>/reallocate/<uuid:worker_id>", views.reallocate, name="reallocate"),
    path("teams/dashboard", dashboards.team_dashboard, name="team-dashboard"),
    path("services/dashboard", dashboards.service_dashboard, name="service-dashboard"),
    path("administration/timescales", timescale_views.timescale_list, name="timescales"),
    path("administration/timescales/add", timescale_views.timescale_add, name="timescale-add"),
    path(
        "administration/timescales/<uuid:rule_id>/end",
        timescale_views.timescale_end,
        name="timescale-end",
    ),
]
