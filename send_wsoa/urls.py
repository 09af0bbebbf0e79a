from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from accounts.views import healthz
from plans import views as plans_views

# Every page of a plan sits under the plan's own address: /essex/actions/JC10/.
plan_patterns = [
    path("", include("dashboard.urls")),
    path("", include("workstreams.urls")),
    path("actions/", include("actions.urls")),
    path("measures/", include("measures.urls")),
    path("audit/", include("audit.urls")),
    path("statistics/", include("area_statistics.urls")),
]

urlpatterns = [
    path("", plans_views.index, name="plans"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", healthz, name="healthz"),
    path("accessibility/", login_not_required(
        TemplateView.as_view(template_name="accessibility.html")), name="accessibility"),
    path("admin/", admin.site.urls),
    # Bookmarks from before plans had addresses of their own.
    re_path(r"^(?P<rest>(?:actions|workstreams|measures|audit|plan|board-pack)/.*)$",
            plans_views.old_address, name="old_address"),
    path("<slug:plan_slug>/", include(plan_patterns)),
]

handler403 = "send_wsoa.errors.permission_denied"
handler404 = "send_wsoa.errors.page_not_found"
handler500 = "send_wsoa.errors.server_error"
