"""Superset configuration for the IOC serving layer (loaded via SUPERSET_CONFIG_PATH).

Everything secret or machine-specific comes from the environment:

- SUPERSET_SECRET_KEY (required): signs sessions and encrypts stored credentials.
- IOC_WAREHOUSE: the warehouse folder (default: <repo>/warehouse); readers query only
  its published ``serving/`` folder.
- IOC_SUPERSET_DIR: Superset's own state (metadata DB, cache), default
  ``$IOC_WAREHOUSE/superset``.
- SUPERSET_METADATA_URI: metadata database (default: SQLite in IOC_SUPERSET_DIR; use
  PostgreSQL in production).
- SUPERSET_COOKIE_SECURE: "true" when served over HTTPS (the demo is plain HTTP on loopback).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import sys
import threading
import types
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
from duckdb_engine import ConnectionWrapper, CursorWrapper, DuckDBIdentifierPreparer
from duckdb_engine import Dialect as DuckDBDialect
from flask import g, has_request_context
from flask_caching.backends.filesystemcache import FileSystemCache
from sqlalchemy import event
from sqlalchemy.dialects.postgresql.base import PGIdentifierPreparer
from sqlalchemy.pool import Pool, QueuePool

# Superset executes this file at the end of its own config module, whose defaults are set.
from superset import config as superset_defaults
from superset.security import SupersetSecurityManager
from superset.utils.log import DBEventLogger

# --- Paths and secrets ------------------------------------------------------------------

REPO_DIR = Path(__file__).resolve().parent
WAREHOUSE_DIR = Path(os.environ.get("IOC_WAREHOUSE", REPO_DIR / "warehouse")).resolve()
SERVING_DIR = WAREHOUSE_DIR / "serving"
STATE_DIR = Path(os.environ.get("IOC_SUPERSET_DIR", WAREHOUSE_DIR / "superset")).resolve()

SECRET_KEY = os.environ.get("SUPERSET_SECRET_KEY", "")
if len(SECRET_KEY) < 32:
    raise RuntimeError(
        "SUPERSET_SECRET_KEY must be set to a random string of at least 32 characters "
        "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)."
    )

SQLALCHEMY_DATABASE_URI = os.environ.get(
    "SUPERSET_METADATA_URI", f"sqlite:///{STATE_DIR / 'superset.db'}"
)
HTTPS = os.environ.get("SUPERSET_COOKIE_SECURE", "false").lower() == "true"

# --- Branding and locale ----------------------------------------------------------------
# Superset ships no Vietnamese catalog: dashboards/language_pack.py installs ours into the
# package folder before start. Strings it lacks fall back to English.

APP_NAME = "IOC Khánh Hòa"
LANGUAGES = {
    "vi": {"flag": "vn", "name": "Tiếng Việt"},
    "en": {"flag": "us", "name": "English"},
}
BABEL_DEFAULT_LOCALE = "vi"
D3_FORMAT = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]}
D3_TIME_FORMAT = {
    "dateTime": "%H:%M:%S %d/%m/%Y",
    "date": "%d/%m/%Y",
    "time": "%H:%M:%S",
    "periods": ["SA", "CH"],
    "days": ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
    "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
    "months": [f"Tháng {m}" for m in range(1, 13)],
    "shortMonths": [f"Th{m}" for m in range(1, 13)],
}

# --- No telemetry: nothing may leave the machine ----------------------------------------
# Superset 6.1's only phone-home is the Scarf tracking pixel rendered by the front end
# (compiled in; no runtime flag). The Content-Security-Policy below lists no external host,
# so the browser refuses it, along with map tiles, Mapbox and hosted fonts.
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,  # TLS, where used, ends at the reverse proxy
    "session_cookie_secure": HTTPS,  # Talisman sets SESSION_COOKIE_SECURE from this
}
THEME_FONT_URL_ALLOWED_DOMAINS: list[str] = []
MAPBOX_API_KEY = ""
DOCUMENTATION_URL = None
BUG_REPORT_URL = None

# --- Web security -------------------------------------------------------------------------

WTF_CSRF_ENABLED = True
WTF_CSRF_TIME_LIMIT = int(timedelta(hours=8).total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
ENABLE_PROXY_FIX = False
ENABLE_CORS = False
PUBLIC_ROLE_LIKE = None
PREVENT_UNSAFE_DB_CONNECTIONS = True
DATASET_IMPORT_ALLOWED_DATA_URLS: list[str] = []  # no dataset import from URLs
FEATURE_FLAGS = {
    "ENABLE_TEMPLATE_PROCESSING": False,  # no Jinja in SQL
    "ALERT_REPORTS": False,  # needs Celery + a browser worker; not part of this stack
    "EMBEDDED_SUPERSET": False,
    # Analysts' SQL Lab keeps their row limits (dashboards/roles.yaml); viewers get no SQL Lab.
    "RLS_IN_SQLLAB": True,
}

# --- Login rate limiting ------------------------------------------------------------------
# Flask-Limiter on the logins only (the login form's POST and the REST API's
# /api/v1/security/login, limited in FLASK_APP_MUTATOR): AUTH_RATE_LIMIT tries per
# client address and user name, counted in each web worker's memory (no shared store here:
# with 2 workers a guesser gets at most twice as many). Above it: HTTP 429. Nothing else is
# limited (Superset's default of 50 requests a second per address would refuse a busy
# dashboard behind a proxy).
RATELIMIT_ENABLED = True
RATELIMIT_APPLICATION = None
RATELIMIT_STORAGE_URI = "memory://"
AUTH_RATE_LIMITED = True
AUTH_RATE_LIMIT = "10 per minute"


def RATELIMIT_KEY_FUNC() -> str:  # Flask-AppBuilder's Limiter reads it from the config
    """Who is trying: the client's address and the user name the form or the JSON names."""
    from flask import request
    from flask_limiter.util import get_remote_address

    body = request.get_json(silent=True) if request.is_json else None
    user = (body or {}).get("username") if isinstance(body, dict) else None
    return f"{get_remote_address()}|{user or request.form.get('username', '')}"


