"""Settings for cite, read from the environment.

Safe for production by default; the conveniences of development (a fixed secret key, the console
mail backend, static files served from the apps) only come with DEBUG=1.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def envbool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def envsecret(name):
    """A secret from NAME, or from the file named by NAME_FILE (Docker and systemd credentials)."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name, "")


def database_from_url(url):
    """Django's DATABASES entry for a postgres:// URL (host may be a socket folder: ?host=/path)."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured("DATABASE_URL must be a PostgreSQL URL (postgres://…): cite needs PostgreSQL.")
    options = {k: v for k, v in parse_qsl(parts.query, keep_blank_values=True) if v or k == "options"}
    host = options.pop("host", None) or unquote(parts.hostname or "")
    # PostgreSQL's default random_page_cost (4) prices reading a page out of order as for a spinning
    # disk; on SSDs and a cached catalogue it is nearer 1. With 4, a search word found in a quarter of
    # 100,000 records was checked row by row over the whole table (400 ms) instead of through its
    # index (80 ms). `?options=...` in the URL replaces this; `?options=` (empty) sends none, for
    # PgBouncer, which refuses startup options (then ALTER DATABASE ... SET random_page_cost = 1.1).
    options.setdefault("options", "-c random_page_cost=1.1")
    if not options["options"]:
        del options["options"]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "cite",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": envint("CONN_MAX_AGE", 60),
        # A connection kept across requests is checked first, so the app recovers by itself
        # after PostgreSQL restarts.
        "CONN_HEALTH_CHECKS": True,
    }


DEBUG = envbool("DEBUG", False)

SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random value (or SECRET_KEY_FILE to a file holding "
            "one), or set DEBUG=1 for development."
        )
    SECRET_KEY = "django-insecure-development-only-never-use-this-key-in-production"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

# The centre this installation runs.
CENTRE_NAME = env("CENTRE_NAME", "Cité des métiers")
TIME_ZONE = env("CENTRE_TIME_ZONE", "Europe/Paris")
# Where visitors find it, on the public home page: settings rather than a model, because they change
# once in years and belong with the centre's name (empty: the line is left out).
CENTRE_ADDRESS = env("CENTRE_ADDRESS", "")
CENTRE_PHONE = env("CENTRE_PHONE", "")
CENTRE_MAP_URL = env("CENTRE_MAP_URL", "")
# Dates a page may be asked for (in its URL or a form): other years are refused with a message
# (cite/dates.py). Far inside Python's years 1-9999, so that no arithmetic near the limits overflows.
DATES_FIRST_YEAR = envint("DATES_FIRST_YEAR", 1900)
DATES_LAST_YEAR = envint("DATES_LAST_YEAR", 2200)
if not 1000 <= DATES_FIRST_YEAR <= DATES_LAST_YEAR <= 9000:
    raise ImproperlyConfigured("DATES_FIRST_YEAR and DATES_LAST_YEAR must be years 1000-9000, first <= last.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "django_htmx",
    "auditlog",
    # cite's own apps, each after those it builds on (the demo steps run in this order);
    # templates/ overrides the templates of the apps above.
    "cite",
    "reception",
    "partners",
    "resources",
    "counselling",
    "stats",  # reads every app above
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "auditlog.middleware.AuditlogMiddleware",  # who made each change recorded in the audit trail
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cite.middleware.RequireMFAMiddleware",
    "cite.middleware.PermissionsPolicyMiddleware",
]

ROOT_URLCONF = "cite.urls"
WSGI_APPLICATION = "cite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cite.context_processors.centre",
            ],
        },
    },
]
# Django's form templates, the commonest written in Python for speed (same HTML): cite/renderers.py.
FORM_RENDERER = "cite.renderers.FormRenderer"

# Database: PostgreSQL only, at DATABASE_URL. Without it, the checkout's embedded PostgreSQL 18, but
# only in development (DEBUG) or when asked for (EMBEDDED_POSTGRES=1): in production a missing
# DATABASE_URL stops cite here rather than serving from a private database inside the checkout. The
# embedded server starts at the first connection (cite.embedded_backend), never on import.
EMBEDDED_POSTGRES = envbool("EMBEDDED_POSTGRES", DEBUG)
if "DATABASE_URL" in os.environ and not os.environ["DATABASE_URL"]:
    raise ImproperlyConfigured("DATABASE_URL is set but empty.")
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
elif EMBEDDED_POSTGRES:
    DATABASES = {"default": {**database_from_url("postgres:///cite"), "ENGINE": "cite.embedded_backend"}}
else:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Set it to the PostgreSQL database cite should use "
        "(postgres://user:password@host:5432/name), or set DEBUG=1 (or EMBEDDED_POSTGRES=1) to start "
        "the checkout's own PostgreSQL for development."
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by every worker without another service: allauth's login rate limits need it. The
# catalogue's search results live in each process's memory ("search"), apart, so that they never push
# the rate limits out; a version kept in the shared cache makes every process forget them at a change.
# "queue": each process's own memory, for what the queue's pages answer under a queue version
# (reception.versions): a key names its version, so nothing there is ever stale to invalidate.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cite_cache",
    },
    "search": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "cite-search",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    "queue": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "cite-queue",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

AUTH_USER_MODEL = "cite.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# Staff accounts (django-allauth): email and password, no public sign-up, MFA for everyone.
ACCOUNT_ADAPTER = "cite.adapters.StaffAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"  # the back office creates accounts for addresses it knows
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_SESSION_REMEMBER = False  # shared desk computers: a session ends with the browser
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{CENTRE_NAME}] "
ACCOUNT_RATE_LIMITS = {
    # Failed logins slow down per address and per account (allauth's own defaults, made explicit).
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = CENTRE_NAME
# Groups whose members must set up two-factor authentication before using cite.
MFA_REQUIRED_GROUPS = envlist("MFA_REQUIRED_GROUPS", "Manager")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Files served only through permission-checked views (signed agreements, …): never under MEDIA_URL.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if envbool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or not envbool("STATIC_MANIFEST", not DEBUG)

# Reception: the waiting-room display's key (empty: the display is open to anyone who knows its URL),
# and the estimated wait's inputs (see reception/selectors.py).
RECEPTION_DISPLAY_KEY = envsecret("RECEPTION_DISPLAY_KEY")
RECEPTION_DEFAULT_SERVICE_MINUTES = envint("RECEPTION_DEFAULT_SERVICE_MINUTES", 15)
RECEPTION_SERVICE_SAMPLE_DAYS = envint("RECEPTION_SERVICE_SAMPLE_DAYS", 14)
RECEPTION_SERVICE_MIN_SAMPLES = envint("RECEPTION_SERVICE_MIN_SAMPLES", 5)
# The service times are kept in a table, refreshed when a session ends and at least this often (seconds)
# for the days that leave the sample; never a median per request.
RECEPTION_SERVICE_REFRESH_SECONDS = envint("RECEPTION_SERVICE_REFRESH_SECONDS", 300)
# A desk whose counsellor has not been seen for this long closes by itself (closed browser, forgotten
# desk): its called ticket goes back to the queue. The desk page says it is there every minute.
RECEPTION_DESK_IDLE_MINUTES = envint("RECEPTION_DESK_IDLE_MINUTES", 15)
# How often (seconds, per process) the pages that show desks look for idle ones; `close_idle_desks`
# does the same from cron.
RECEPTION_DESK_IDLE_CHECK_SECONDS = envint("RECEPTION_DESK_IDLE_CHECK_SECONDS", 30)
# How often (seconds) the visitor's phone page asks where the ticket stands. Each answer is one cheap
# query while the queue stands still (its version), so this is about phones' batteries and data.
RECEPTION_PHONE_REFRESH_SECONDS = max(1, envint("RECEPTION_PHONE_REFRESH_SECONDS", 5))

# Phone numbers without a country code are read as in this region (cite.pii, partners' contacts).
PHONE_DEFAULT_REGION = env("PHONE_DEFAULT_REGION", "FR")
# The countries whose numbers the personal-data guard recognises written without a country code
# (a number with one, +1 514…, is recognised whatever the list). The centre's own region is always
# among them; a centre whose visitors often give numbers of another country adds it (Quebec: CA).
PII_PHONE_REGIONS = [region.upper() for region in envlist("PII_PHONE_REGIONS", PHONE_DEFAULT_REGION)]

# Partners: the largest logo, signed agreement or shared document accepted, in megabytes.
PARTNERS_MAX_UPLOAD_MB = envint("PARTNERS_MAX_UPLOAD_MB", 10)

# Resources (the library): upload limits, the OAI-PMH provider and the harvester.
RESOURCES_MAX_UPLOAD_MB = envint("RESOURCES_MAX_UPLOAD_MB", 20)
RESOURCES_MAX_IMAGE_PIXELS = envint("RESOURCES_MAX_IMAGE_PIXELS", 50_000_000)  # larger images: decompression bombs
RESOURCES_OAI_ADMIN_EMAIL = env("RESOURCES_OAI_ADMIN_EMAIL")  # Identify's adminEmail; DEFAULT_FROM_EMAIL when empty
# The namespace of this provider's OAI identifiers (oai:NAMESPACE:uuid): the same whatever name a
# harvester uses to reach cite. By default the first plain host name of ALLOWED_HOSTS.
RESOURCES_OAI_NAMESPACE = env(
    "RESOURCES_OAI_NAMESPACE",
    next((host for host in ALLOWED_HOSTS if host and not host.startswith((".", "*"))), "localhost"),
)
RESOURCES_OAI_PAGE_SIZE = 100  # records per ListRecords/ListIdentifiers page; never more than 100
# Seconds the harvester waits for each read from a sister centre; and the whole harvest of one
# centre's deadline, in minutes (a provider trickling its answer never trips the first).
RESOURCES_HARVEST_TIMEOUT = envint("RESOURCES_HARVEST_TIMEOUT", 30)
RESOURCES_HARVEST_DEADLINE_MINUTES = envint("RESOURCES_HARVEST_DEADLINE_MINUTES", 60)
# Seconds a catalogue search's total, facet counts and page of results are kept for the same words and
# filters (0: never); any change to the library forgets them at once.
RESOURCES_SEARCH_CACHE_SECONDS = envint("RESOURCES_SEARCH_CACHE_SECONDS", 60)
RESOURCES_TRIGRAM_THRESHOLD = 0.5  # pg_trgm word similarity for typo-tolerant search (resources/apps.py)

# Counselling: how long private session notes are kept (then emptied by `purge_session_notes`), and
# whether a counsellor may read colleagues' notes through a visitor's return code.
COUNSELLING_NOTE_RETENTION_DAYS = envint("COUNSELLING_NOTE_RETENTION_DAYS", 90)
COUNSELLING_SHARE_NOTES = envbool("COUNSELLING_SHARE_NOTES", False)
# The longest a session may last: corrections beyond it are refused, and a session left open when its
# visit is closed at night ends this long after it started at the latest.
COUNSELLING_LONGEST_SESSION_HOURS = envint("COUNSELLING_LONGEST_SESSION_HOURS", 3)
# Hours against agreements: a gap larger than this percentage of the reference is flagged.
COUNSELLING_HOURS_GAP_PERCENT = envint("COUNSELLING_HOURS_GAP_PERCENT", 10)
# My desk lists this many of the next waiting tickets of the counsellor's areas, and how many wait in all.
COUNSELLING_DESK_WAITING_ROWS = envint("COUNSELLING_DESK_WAITING_ROWS", 20)

# Statistics: counts of fewer visitors than this show as "< 5" (screen, files, report, network); the
# network comparison's limits; the country written in this centre's network figures.
STATS_SUPPRESSION_THRESHOLD = envint("STATS_SUPPRESSION_THRESHOLD", 5)
STATS_NETWORK_MAX_CENTRES = envint("STATS_NETWORK_MAX_CENTRES", 12)
STATS_NETWORK_MAX_UPLOAD_KB = envint("STATS_NETWORK_MAX_UPLOAD_KB", 256)
CENTRE_COUNTRY = env("CENTRE_COUNTRY", "FR")
# The centre's logo on the annual report: a path under the static files (empty: cite's mark).
CENTRE_LOGO = env("CENTRE_LOGO", "")

# Mail: the console in development, SMTP otherwise.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not EMAIL_HOST
    else "django.core.mail.backends.smtp.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "cite@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", address) for address in envlist("ADMINS")]

# Security. Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes from the proxy or the orchestrator use plain HTTP
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
# Whole domain on HTTPS, ready for the browsers' preload list; turn off if a subdomain still serves HTTP.
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = 12 * 3600  # one working day
X_FRAME_OPTIONS = "DENY"
# Browser features no page of cite uses (cite.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# A strict Content-Security-Policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Audit trail (django-auditlog): who changed which reference data or account, what, and when.
# Only the back office's reference data and staff accounts: never visits, tickets or sessions, which
# are anonymous activity, not staff changes. Password hashes and login times stay out of the trail.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "cite.Area"},
    {"model": "cite.Centre"},
    {"model": "cite.User", "exclude_fields": ["password", "last_login"], "m2m_fields": ["groups"]},
    *({"model": f"reception.{name}"} for name in ("AgeBand", "Situation", "Gender", "ResidenceZone", "HeardFrom")),
    {"model": "reception.Desk", "m2m_fields": ["areas"]},
    {"model": "counselling.Topic"},
    {"model": "counselling.CounsellorProfile", "m2m_fields": ["areas"]},
    {"model": "partners.Institution", "m2m_fields": ["areas"]},
    {"model": "partners.Agreement"},
    {"model": "partners.Secondment"},
)
AUDITLOG_DISABLE_REMOTE_ADDR = True  # the actor is the account; a forwarded address proves nothing
AUDITLOG_USE_FK_STRING_REPRESENTATION = True  # "Mission Locale", not "7", in the trail

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}
