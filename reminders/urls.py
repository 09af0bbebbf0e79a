from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.sent, name="sent"),
    path("yours/", views.choice, name="choice"),
]