def _limit_logins(app: Any) -> None:
    """The login form and the REST API's login (Flask-AppBuilder's SecurityApi) limited.

    Superset 6.1 means to limit the form (AUTH_RATE_LIMITED) but skips it: its auth view has
    no blueprint yet when it tries, and 25 wrong tries in a row were all answered."""
    sm = app.appbuilder.sm
    views = [v for v in app.appbuilder.baseviews if type(v).__name__ == "SecurityApi"]
    if not views or getattr(sm.auth_view, "blueprint", None) is None:
        raise RuntimeError("superset_config: no login form or SecurityApi to rate-limit")
    for view in (sm.auth_view, *views):
        sm.limiter.limit(AUTH_RATE_LIMIT, methods=["POST"])(view.blueprint)


# --- Query limits -------------------------------------------------------------------------

ROW_LIMIT = 50_000
SAMPLES_ROW_LIMIT = 1_000
SQL_MAX_ROW = 100_000
DISPLAY_MAX_ROW = 10_000
DEFAULT_SQLLAB_LIMIT = 1_000
SQLLAB_TIMEOUT = 60
SQLLAB_CTAS_NO_LIMIT = False
SUPERSET_WEBSERVER_TIMEOUT = 60


def FLASK_APP_MUTATOR(app: Any) -> None:  # Superset calls it once the app is made
    """SQL Lab honours the user's own LIMIT: its row limit wraps the query. The logins are
    rate-limited (_limit_logins); our patches of Superset's drill info and metric types.

    Superset 6.1 lowers a query's limit to the user's LIMIT in the web request, but runs it
    from a fresh read of the query record that does not have that change yet, and then
    replaces the LIMIT of the statement with the dropdown's (FORCE_LIMIT): `… limit 5`
    returned up to 1,000 rows. Wrapped (`SELECT * FROM (<the query>) LIMIT n`), the user's
    LIMIT stays inside and the dropdown's caps the rest; DuckDB pushes both down.
    """
    from superset.db_engine_specs.duckdb import DuckDBEngineSpec
    from superset.sql.parse import LimitMethod

    DuckDBEngineSpec.limit_method = LimitMethod.WRAP_SQL
    _limit_logins(app)
    _drill_info_lists_metrics()
    _metrics_are_numbers()


def _metrics_are_numbers() -> None:
    """A metric whose column came back all empty is typed a number, without a warning.

    Superset 6.1 types such a column from the metric's expression, by a pattern for a leading
    aggregate (``SUM(…)``, ``MAX(…)``), and logs "Unexpected metric expression type" for any
    other shape: each of our ratios (``100.0 * SUM(…) / NULLIF(SUM(…), 0)``) and guarded
    values (``CASE WHEN COUNT(DISTINCT period_type) = 1 … END``), once per chart request
    whose metric was empty (a chart before its period is chosen). Those are numbers.
    """
    from superset.utils import core

    guess = core.get_metric_type_from_column

    def metric_type(column: Any, datasource: Any) -> str:
        metric = next((m for m in datasource.metrics if m.metric_name == column), None)
        if metric is None or _LEADING_AGGREGATE.match(metric.expression or ""):
            return guess(column, datasource)
        return "floating"

    core.get_metric_type_from_column = metric_type  # looked up by name at each call


