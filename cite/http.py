"""Small helpers for views: where to send the user back to, and the links of a paged list."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default):
    """The URL in `next` (posted, or in the query string) when it is a path on this site, else `default`.

    Never a URL off the site, whatever is posted (an open redirect). The result is a URL: redirect
    to it with HttpResponseRedirect, never through reverse() (`next` is not a view name).
    """
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return next_url
    return default


def query_without_page(request):
    """The query string of a paged list without its page: the filters its page links keep."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
