"""The scopes a visit counts in, as SQL: which rows of the rollup tables (stats.models.Scoped) a
visit adds to, and the one scope a page counts live (stats.figures.Scope)."""

from counselling.models import Session

# For the nightly roll-up, on the ticket `t`: the whole centre, the area the visit ended in, each
# institution whose counsellor held one of its sessions, and each of those within the area. A visit
# seen by two institutions counts in both, as the dashboard's institution filter counts it.
ALL_SCOPES = f"""
SELECT NULL::bigint AS scope_area, NULL::bigint AS scope_institution
UNION ALL SELECT t.area_id, NULL::bigint
UNION ALL SELECT a.area_id, i.institution_id
  FROM (SELECT DISTINCT fs.institution_id FROM {Session._meta.db_table} fs
         WHERE fs.ticket_id = t.id AND fs.institution_id IS NOT NULL) i
 CROSS JOIN (VALUES (NULL::bigint), (t.area_id)) AS a (area_id)
"""  # noqa: S608 (our own table name)

# For a page counting the days not rolled up yet: its own scope (the condition on `t` is
# stats.figures.Scope.condition(), added to the days').
ONE_SCOPE = "SELECT %(scope_area)s::bigint AS scope_area, %(scope_institution)s::bigint AS scope_institution"