# What Superset's guess reads: an expression that opens with an aggregate it knows.
_LEADING_AGGREGATE = re.compile(r"(SUM|AVG|COUNT|COUNT_DISTINCT|MIN|MAX|FIRST|LAST)\(.*\)")


def _drill_info_lists_metrics() -> None:
    """A drilled chart's metrics read as on the dashboard: "Giá trị (tỷ đồng)", "1.950".

    Superset 6.1's drill by draws the drilled chart with the dataset's drill info
    (``/api/v1/dataset/<id>/drill_info/``) as its datasource: the front end takes the
    columns' and the metrics' verbose names from it, and the table its metrics' number
    formats (``column_formats``), but the server lists only the columns. Every metric header
    showed its id (``ho_so_tiep_nhan``) and its figures Superset's default format ("1.95k",
    "90.65"). The drill info lists the metrics' names and formats too.
    """
    from superset.datasets.schemas import DatasetDrillInfoSchema

    columns_only = DatasetDrillInfoSchema.post_dump

    def post_dump(self: Any, serialized: dict[str, Any], obj: Any, **kwargs: Any) -> Any:
        result = columns_only(self, serialized, obj, **kwargs)
        metrics = getattr(obj, "metrics", [])
        result["metrics"] = [
            {"metric_name": m.metric_name, "verbose_name": m.verbose_name} for m in metrics
        ]
        result["column_formats"] = {m.metric_name: m.d3format for m in metrics if m.d3format}
        return result

    DatasetDrillInfoSchema.post_dump = post_dump  # marshmallow calls its hooks by name


# Defence in depth above DuckDB's own lockdown (below): SQL Lab refuses file readers before
# DuckDB sees them. Superset's defaults for other engines are kept.
DISALLOWED_SQL_FUNCTIONS = {
    **superset_defaults.DISALLOWED_SQL_FUNCTIONS,
    "duckdb": {
        "read_csv", "read_csv_auto", "read_parquet", "parquet_scan", "read_json",
        "read_json_auto", "read_ndjson", "read_text", "read_blob", "sniff_csv",
    },
}  # fmt: skip

# --- Permission checks asked once per request ---------------------------------------------
# Every API request first checks whether the public role may call it (a query for the role,
# another for its permissions), then the user's roles, one EXISTS query per permission, and a
# chart-data request asks some of them twice. Within one request the answers are kept (in
# flask.g, so nothing outlives the request: a role changed now counts from the next request).


class RequestScopedSecurityManager(SupersetSecurityManager):
    def get_public_role(self) -> Any:
        if not has_request_context():
            return super().get_public_role()
        if "ioc_public_role" not in g:
            g.ioc_public_role = super().get_public_role()
        return g.ioc_public_role

    def exist_permission_on_roles(
        self, view_name: str, permission_name: str, role_ids: list[int]
    ) -> bool:
        if not has_request_context():
            return super().exist_permission_on_roles(view_name, permission_name, role_ids)
        answers = g.setdefault("ioc_role_permissions", {})
        key = (view_name, permission_name, tuple(sorted(role_ids)))
        if key not in answers:
            answers[key] = super().exist_permission_on_roles(view_name, permission_name, role_ids)
        return answers[key]


CUSTOM_SECURITY_MANAGER = RequestScopedSecurityManager

# --- Caches (offline: files under the state dir, shared by all web workers) ---------------
# One file cache serves both regions: Superset's cache-invalidation API deletes keys from the
# app cache only, so chart results must live in the same store for it to reach them.
# Every key is scoped by the published serving copy (publish = os.replace: a new inode and
# mtime), so a refresh shows at once however it was published, with no call to Superset.


class PublishScopedCache(FileSystemCache):
    """A file cache whose entries belong to one published copy of the serving database."""

    def _get_filename(self, key: str) -> str:
        return super()._get_filename(f"{_serving_version()}:{key}")


def _serving_version() -> str:
    try:
        st = os.stat(SERVING_DIR / "ioc.duckdb")
    except FileNotFoundError:
        return "unpublished"
    return f"{st.st_ino}.{st.st_mtime_ns}"


