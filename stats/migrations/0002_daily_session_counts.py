from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="DailySessionCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(verbose_name="day")),
                (
                    "breakdown",
                    models.CharField(
                        choices=[
                            ("sessions", "sessions"),
                            ("visits", "visits with a session"),
                            ("outcome", "question answered"),
                            ("topic", "topic"),
                            ("isco1", "ISCO-08 major group"),
                            ("isco2", "ISCO-08 sub-major group"),
                            ("occupation", "occupation"),
                            ("referrals", "referrals"),
                            ("ref_institution", "referral to an institution"),
                            ("ref_kind", "referral to a kind of institution"),
                            ("ref_area", "referral to an area"),
                            ("institution", "institution"),
                            ("institution_kind", "kind of institution"),
                            ("handed", "documents handed"),
                            ("document", "document"),
                            ("document_kind", "kind of record"),
                        ],
                        max_length=20,
                        verbose_name="breakdown",
                    ),
                ),
                ("key", models.CharField(blank=True, max_length=255, verbose_name="key")),
                ("visits", models.PositiveIntegerField(verbose_name="visits")),
            ],
            options={
                "verbose_name": "daily session count",
                "verbose_name_plural": "daily session counts",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("day", "breakdown", "key"), name="stats_dailysessioncount_one_per_day_key"
                    )
                ],
            },
        ),
        # Days rolled up before sessions were counted have no session rows: forget them, so that the
        # next roll_up_statistics rolls every closed day up again, sessions included.
        migrations.RunSQL("DELETE FROM stats_rolledday", migrations.RunSQL.noop),
    ]
