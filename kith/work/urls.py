from django.urls import path

from kith.work import views

app_name = "work"

urlpatterns = [
    path("people/new", views.person_add, name="person-add"),
]
