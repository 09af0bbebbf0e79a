from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import TemplateView

from accounts.views import healthz

urlpatterns = [
    path("", include("dashboard.urls")),
    path("", include("workstreams.urls")),
    path("actions/", include("actions.urls")),
    path("measures/", include("measures.urls")),
    path("audit/", include("audit.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", healthz, name="healthz"),
    path("accessibility/", login_not_required(
        TemplateView.as_view(template_name="accessibility.html")), name="accessibility"),
    path("admin/", admin.site.urls),
]

handler403 = "send_wsoa.errors.permission_denied"
handler404 = "send_wsoa.errors.page_not_found"
handler500 = "send_wsoa.errors.server_error"
