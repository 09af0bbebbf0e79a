"""The public page's addresses, open to anyone: /public/essex/, its embed and its JSON."""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("<slug:plan_slug>/", views.page, name="page"),
    path("<slug:plan_slug>/embed/", views.embed, name="embed"),
    path("<slug:plan_slug>.json", views.as_json, name="json"),
]