# Flask-Caching imports a backend by dotted name, and Superset executes this file without
# registering it as a module: publish the class under a name of its own.
sys.modules["ioc_superset_cache"] = types.SimpleNamespace(PublishScopedCache=PublishScopedCache)
_FILE_CACHE = {
    "CACHE_TYPE": "ioc_superset_cache.PublishScopedCache",
    "CACHE_DIR": str(STATE_DIR / "cache"),
    "CACHE_KEY_PREFIX": "ioc_",
    "CACHE_THRESHOLD": 10_000,
}
CACHE_DEFAULT_TIMEOUT = int(timedelta(hours=1).total_seconds())
CACHE_CONFIG = _FILE_CACHE
DATA_CACHE_CONFIG = _FILE_CACHE
STORE_CACHE_KEYS_IN_METADATA_DB = True  # lets the invalidation API find chart results

# --- DuckDB lockdown -----------------------------------------------------------------------
# Superset over DuckDB could otherwise read any server file (read_csv('/etc/passwd')).
# Every new DuckDB connection may reach no file but the serving copy it has open (and DuckDB's
# own spill folder, which DuckDB allows itself): no other file, not even in the serving
# folder (an allowed folder could be ATTACHed from, read and written), no extension
# installs, and its configuration locked. Connections to the same file in one process share
# one DuckDB instance, so a connection may find it already (or being) locked down by another.
_DUCKDB_LOCKDOWN = (
    "SET enable_external_access = false",
    "SET autoinstall_known_extensions = false",
    "SET lock_configuration = true",
)


def _is_locked_down(cursor: Any) -> bool:
    """Locked, no external access; what DuckDB may reach is the serving copy's own files
    (``ioc.duckdb``, its ``.wal``) and its spill folder (``ioc.duckdb.tmp/``)."""
    cursor.execute(
        "SELECT current_setting('lock_configuration'), current_setting('enable_external_access'),"
        " current_setting('autoinstall_known_extensions'), current_setting('allowed_directories'),"
        " current_setting('allowed_paths')"
    )
    locked, external, autoinstall, directories, paths = cursor.fetchone()
    return (
        locked is True
        and external is False
        and autoinstall is False
        and all(path.startswith(f"{SERVING_DIR}/ioc.duckdb") for path in [*directories, *paths])
    )


@event.listens_for(Pool, "connect")
def lock_down_duckdb(dbapi_connection: Any, _connection_record: Any) -> None:
    """Confine a new DuckDB connection; refuse it if that cannot be verified.

    A connection to the serving instance was verified once, when the instance was made: its
    configuration is locked (`lock_configuration`), so no connection to it can change that.
    """
    if not isinstance(dbapi_connection, ConnectionWrapper):
        return
    if isinstance(dbapi_connection, _ServingConnection):
        return
    cursor = dbapi_connection.cursor()
    if _is_locked_down(cursor):  # e.g. a connection to the serving instance, locked when made
        return
    for statement in _DUCKDB_LOCKDOWN:
        # A statement fails harmlessly when a concurrent connection to the same instance
        # is further along (or done); each connection runs them in order, so whichever
        # sets the lock has applied the rest. The check below is what counts.
        with contextlib.suppress(duckdb.Error):
            cursor.execute(statement)
    if not _is_locked_down(cursor):
        dbapi_connection.close()
        raise RuntimeError("DuckDB connection is not locked down; refusing to use it")


# --- Event log: one row per request in the metadata database ------------------------------
# Superset logs a chart-data request as six events (the request, and the timings of its SQL,
# its load into a data frame, post-processing, JSON), each written and committed on its own;
# a commit also expires every object the request loaded, which is then read again from the
# metadata database. The request's own row (who, which chart, how long) stays in the
# database; the timings inside it go to the server log at DEBUG level (the server's CPU time
# per chart request went from 78 to 64-67 ms: benchmarks/README.md).
class RequestEventLogger(DBEventLogger):
    TIMINGS = frozenset(
        {
            "execute_sql",
            "load_into_dataframe",
            "QueryObject.post_processing",
            "ChartDataRestApi.json_dumps",
            "_get_data_response",
        }
    )

    def log(self, user_id: int | None, action: str, *args: Any, **kwargs: Any) -> None:
        if action in self.TIMINGS:
            duration_ms = args[1] if len(args) > 1 else kwargs.get("duration_ms")
            logging.getLogger("ioc.timings").debug("%s %s ms", action, duration_ms)
            return
        super().log(user_id, action, *args, **kwargs)


