"""Common problems (共性问题): open problems of one region and category that several enterprises describe alike.

    groups = common_problems(Problem.objects.visible_to(user).filter(region=...), min_size=3)

Problems are compared only within the same enterprise region and category. Two problems are alike
when their descriptions' similarity reaches `threshold`; a group is a connected set of alike problems
(if A is like B and B like C, all three are one group) raised by at least `min_size` enterprises.

On PostgreSQL the similarity is pg_trgm's trigram similarity, computed in the database in one grouped query
(a join of the examined problems with themselves within region and category; migration 0003 enables the
extension), never one subquery per problem. Elsewhere (SQLite) it is the overlap (Jaccard) of the
normalised descriptions' character pairs, computed in Python: close enough for Chinese text, which
has no spaces to split words on. Either way at most `MAX_EXAMINED` problems, the most recent, are read.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection

from ..models import Category, Problem

MAX_EXAMINED = 2000
TRIGRAM_THRESHOLD = 0.3
BIGRAM_THRESHOLD = 0.3

_NOISE = re.compile(r"[\W_]+", re.UNICODE)


# A group lists its most recent problems; the rest are counted ("and 240 more").
MEMBERS_SHOWN = 10


@dataclass
class CommonGroup:
    """Alike problems: `problem_ids` all of them, most recent first. `show(groups)` fills `shown` (the first
    MEMBERS_SHOWN as problems with their enterprise) and the group's `region` and `category`."""

    region_id: str
    category_id: int
    problem_ids: list
    enterprise_count: int
    shown: list = field(default_factory=list)
    region: object = None
    category: object = None

    @property
    def hidden_count(self):
        return len(self.problem_ids) - len(self.shown)


def normalise(text):
    """Lower case, without punctuation, spaces or digits-only noise."""
    return _NOISE.sub("", (text or "").lower())


def bigrams(text):
    text = normalise(text)
    if len(text) < 2:
        return {text} if text else set()
    return {text[index : index + 2] for index in range(len(text) - 1)}


def bigram_similarity(first, second):
    """Jaccard overlap of two descriptions' character pairs, 0 to 1."""
    a, b = (first if isinstance(first, set) else bigrams(first)), (second if isinstance(second, set) else bigrams(second))
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class _Groups:
    """Union-find over problem ids."""

    def __init__(self, ids):
        self.parent = {pk: pk for pk in ids}

    def find(self, pk):
        while self.parent[pk] != pk:
            self.parent[pk] = self.parent[self.parent[pk]]
            pk = self.parent[pk]
        return pk

    def union(self, first, second):
        first, second = self.find(first), self.find(second)
        if first != second:
            self.parent[max(first, second)] = min(first, second)


def _python_pairs(rows, threshold):
    buckets = defaultdict(list)
    for pk, _enterprise, region_id, category_id, description in rows:
        buckets[region_id, category_id].append((pk, bigrams(description)))
    for members in buckets.values():
        for index, (pk, grams) in enumerate(members):
            for other_pk, other_grams in members[index + 1 :]:
                if bigram_similarity(grams, other_grams) >= threshold:
                    yield pk, other_pk


def _trigram_pairs(ids, threshold):
    """Pairs of alike problems among `ids`, in one grouped query.

    Problems of one region and category with the very same description are alike without comparing them
    (a form text copied from one enterprise to the next is the commonest common problem): the descriptions
    are grouped first, each distinct text compared once with the others of its region and category by
    pg_trgm's similarity, and every problem of a text paired with the first problem of each alike text.
    """
    table = connection.ops.quote_name(Problem._meta.db_table)
    sql = f"""
        WITH texts AS (
            SELECT region_id, category_id, description, array_agg(id ORDER BY id) AS ids
            FROM {table} WHERE id = ANY(%s)
            GROUP BY region_id, category_id, description
        )
        SELECT a.ids, array_remove(array_agg(b.ids[1]), NULL)
        FROM texts a LEFT JOIN texts b
          ON b.region_id = a.region_id AND b.category_id = a.category_id AND b.description > a.description
          AND similarity(a.description, b.description) >= %s
        GROUP BY a.ids
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [ids, threshold])
        for same_text, alike in cursor.fetchall():
            for other in same_text[1:]:
                yield same_text[0], other
            for other in alike:
                yield same_text[0], other


def uses_trigrams():
    return connection.vendor == "postgresql"


def common_problems(queryset, *, min_size=3, threshold=None, limit=MAX_EXAMINED):
    """Groups of alike open problems raised by at least `min_size` enterprises, largest first.

    `queryset` is already fenced (visible_to) and filtered by the caller; only its open problems count.
    Three queries whatever the number of problems: their keys and descriptions (from the partial index
    `problem_open_order`, most recent first), on PostgreSQL their alike pairs, and the categories' order.
    No problem becomes a model instance here: `show` loads those a page shows.
    """
    rows = list(
        queryset.open()
        .order_by("-raised_on", "-pk")
        .values_list("pk", "enterprise_id", "region_id", "category_id", "description")[:limit]
    )
    if not rows:
        return []
    ids = [row[0] for row in rows]
    if uses_trigrams():
        pairs = _trigram_pairs(ids, TRIGRAM_THRESHOLD if threshold is None else threshold)
    else:
        pairs = _python_pairs(rows, BIGRAM_THRESHOLD if threshold is None else threshold)
    groups = _Groups(ids)
    for first, second in pairs:
        groups.union(first, second)
    by_root = defaultdict(list)
    for row in rows:  # most recent first, so each group's members are too
        by_root[groups.find(row[0])].append(row)
    order = dict(Category.objects.values_list("pk", "order"))
    result = [
        CommonGroup(
            region_id=members[0][2],
            category_id=members[0][3],
            problem_ids=[row[0] for row in members],
            enterprise_count=len({row[1] for row in members}),
        )
        for members in by_root.values()
        if len({row[1] for row in members}) >= min_size
    ]
    result.sort(key=lambda g: (-g.enterprise_count, g.region_id, order.get(g.category_id, 0), g.problem_ids[0]))
    return result


def show(groups):
    """Fill each group's `shown` problems, region and category, in one query for all the groups: call it
    on the page of groups a reader sees, not on every group found."""
    wanted = [pk for group in groups for pk in group.problem_ids[:MEMBERS_SHOWN]]
    problems = Problem.objects.filter(pk__in=wanted).select_related("enterprise", "category", "region__parent").in_bulk()
    for group in groups:
        group.shown = [problems[pk] for pk in group.problem_ids[:MEMBERS_SHOWN] if pk in problems]
        if group.shown:
            group.region, group.category = group.shown[0].region, group.shown[0].category
    return groups
