"""Writing generated rows in bulk: COPY on PostgreSQL, one `executemany` per batch elsewhere.

Rows are dicts keyed by the model's attribute names (`region_id`, not `region`); a missing key takes the
field's default, and an `auto_now`/`auto_now_add` column the time of the run. Primary keys are given by
the generator (`Loader.ids`), so children name their parents without reading anything back, and each
batch is its own transaction (Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: one transaction
of a million rows would spend minutes checking them at COMMIT). A sink's children are written right after
the sink's own batch, so a child never reaches the database before its parent. Sequences are set past
the generated keys at the end (`finish`).
"""

import io
import json
import time
from collections import Counter
from datetime import date, datetime
from decimal import Decimal

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Max
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone

DEFAULT_BATCH = 20_000


def _escape(value):
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        return str(value)
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


class Sink:
    """Rows of one model on their way to the database, in batches; `children` follow each batch."""

    def __init__(self, loader, model):
        self.loader, self.model = loader, model
        self.rows, self.children = [], []

    def add(self, row):
        self.rows.append(row)
        if len(self.rows) >= self.loader.batch_size and self.loader.owner_of(self) is None:
            self.flush()

    def child(self, model):
        sink = self.loader.sink(model, parent=self)
        self.children.append(sink)
        return sink

    def flush(self):
        if self.rows:
            self.loader.insert(self.model, self.rows)
            self.rows = []
        for child in self.children:
            child.flush()

    close = flush


class Loader:
    def __init__(self, *, batch_size=DEFAULT_BATCH, using=DEFAULT_DB_ALIAS):
        self.connection = connections[using]
        self.using = using
        self.copy = self.connection.vendor == "postgresql"
        self.batch_size = batch_size
        self.written = Counter()
        self.models = []
        self._next = {}
        self._parents = {}
        self._specs = {}
        self.now = timezone.now()

    # -- keys

    def ids(self, model, count):
        """`count` fresh primary keys of `model`, after every key in its table (one query per model)."""
        if model not in self._next:
            highest = model._default_manager.using(self.using).aggregate(highest=Max("pk"))["highest"] or 0
            self._next[model] = highest + 1
        start = self._next[model]
        self._next[model] += count
        return range(start, start + count)

    def new_id(self, model):
        return self.ids(model, 1)[0]

    # -- sinks

    def sink(self, model, *, parent=None):
        sink = Sink(self, model)
        self._parents[id(sink)] = parent
        return sink

    def owner_of(self, sink):
        return self._parents.get(id(sink))

    def write(self, model, rows):
        """Write an iterable of rows of one model, batch by batch."""
        sink = self.sink(model)
        for row in rows:
            sink.add(row)
        sink.close()

    # -- the database

    def _spec(self, model):
        if model not in self._specs:
            columns = []
            for field in model._meta.concrete_fields:
                if field.has_default():
                    default = field.get_default()
                elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    default = self.now
                elif field.null or field.primary_key:
                    default = None
                elif field.blank and field.empty_strings_allowed:
                    default = ""
                else:
                    default = NOT_PROVIDED
                columns.append((field, field.attname, default))
            self._specs[model] = columns
            if model not in self.models:
                self.models.append(model)
        return self._specs[model]

    def insert(self, model, rows):
        spec = self._spec(model)
        missing = [name for _field, name, default in spec if default is NOT_PROVIDED and name not in rows[0]]
        if missing:
            raise ValueError(f"{model._meta.label}: no value for {', '.join(missing)}")
        table = self.connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(self.connection.ops.quote_name(field.column) for field, _name, _default in spec)
        if self.copy:
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join([_escape(row.get(name, default)) for _field, name, default in spec]))
                buffer.write("\n")
            buffer.seek(0)
            self.connection.ensure_connection()
            with self.connection.cursor() as cursor:
                # One COPY in autocommit mode: its own transaction, its deferred checks done at its end.
                cursor.cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", buffer)
        else:
            connection = self.connection
            params = [
                [field.get_db_prep_save(row.get(name, default), connection) for field, name, default in spec] for row in rows
            ]
            placeholders = ", ".join(["%s"] * len(spec))
            with transaction.atomic(using=self.using), connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", params)
        self.written[model] += len(rows)

    def analyze(self, models=None):
        """Refresh PostgreSQL's statistics of the tables written (all by default), so later statements are planned
        for their real sizes; nothing elsewhere, nor inside a transaction (tests)."""
        if not self.copy or self.connection.in_atomic_block:
            return
        with self.connection.cursor() as cursor:
            for model in models or self.models:
                cursor.execute(f"ANALYZE {self.connection.ops.quote_name(model._meta.db_table)}")

    def finish(self):
        """Move every sequence past the keys the generator chose, and refresh the planner's statistics."""
        statements = self.connection.ops.sequence_reset_sql(no_style(), self.models)
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        self.analyze()


class Step:
    """One domain's progress line: what it wrote and how long it took."""

    def __init__(self, loader, out, label):
        self.loader, self.out, self.label = loader, out, label

    def __enter__(self):
        self.before = Counter(self.loader.written)
        self.started = time.monotonic()
        return self

    def __exit__(self, kind, value, traceback):
        if kind is not None:
            return False
        seconds = time.monotonic() - self.started
        counts = [
            (model._meta.db_table.split("_", 1)[-1], count)
            for model, count in ((model, self.loader.written[model] - self.before[model]) for model in self.loader.written)
            if count
        ]
        total = sum(count for _name, count in counts)
        details = ", ".join(f"{count:,} {name}" for name, count in counts)
        self.out(f"{self.label:<12} {total:>10,} rows {seconds:7.1f} s  ({details})")
        return False
