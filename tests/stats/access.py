"""Who may open each page of the statistics (rows for tests/cite/test_access.py).

Statistics and their exports are the managers' (cite.view_statistics). The panel of the day is
reception's tool and is guarded by reception.view_queue, which every role that works the queue holds.
"""

PAGE_ROLES = {
    "stats:dashboard": {"manager"},
    "stats:export-csv": {"manager"},
    "stats:export-xlsx": {"manager"},
    "stats:report": {"manager"},
    "stats:network": {"manager"},
    "stats:network-export": {"manager"},
    "stats:today": {"reception", "counsellor", "back_office", "manager"},
}

URL_KWARGS = {
    "stats:export-csv": lambda: {"key": "visits-by-area"},
    "stats:export-xlsx": lambda: {"key": "all"},
}
