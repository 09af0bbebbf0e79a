from django.urls import path

from . import views

app_name = "imports"

# Under a plan's address: /<plan>/import/.
urlpatterns = [
    path("", views.returns_upload, name="returns_upload"),
    path("check/", views.returns_check, name="returns_check"),
]

