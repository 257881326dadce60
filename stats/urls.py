from django.urls import path

from stats import views

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:key>.csv", views.export_csv, name="export-csv"),
    path("export/<slug:key>.xlsx", views.export_xlsx, name="export-xlsx"),
    path("report/", views.annual_report, name="report"),
    path("network/", views.network_comparison, name="network"),
    path("network/figures.json", views.network_export, name="network-export"),
    path("today/", views.today, name="today"),
]
