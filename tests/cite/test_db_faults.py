"""A short run of bench/db_faults.py: PostgreSQL stopped and started under load on a throwaway cluster
(never the server the tests use), gunicorn answering 503 meanwhile, recovering alone, no ticket lost."""

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.slow  # a throwaway PostgreSQL cluster and gunicorn, stopped and started under load
def test_restarting_postgresql_while_tickets_are_issued_gives_503_then_recovers_and_loses_nothing():
    sys.path.insert(0, str(BENCH))
    try:
        import db_faults
    finally:
        sys.path.remove(str(BENCH))

    passed, lines = db_faults.run(threads=3, workers=2, warm=1, down=1, after=1, say=lambda line: None)

    report = "\n".join(lines)
    assert passed, report
    assert "down      503:" in report  # the outage was really met by requests