EVENT_LOGGER = RequestEventLogger()


# --- SQLite metadata (the demo's): commits without a disk flush each -----------------------
# Superset logs every action into its metadata database (EVENT_LOGGER), 6 commits per chart
# request; in SQLite's default journal each waited for the disk (~40 ms under load, most of a
# chart's time). Write-ahead logging with synchronous=NORMAL flushes at checkpoints only and
# stays consistent after a crash (the last commits may be lost); connections are pooled, as
# closing the last one checkpoints (SQLAlchemy gives a SQLite file none). PostgreSQL: as is.
if SQLALCHEMY_DATABASE_URI.startswith("sqlite:"):
    SQLALCHEMY_ENGINE_OPTIONS = {
        "poolclass": QueuePool,
        "pool_size": 8,
        "connect_args": {"check_same_thread": False},  # the pool hands one thread at a time
    }


@event.listens_for(Pool, "connect")
def fast_sqlite_commits(dbapi_connection: Any, _connection_record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")


# --- One DuckDB instance per process, each published copy ATTACHed to it -----------------
# Superset opens a new connection for every query (NullPool). Opening the serving file anew
# (a new DuckDB instance, its catalog read from disk) cost ~140 ms of a chart's ~240 ms; even
# a new empty in-memory instance costs 10-100 ms to start and close (its thread pool, buffer
# manager), where a connection (cursor) to an instance already open costs ~3 ms. So each
# process keeps one in-memory instance, locked down once when made, and ATTACHes each
# published copy to it read-only under a name of its own (`ioc_<inode>_<mtime>`); a
# connection USEs the newest. DuckDB caches instances by the file's path, which a publish
# (os.replace) keeps: attached under a new name, the new copy is seen at the next connection.
# Older copies stay attached for the queries still running on them; past the last few they
# are DETACHed (a query already running on one completes).
_KEPT_VERSIONS = 4
_serving: dict[str, Any] = {"instance": None, "copies": []}  # copies: attached names, oldest first
_serving_lock = threading.Lock()


def _serving_copy() -> tuple[duckdb.DuckDBPyConnection, str]:
    """The process's instance and the name of the newest published copy attached to it."""
    path = SERVING_DIR / "ioc.duckdb"
    quoted = str(path).replace("'", "''")
    with _serving_lock:
        st = os.stat(path)
        name = f"ioc_{st.st_ino}_{st.st_mtime_ns}"
        instance, copies = _serving["instance"], _serving["copies"]
        if instance is None:
            # spill where a file instance of the copy would (DuckDB allows its temp folder)
            instance = duckdb.connect(":memory:", config={"temp_directory": f"{path}.tmp"})
            # the copy's path (a publish replaces the file there) is all it may ATTACH later
            files = ", ".join(f"'{quoted}{suffix}'" for suffix in ("", ".wal"))
            instance.execute(f"SET allowed_paths = [{files}]")  # must precede the lockdown
            for statement in _DUCKDB_LOCKDOWN:
                instance.execute(statement)
            if not _is_locked_down(instance.cursor()):
                instance.close()
                raise RuntimeError("DuckDB serving instance is not locked down; refusing it")
            _serving["instance"] = instance
        if name not in copies:
            instance.execute(f"ATTACH '{quoted}' AS {name} (READ_ONLY)")
            copies.append(name)
            while len(copies) > _KEPT_VERSIONS:
                instance.execute(f"DETACH {copies.pop(0)}")
        return instance, name


_SERVING_PATH = str(SERVING_DIR / "ioc.duckdb")  # as Superset's database URI names it


@event.listens_for(DuckDBDialect, "do_connect")  # on Engine, SQLAlchemy 1.4 never calls it
def connect_to_serving_instance(
    _dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]
) -> Any:
    """A connection to the newest copy in the process's instance (other files: as usual)."""
    database = cparams.get("database")
    if not database:
        return None
    if database != _SERVING_PATH and Path(database).resolve() != Path(_SERVING_PATH).resolve():
        return None
    instance, name = _serving_copy()
    cursor = instance.cursor()
    cursor.execute(f"USE {name}")
    return _ServingConnection(cursor)


