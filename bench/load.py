"""The load test: simulated officials of every kind against a real server over HTTP, for a fixed time.

Each simulated user is a thread with its own connection and session cookie. It logs in through the login
form (with its CSRF token), then, once every user is in, requests its kind's pages of `bench.pages` in a
shuffled round after round, with no think time unless asked. A cadre ends each round by logging a visit
through the visit form: it GETs the form, fills what a browser would send (the form's own defaults, one of the
enterprises the form offers, a unique marker in "purpose"), POSTs it as multipart and follows the redirect to
the visit. Afterwards every marker posted is looked up in the database, so a lost write is seen.

The visits written stay: they are ordinary submitted visits (which moved their liaisons' due dates, as any
visit does) whose purpose starts with `loadtest <run id> `, the prefix that finds them; the report says how
many there are. Deleting them afterwards would leave those due dates: the load test is for a database
of generated data only (its users are the generated `scale_…` officials) and leaves its visits in place.

By default the server is gunicorn, started here on a free loopback port with the environment of this process
plus what a production-like run needs (`server_env`), against the database this process is connected to.
"""

import http.client
import math
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from itertools import chain
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.demo import DEFAULT_PASSWORD
from accounts.models import User
from accounts.roles import Role
from enterprises.models import Enterprise, LiaisonAssignment
from visits.models import Visit

from .pages import PAGES
from .run import PREFIX, BenchError, _database, _url, enterprise_objects, page_objects, pick_users

# The kinds of simulated users in the order they are handed out: half are cadres, and the first six
# already hold a cadre, county staff, a handler and a reviewer.
ROTATION = (
    "cadre",
    "county staff",
    "cadre",
    "handler",
    "cadre",
    "reviewer",
    "cadre",
    "city staff",
    "cadre",
    "province staff",
)
MARKER = "loadtest"
TIMEOUT = 60  # seconds a request may take before it counts as an error
LOGIN, LOGIN_FORM, VISIT_FORM, VISIT_POST, VISIT_DETAIL = "login", "login form", "visit form", "visit post", "visit detail"
# Issue 13's target for a 2-core machine; reported, never asserted.
TARGET_RPS, TARGET_P95_MS = 150, 250


class LoadError(Exception):
    """The load test cannot run (no data, no server, a refused login): the message says why."""


# --- The server ----------------------------------------------------------------------------------------


def database_url(settings_dict):
    """The DATABASE_URL naming the database of `settings_dict` (a connection's), for a server process."""
    engine, name = settings_dict["ENGINE"], str(settings_dict["NAME"])
    if engine.endswith("sqlite3"):
        if name == ":memory:" or "mode=memory" in name:
            raise LoadError(
                "The database is an in-memory SQLite one, which a server process cannot share: "
                "use PostgreSQL or a SQLite file (DATABASE_URL)."
            )
        return f"sqlite:///{name}"
    if "postgresql" not in engine:
        raise LoadError(f"The load test starts servers on PostgreSQL or SQLite only, not {engine}.")
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or ""
    host = quote(host, safe="") if host.startswith("/") else host
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    options = {key: value for key, value in (settings_dict.get("OPTIONS") or {}).items() if isinstance(value, str | int)}
    query = f"?{urlencode(options)}" if options else ""
    return f"postgres://{credentials}{host}{port}/{quote(name, safe='')}{query}"


