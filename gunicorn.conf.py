"""gunicorn's settings for cite: `gunicorn --config gunicorn.conf.py cite.wsgi` (docs/operations.md)."""

# OAI-PMH harvesters send resumption tokens and searches in the URL: with gunicorn's default request
# line of 4,094 bytes a long one got an HTML 414 instead of an OAI-PMH error. 8,190 is gunicorn's most.
limit_request_line = 8190
