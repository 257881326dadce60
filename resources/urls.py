from django.urls import path

from resources import views

app_name = "resources"

urlpatterns = [
    path("records/", views.catalogue, name="catalogue"),
    path("records/new/", views.record_create, name="record-create"),
    path("records/<uuid:uuid>/", views.record_detail, name="record-detail"),
    path("records/<uuid:uuid>/edit/", views.record_edit, name="record-edit"),
    path("records/<uuid:uuid>/delete/", views.record_delete, name="record-delete"),
    path("files/<uuid:uuid>/", views.record_file, name="record-file"),
    path("thumbnails/<uuid:uuid>/", views.record_thumbnail, name="record-thumbnail"),
    path("records/export.csv", views.record_export, name="record-export"),
    path("records/import/", views.record_import, name="record-import"),
    path("occupations/", views.occupations, name="occupations"),
    path("occupations/lookup/", views.occupation_lookup, name="occupation-lookup"),
    path("occupations/groups/<str:code>/", views.occupation_group, name="occupation-group"),
    path("occupations/<int:pk>/", views.occupation_detail, name="occupation-detail"),
    # The self-service corner: public records, no login.
    path("public/", views.public_catalogue, name="public-catalogue"),
    path("public/records/<uuid:uuid>/", views.public_record, name="public-record"),
]