def server_env(base=None, *, database):
    """This process's environment, plus what a production-like server on loopback HTTP needs.

    DEBUG off (Django then keeps no query log); a throwaway SECRET_KEY unless one is set; loopback hosts
    allowed; cookies not marked Secure (plain HTTP); static files named without the manifest unless a
    storage is set (the manifest needs `collectstatic`; the load test requests pages, not static files).
    """
    env = dict(os.environ if base is None else base)
    env.update(
        DATABASE_URL=database,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        PYTHONUNBUFFERED="1",
    )
    if not env.get("SECRET_KEY"):
        env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env.setdefault("STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
    return env


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn on a free loopback port, as a context manager that always stops it (TERM, then KILL)."""

    def __init__(self, *, workers, env, log_path, start_timeout=90):
        self.workers, self.env, self.log_path, self.start_timeout = workers, env, Path(log_path), start_timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = self._previous_handler = None

    def __enter__(self):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "liaison.wsgi",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            str(TIMEOUT),
            "--graceful-timeout",
            "10",
            "--no-control-socket",  # no socket shared with another gunicorn on this machine
        ]
        if threading.current_thread() is threading.main_thread():
            # A TERM to this process unwinds it like Ctrl-C does, so that gunicorn is stopped on the way out.
            self._previous_handler = signal.signal(signal.SIGTERM, _exit_on_term)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def _wait_ready(self):
        deadline = time.monotonic() + self.start_timeout
        path = reverse("login")
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LoadError(f"gunicorn exited with {self.process.returncode} while starting:\n{self.log_tail()}")
            try:
                status = Browser(self.url).get(path).status
            except OSError:
                time.sleep(0.2)
                continue
            if status == 200:
                return
            raise LoadError(f"gunicorn answered {status} for the login page:\n{self.log_tail()}")
        raise LoadError(f"gunicorn did not answer within {self.start_timeout} s:\n{self.log_tail()}")

    def stop(self):
        if self._previous_handler is not None:
            signal.signal(signal.SIGTERM, self._previous_handler)
            self._previous_handler = None
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # graceful: the workers finish their request and exit
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # its own session: the master and its workers
            self.process.wait()

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def cpu_seconds(self):
        """CPU time of the master and its workers so far (Linux /proc), or None."""
        if self.process is None:
            return None
        master = self.process.pid
        return _cpu_of(lambda pid, ppid, comm: master in (pid, ppid))


def _exit_on_term(signum, frame):
    raise SystemExit(128 + signum)


def _cpu_of(wanted):
    """User + system CPU seconds of the processes for which `wanted(pid, ppid, comm)` holds (Linux /proc), or None."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat") as stat:
                    head, tail = stat.read().rsplit(")", 1)
                fields = tail.split()
                if wanted(int(entry.name), int(fields[1]), head.split("(", 1)[1]):
                    total += int(fields[11]) + int(fields[12])
            except OSError:
                continue  # ended meanwhile
        return total / ticks
    except (OSError, ValueError, IndexError):
        return None


def database_cpu():
    """CPU seconds so far of the PostgreSQL backends serving this process's database, when it runs on this
    machine (their command line names the database), else None."""
    settings_dict = connection.settings_dict
    if connection.vendor != "postgresql" or (settings_dict.get("HOST") or "localhost") not in ("localhost", "127.0.0.1", "::1"):
        return None
    needle = f" {settings_dict['NAME']} "

    def backend(pid, ppid, comm):
        if comm != "postgres":
            return False
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return needle in cmdline.read().replace(b"\0", b" ").decode(errors="replace")

    return _cpu_of(backend)


def _machine_cpu():
    """(busy, total) jiffies of the whole machine (Linux /proc/stat), or None."""
    try:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    total = sum(values[:8])
    return total - idle, total


def _busy(before, after):
    """The share of the machine's CPU time that was busy between two `_machine_cpu` readings."""
    if before and after and after[1] > before[1]:
        return (after[0] - before[0]) / (after[1] - before[1])
    return None


def _busy_over(seconds):
    before = _machine_cpu()
    time.sleep(seconds)
    return _busy(before, _machine_cpu())


def cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count()


# --- The client ----------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    location: str
    body: bytes

    def text(self):
        return self.body.decode("utf-8", errors="replace")


