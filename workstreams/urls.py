from django.urls import path

from . import views

app_name = "workstreams"

urlpatterns = [
    path("plan/", views.plan, name="plan"),
    path("workstreams/<str:code>/", views.detail, name="detail"),
]
