from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("board-pack/", views.board_pack, name="board_pack"),
]