# Statements that reach files or other databases, refused before DuckDB sees them (its spill
# folder stays open to it, and so would be to an ATTACH or COPY there).
_REFUSED_STATEMENTS = {
    duckdb.StatementType.ATTACH,
    duckdb.StatementType.DETACH,
    duckdb.StatementType.COPY,
    duckdb.StatementType.COPY_DATABASE,
    duckdb.StatementType.EXPORT,
    duckdb.StatementType.LOAD,  # INSTALL and LOAD of extensions
}


class _ServingCursor(CursorWrapper):
    def execute(self, statement: str, parameters: Any = None, context: Any = None) -> None:
        for parsed in duckdb.extract_statements(statement):
            if parsed.type in _REFUSED_STATEMENTS:
                kind = parsed.type.name.replace("_", " ")
                raise duckdb.PermissionException(
                    f"Câu lệnh {kind} không được phép: chỉ đọc được CSDL phục vụ"
                )
        super().execute(statement, parameters, context)


class _ServingConnection(ConnectionWrapper):
    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        super().__init__(connection)
        self._duckdb = connection

    def cursor(self) -> CursorWrapper:
        return _ServingCursor(self._duckdb, self)


# duckdb-engine's dialect (made anew with each query's engine) asked a DuckDB instance for its
# reserved keywords each time: ~5 ms and a tenth of a chart's time under load. Asked once.
_RESERVED_WORDS = frozenset(PGIdentifierPreparer.reserved_words) | {
    keyword
    for (keyword,) in duckdb.connect(":memory:")
    .execute("SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category = 'reserved'")
    .fetchall()
}


def _preparer_with_known_keywords(self: Any, dialect: Any, **kwargs: Any) -> None:
    PGIdentifierPreparer.__init__(self, dialect, **kwargs)
    self.reserved_words = _RESERVED_WORDS


DuckDBIdentifierPreparer.__init__ = _preparer_with_known_keywords


# --- The leaders' monthly digest (digest/, written by each refresh) -----------------------
# Served to logged-in users from <warehouse>/digest/<YYYY-MM>/; /ban-tin/ opens the newest.
def _digest_blueprint() -> Any:
    from flask import Blueprint, abort, redirect, send_from_directory
    from flask_login import current_user

    digest = Blueprint("ioc_digest", __name__)
    folder = WAREHOUSE_DIR / "digest"

    @digest.route("/ban-tin/")
    def newest() -> Any:
        periods = sorted(p.name for p in folder.glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]"))
        if not current_user.is_authenticated or not periods:
            abort(404)
        return redirect(f"/ban-tin/{periods[-1]}/ban_tin.html")

    @digest.route("/ban-tin/<period>/<name>")
    def page(period: str, name: str) -> Any:
        if not current_user.is_authenticated or name not in ("ban_tin.html", "ban_tin.pdf"):
            abort(404)
        return send_from_directory(folder / period, name)  # refuses paths leaving it

    return digest


# --- Great Expectations Data Docs (expectations/data_docs.py, rebuilt by each validation) ---
# Served to logged-in users from <warehouse>/dq/data_docs/ at /kiem-tra-du-lieu/, linked from
# the stewards' dashboard. Every file they load is in that folder (vendored, no CDN); their
# pages run inline scripts (GE's tables), allowed on these pages only, and nothing else.
DATA_DOCS_CSP = {
    "base-uri": ["'self'"],
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": "'none'",
    "style-src": ["'self'", "'unsafe-inline'"],
    "font-src": ["'self'", "data:"],
    "script-src": ["'self'", "'unsafe-inline'"],
}


def _data_docs_blueprint() -> Any:
    from flask import Blueprint, abort, redirect, send_from_directory
    from flask_login import current_user

    docs = Blueprint("ioc_data_docs", __name__)
    folder = WAREHOUSE_DIR / "dq" / "data_docs"

    @docs.route("/kiem-tra-du-lieu/")
    def index() -> Any:
        if not current_user.is_authenticated:
            abort(404)
        return redirect("/kiem-tra-du-lieu/index.html")

    @docs.route("/kiem-tra-du-lieu/<path:name>")
    def page(name: str) -> Any:
        if not current_user.is_authenticated:
            abort(404)
        return send_from_directory(folder, name)  # refuses paths leaving it

    for view in (index, page):  # read by Talisman for these views' responses
        view.talisman_view_options = {  # type: ignore[attr-defined]
            "content_security_policy": DATA_DOCS_CSP,
            "content_security_policy_nonce_in": [],  # a nonce would disable unsafe-inline
        }
    return docs


BLUEPRINTS = [_digest_blueprint(), _data_docs_blueprint()]
