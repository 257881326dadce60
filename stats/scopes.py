"""The scopes a visit counts in, as SQL: which rows of the rollup tables (stats.models.Scoped) a
visit adds to, and the one scope a page counts live (stats.figures.Scope).

Each is a relation (ticket_id, scope_area, scope_institution) over the tickets of {days} (a
condition on the ticket `t`), that the statements counting visits join on the ticket: plain joins,
which every supported PostgreSQL plans alike, rather than a lateral subquery per visit.
"""

from counselling.models import Session
from reception.models import Ticket

TICKETS, SESSIONS = Ticket._meta.db_table, Session._meta.db_table

# For the nightly roll-up: the whole centre, the area the visit ended in, each institution whose
# counsellor held one of its sessions, and each of those within the area. A visit seen by two
# institutions counts in both, as the dashboard's institution filter counts it.
ALL_SCOPES = f"""
SELECT t.id AS ticket_id, NULL::bigint AS scope_area, NULL::bigint AS scope_institution
  FROM {TICKETS} t WHERE {{days}}
UNION ALL
SELECT t.id, t.area_id, NULL::bigint FROM {TICKETS} t WHERE {{days}}
UNION ALL
SELECT DISTINCT t.id, NULL::bigint, fs.institution_id
  FROM {TICKETS} t JOIN {SESSIONS} fs ON fs.ticket_id = t.id WHERE {{days}} AND fs.institution_id IS NOT NULL
UNION ALL
SELECT DISTINCT t.id, t.area_id, fs.institution_id
  FROM {TICKETS} t JOIN {SESSIONS} fs ON fs.ticket_id = t.id WHERE {{days}} AND fs.institution_id IS NOT NULL
"""  # noqa: S608 (our own table names)

# For a page counting the days not rolled up yet: its own scope, whose condition on `t`
# (stats.figures.Scope.condition()) is part of {days}.
ONE_SCOPE = f"""
SELECT t.id AS ticket_id, %(scope_area)s::bigint AS scope_area, %(scope_institution)s::bigint AS scope_institution
  FROM {TICKETS} t WHERE {{days}}
"""  # noqa: S608


def all_scopes(days):
    return ALL_SCOPES.format(days=days)


def one_scope(days):
    return ONE_SCOPE.format(days=days)