class Browser:
    """One user's HTTP client: a connection of its own (reopened when the server closes it) and a cookie jar.

    Cookies are kept by name whatever their Secure flag: the server is on loopback HTTP.
    """

    def __init__(self, base_url):
        parts = urlsplit(base_url)
        factory = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        self.connection = factory(parts.hostname, parts.port, timeout=TIMEOUT)
        self.prefix = parts.path.rstrip("/")
        self.cookies = {}

    def get(self, path):
        return self.request("GET", path)

    def request(self, method, path, body=None, content_type=None):
        headers = {"User-Agent": "liaison-loadtest"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        try:
            target = quote(self.prefix + path, safe="/?&=%:;,+@!$'()*~")  # a search term percent-encoded, as a browser does
            self.connection.request(method, target, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except Exception:
            self.connection.close()  # a fresh connection for the next request
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.will_close:
            self.connection.close()
        location = urlsplit(response.headers.get("Location", "")).path
        return Response(response.status, location, data)

    def close(self):
        self.connection.close()


class FormFields(HTMLParser):
    """What a browser would send from the page's POST form to `path` (the first whose action is `path` or the
    page itself: base.html has a language form too), before the user changes anything.

    `fields` holds (name, value) pairs: inputs (checked ones only for radios and checkboxes; no files or
    buttons), each select's selected options (else a single select's first), textareas. `options` holds each
    select's option values; `buttons` each submit button's values by name.
    """

    def __init__(self, html, path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.fields, self.options, self.buttons = [], {}, defaultdict(list)
        self._state = "before"  # before, in, after the form
        self._select = self._textarea = None
        self._selected, self._multiple, self._text = [], False, []
        self.feed(html)
        self.close()

    def value(self, name, default=""):
        return next((value for key, value in self.fields if key == name), default)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and self._state == "before" and (attributes.get("method") or "").lower() == "post":
            if urlsplit(attributes.get("action") or "").path in ("", self.path):
                self._state = "in"
        if self._state != "in":
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in ("submit", "image"):
                self.buttons[name].append(attributes.get("value") or "")
            elif kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value") or "on"))
            elif kind not in ("file", "button", "reset"):
                self.fields.append((name, attributes.get("value") or ""))
        elif tag == "button" and name and (attributes.get("type") or "submit").lower() == "submit":
            self.buttons[name].append(attributes.get("value") or "")
        elif tag == "select" and name:
            self._select, self._multiple, self._selected = name, "multiple" in attributes, []
            self.options[name] = []
        elif tag == "option" and self._select:
            value = attributes.get("value") or ""
            self.options[self._select].append(value)
            if "selected" in attributes:
                self._selected.append(value)
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if self._state != "in":
            return
        if tag == "form":
            self._state = "after"
        elif tag == "select" and self._select:
            chosen = self._selected or ([] if self._multiple else self.options[self._select][:1])
            self.fields += [(self._select, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def multipart(fields):
    """(body, content type) of a multipart/form-data request, as the visit form's enctype asks."""
    boundary = f"----loadtest{uuid.uuid4().hex}"
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n')
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode("utf-8"), f"multipart/form-data; boundary={boundary}"


def _form_errors(html):
    """The error messages of a re-rendered form (crispy's invalid-feedback and the alert), for the report."""
    found = re.findall(r'class="invalid-feedback"[^>]*>\s*<strong>(.*?)</strong>', html, re.S)
    found += re.findall(r'class="alert alert-danger"[^>]*>(.*?)</div>', html, re.S)
    return "; ".join(" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in found)[:200] or "no message shown"


# --- The simulated users -------------------------------------------------------------------------------


@dataclass
class Record:
    page: str
    path: str
    started: float
    seconds: float
    status: int = 0
    error: str = ""


@dataclass
class Plan:
    kind: str
    official: User
    enterprises: list  # (id, name) of the enterprises its pages open (a cadre's own), at least one
    objects: dict  # what the pages' URLs name besides the enterprise (bench.pages)
    pages: list  # its kind's pages whose URL exists and names only objects the load test picks

    def url(self, page, enterprise):
        pk, name = enterprise
        return _url(page, {**self.objects, **enterprise_objects(pk, name)})


def plan_users(count):
    """`count` simulated users by ROTATION: distinct cadres with a current liaison list (the benchmark's first,
    then its county's, then the rest), one official each for the other kinds (bench.run.pick_users).

    Returns (plans, skipped): the pages left out, as bench.run skips them, and those whose URL names an
    object this module does not pick (bench.pages grew one): each a line of the report.
    """
    try:
        county, officials = pick_users()
    except BenchError as error:
        raise LoadError(str(error)) from error
    busiest = Enterprise.objects.filter(region=county).annotate(n=Count("visits")).order_by("-n", "pk").first()
    current = LiaisonAssignment.objects.current()
    liaising = User.objects.filter(
        username__startswith=PREFIX, is_active=True, groups__name=Role.CADRE, pk__in=current.values("official_id")
    )
    first = [officials["cadre"]] if liaising.filter(pk=officials["cadre"].pk).exists() else []
    others = chain(liaising.filter(region=county).order_by("username"), liaising.exclude(region=county).order_by("username"))
    cadres = first + [cadre for cadre in others if cadre.pk not in {c.pk for c in first}]
    if not cadres:
        raise LoadError(f"No generated ({PREFIX}…) cadre has a current liaison list: there is no visit to log.")
    wanted = [ROTATION[index % len(ROTATION)] for index in range(count)]
    cadres = cadres[: wanted.count("cadre")]
    own = defaultdict(list)
    rows = current.filter(official__in=cadres).values_list("official_id", "enterprise_id", "enterprise__name")
    for official_id, enterprise_id, name in rows.order_by("enterprise_id"):
        own[official_id].append((enterprise_id, name))
    objects = page_objects(county, busiest)
    plans, skipped, used = [], {}, 0
    for kind in wanted:
        if kind == "cadre":
            official = cadres[used % len(cadres)]  # fewer cadres than cadre users: some log in twice
            used += 1
            enterprises = own[official.pk]
        else:
            official, enterprises = officials[kind], [(busiest.pk, busiest.name)]
        plan = Plan(kind, official, enterprises, {**objects, "region": official.region_id}, [])
        for page in PAGES[kind]:
            try:
                url = plan.url(page, enterprises[0])
            except KeyError as error:
                skipped[(kind, page.label)] = f"{kind} / {page.label}: names {error}, which the load test does not pick"
                continue
            if url is None:
                skipped[(kind, page.label)] = f"{kind} / {page.label}: no URL named {page.url_name}"
                continue
            plan.pages.append(page)
        plans.append(plan)
    return plans, list(skipped.values())


class SimulatedUser(threading.Thread):
    def __init__(self, index, plan, *, base_url, password, run_id, clock, think, seed):
        super().__init__(name=f"loadtest-{index}", daemon=True)
        self.index, self.plan, self.password, self.run_id = index, plan, password, run_id
        self.clock, self.think = clock, think
        self.random = random.Random(seed * 1000 + index)
        self.browser = Browser(base_url)
        self.records, self.visits = [], {}  # visits: marker -> the pk the server redirected to
        self.attempts = 0
        self.logged_in = False

    # Each request is timed and recorded; `check` says what is wrong with an answer, or "".
    def _request(self, page, method, path, body=None, content_type=None, check=None):
        started = time.perf_counter()
        record = Record(page, path, started, 0.0)
        response = None
        try:
            response = self.browser.request(method, path, body, content_type)
        except Exception as error:  # any failure of the exchange is an error of the run
            record.error = f"{type(error).__name__}: {error}"[:200]
        record.seconds = time.perf_counter() - started
        if response is not None:
            record.status = response.status
            record.error = check(response) if check else _page_error(response)
        self.records.append(record)
        return response if not record.error else None

    def login(self):
        """The login form as a person fills it; True when the server let this user in."""
        page = self._request(LOGIN_FORM, "GET", reverse("login"))
        if page is None:
            return False
        fields = FormFields(page.text(), reverse("login"))
        sent = [(name, value) for name, value in fields.fields if name not in ("username", "password")]
        sent += [("username", self.plan.official.username), ("password", self.password)]

        def check(response):
            if response.status == 302 and response.location != reverse("login"):
                return ""
            return f"login refused for {self.plan.official.username} ({response.status}): {_form_errors(response.text())}"

        body = urlencode(sent).encode()
        self.logged_in = (
            self._request(LOGIN, "POST", reverse("login"), body, "application/x-www-form-urlencoded", check) is not None
        )
        return self.logged_in

    def run(self):
        try:
            if not self.logged_in:
                try:
                    self.login()
                except Exception as error:  # a fault of the client: recorded, and the others still start
                    self._fault(LOGIN, error)
            self.clock.wait()
            if self.logged_in:
                for action in self._actions():
                    if time.perf_counter() >= self.clock.deadline:
                        break
                    try:
                        action()
                    except Exception as error:  # a fault of the client: recorded, so the run fails visibly
                        self._fault("client", error)
                    if self.think:
                        time.sleep(self.random.uniform(0, 2 * self.think))
        finally:
            self.browser.close()

    def _fault(self, page, error):
        self.records.append(Record(page, "", time.perf_counter(), 0.0, 0, f"client fault {type(error).__name__}: {error}"))

    def _actions(self):
        while True:
            order = list(self.plan.pages)
            self.random.shuffle(order)
            for page in order:
                yield lambda page=page: self._page(page)
            if self.plan.kind == "cadre":
                yield self._log_visit

    def _page(self, page):
        self._request(page.label, "GET", self.plan.url(page, self.random.choice(self.plan.enterprises)))

    def _log_visit(self):
        form = self._request(VISIT_FORM, "GET", reverse("visits:create"))
        if form is None:
            return
        fields = FormFields(form.text(), reverse("visits:create"))
        enterprises = [value for value in fields.options.get("enterprise", []) if value]
        if not enterprises:
            self.records.append(
                Record(VISIT_POST, reverse("visits:create"), time.perf_counter(), 0.0, 200, "no enterprise offered")
            )
            return
        self.attempts += 1  # numbered per attempt: a POST that failed yet wrote keeps its own marker
        marker = f"{MARKER} {self.run_id} u{self.index:02d}-{self.attempts:04d}"
        chosen = {
            "enterprise": self.random.choice(enterprises),
            "purpose": marker,
            "situation": "Production normal; orders steady this quarter.",
            "people_met": "General manager",
        }
        sent = [(name, value) for name, value in fields.fields if name not in chosen]
        sent += list(chosen.items())
        sent.append(("action", "submit" if "submit" in fields.buttons.get("action", []) else "draft"))
        body, content_type = multipart(sent)

        def check(response):
            if response.status == 302 and re.fullmatch(r".*/\d+/", response.location):
                return ""
            detail = _form_errors(response.text()) if response.status == 200 else ""
            return f"visit not saved ({response.status}) {detail}".strip()

        posted = self._request(VISIT_POST, "POST", reverse("visits:create"), body, content_type, check)
        if posted is None:
            return
        self.visits[marker] = int(posted.location.rstrip("/").rsplit("/", 1)[1])
        self._request(VISIT_DETAIL, "GET", posted.location)


def _page_error(response):
    if response.status >= 400:
        return f"answered {response.status}"
    if 300 <= response.status < 400 and response.location == reverse("login"):
        return "sent to the login page"
    return ""


class Clock:
    """All users start together once every one has logged in; the run lasts `duration` from then."""

    def __init__(self, parties, duration):
        self.duration, self.started, self.deadline = duration, None, None
        self.barrier = threading.Barrier(parties, action=self._start)

    def _start(self):
        self.started = time.perf_counter()
        self.deadline = self.started + self.duration

    def wait(self):
        try:
            self.barrier.wait(timeout=TIMEOUT * 5)
        except threading.BrokenBarrierError:
            pass


# --- The run and its report ----------------------------------------------------------------------------


def percentile(ordered, q):
    """Nearest-rank percentile of sorted values (the same rule as the benchmark's p95)."""
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass
class Row:
    page: str
    times: list
    errors: int

    def ms(self, q):
        return percentile(self.times, q) * 1000


@dataclass
class Report:
    base_url: str
    server: str
    plans: list
    duration: float
    elapsed: float
    think: float
    run_id: str
    rows: list  # Row per page, then "all"
    login: Row
    errors: list  # (count, page, error, example path)
    posted: dict  # marker -> pk
    found: dict  # marker -> pk
    extra: int  # visits with the run's marker the client did not see confirmed
    client_cpu: float
    server_cpu: float | None
    database_cpu: float | None
    machine_busy: float | None
    busy_before: float | None  # the machine's load by other work, over a second before the run
    skipped: list  # pages left out, with the reason
    header: list = field(default_factory=list)

    @property
    def total(self):
        return self.rows[-1]

    @property
    def throughput(self):
        return len(self.total.times) / self.elapsed if self.elapsed else 0.0

    @property
    def lost(self):
        return sorted(marker for marker, pk in self.posted.items() if self.found.get(marker) != pk)

    @property
    def error_count(self):
        return sum(count for count, *_ in self.errors)

    @property
    def failed(self):
        return bool(self.error_count or self.lost)


def run(*, base_url, users, duration, think=0.0, seed=2026, server="", server_cpu=None, progress=None):
    """Run `users` simulated users against `base_url` for `duration` seconds; returns the Report.

    `server_cpu` is a callable giving the server's CPU seconds so far (a started Server's), if known.
    """
    plans, skipped = plan_users(users)
    busy_before = _busy_over(1.0)
    password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
    run_id = f"{timezone.localtime():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    clock = Clock(len(plans), duration)
    threads = [
        SimulatedUser(index, plan, base_url=base_url, password=password, run_id=run_id, clock=clock, think=think, seed=seed)
        for index, plan in enumerate(plans, start=1)
    ]
    # One login first, alone: a wrong password stops here, one failure short of django-axes' lockout.
    if not threads[0].login():
        raise LoadError(f"The login as {plans[0].official.username} failed: {threads[0].records[-1].error}")
    if progress:
        progress(f"logged in as {plans[0].official.username}; logging in {len(plans) - 1} more and starting the clock")
    for thread in threads:
        thread.start()
    while clock.started is None and any(thread.is_alive() for thread in threads):
        time.sleep(0.01)
    cpu_before, machine_before = time.process_time(), _machine_cpu()
    server_before = server_cpu() if server_cpu else None
    database_before = database_cpu()
    if progress:
        progress(f"{len(plans)} users running for {duration} s")
    for thread in threads:
        thread.join()
    if clock.started is None:
        raise LoadError("The users did not all log in within the time allowed; nothing was measured.")
    elapsed = time.perf_counter() - clock.started
    client_cpu = time.process_time() - cpu_before
    machine_after = _machine_cpu()
    server_after = server_cpu() if server_cpu else None
    database_after = database_cpu()

    records = [record for thread in threads for record in thread.records]
    measured = [record for record in records if record.page not in (LOGIN, LOGIN_FORM)]
    logins = [record for record in records if record.page in (LOGIN, LOGIN_FORM)]
    posted = {marker: pk for thread in threads for marker, pk in thread.visits.items()}
    marked = dict(Visit.objects.filter(purpose__startswith=f"{MARKER} {run_id} ").values_list("purpose", "pk").order_by("pk"))
    busy = _busy(machine_before, machine_after)
    return Report(
        base_url=base_url,
        server=server,
        plans=plans,
        duration=duration,
        elapsed=elapsed,
        think=think,
        run_id=run_id,
        rows=_rows(measured),
        login=_row(LOGIN, [r for r in logins if r.page == LOGIN]),
        errors=_errors(records),
        posted=posted,
        found={marker: pk for marker, pk in marked.items() if marker in posted},
        extra=len(set(marked) - set(posted)),
        client_cpu=client_cpu,
        server_cpu=_spent(server_before, server_after),
        database_cpu=_spent(database_before, database_after),
        machine_busy=busy,
        busy_before=busy_before,
        skipped=skipped,
        header=[
            f"date {timezone.localtime():%Y-%m-%d %H:%M %Z}, {cores()} cores, database {_database()}",
        ],
    )


def _spent(before, after):
    return after - before if before is not None and after is not None else None


def _row(page, records):
    return Row(page, sorted(record.seconds for record in records), sum(1 for record in records if record.error))


def _rows(records):
    by_page = defaultdict(list)
    for record in records:
        by_page[record.page].append(record)
    rows = [_row(page, group) for page, group in by_page.items()]
    rows.sort(key=lambda row: (-len(row.times), row.page))
    return [*rows, _row("all", records)]


def _errors(records):
    counts, examples = Counter(), {}
    for record in records:
        if record.error:
            key = (record.page, record.error)
            counts[key] += 1
            examples.setdefault(key, record.path)
    return [(count, page, error, examples[(page, error)]) for (page, error), count in counts.most_common()]


def table(report):
    kinds = Counter(plan.kind for plan in report.plans)
    who = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
    cadres = len({plan.official.pk for plan in report.plans if plan.kind == "cadre"})
    lines = [
        f"Load test of {report.base_url} ({report.server})",
        *report.header,
        f"{len(report.plans)} users ({who}; {cadres} distinct cadres) for {report.duration:g} s "
        f"({report.elapsed:.1f} s measured), think time {report.think:g} s; run {report.run_id}",
    ]
    requests = max(1, len(report.total.times))
    cpu = (
        f"CPU: client ({len(report.plans)} threads) {report.client_cpu / report.elapsed * 100:.0f}% of one core, "
        f"{report.client_cpu / requests * 1000:.1f} ms a request"
    )
    if report.server_cpu is not None:
        share, each = report.server_cpu / report.elapsed * 100, report.server_cpu / requests * 1000
        cpu += f"; gunicorn {share:.0f}% of one core, {each:.1f} ms a request"
    if report.database_cpu is not None:
        share, each = report.database_cpu / report.elapsed * 100, report.database_cpu / requests * 1000
        cpu += f"; PostgreSQL {share:.0f}% of one core, {each:.1f} ms a request"
    if report.machine_busy is not None:
        cpu += f"; the machine {report.machine_busy * 100:.0f}% busy over its {cores()} cores"
    if report.busy_before is not None:
        cpu += f" ({report.busy_before * 100:.0f}% busy with other work the second before)"
    lines += [cpu, "times in ms; req/s over the measured time; logins happen before the clock starts", ""]
    columns = f"{'page':<28} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}"
    lines += [columns, "-" * len(columns)]
    for row in [*report.rows[:-1], None, report.rows[-1], report.login]:
        if row is None:
            lines.append("-" * len(columns))
            continue
        rate = len(row.times) / report.elapsed if report.elapsed and row is not report.login else 0.0
        lines.append(
            f"{row.page:<28} {len(row.times):>8} {row.errors:>6} {rate:>7.1f} "
            f"{row.ms(50):>7.1f} {row.ms(95):>7.1f} {row.ms(99):>7.1f} {row.ms(100):>7.1f}"
        )
    lost = report.lost
    lines += [
        "",
        f"Visits: {len(report.posted)} posted, {len(report.found)} found in the database by their marker, {len(lost)} lost.",
        f"They stay in the database: submitted visits whose purpose starts with '{MARKER} {report.run_id} '.",
    ]
    if report.extra:
        lines.append(f"{report.extra} more visit(s) carry the run's marker without a confirmed answer (a failed request).")
    if lost:
        lines.append("Lost: " + ", ".join(lost[:10]) + (" …" if len(lost) > 10 else ""))
    if report.skipped:
        lines += ["", "Pages skipped:", *(f"  {line}" for line in report.skipped)]
    if report.errors:
        lines += ["", f"Errors: {report.error_count}"]
        for count, page, error, path in report.errors[:10]:
            lines.append(f"  {count} × {page} ({path}): {error}")
    else:
        lines += ["", "Errors: none."]
    p95 = report.total.ms(95)
    met = report.throughput >= TARGET_RPS and p95 < TARGET_P95_MS and not report.failed
    lines += [
        "",
        f"Overall: {report.throughput:.1f} requests/s, p95 {p95:.1f} ms. Target (issue 13, 2 cores): at least "
        f"{TARGET_RPS} requests/s at p95 under {TARGET_P95_MS} ms, no error, no lost write: {'met' if met else 'not met'}.",
    ]
    return "\n".join(lines) + "\n"


def database_of_this_process():
    """The DATABASE_URL of the database this process is connected to (what the checks read)."""
    return database_url(connection.settings_dict)
