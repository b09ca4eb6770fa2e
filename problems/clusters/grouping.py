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

from ..models import Problem

MAX_EXAMINED = 2000
TRIGRAM_THRESHOLD = 0.3
BIGRAM_THRESHOLD = 0.3

_NOISE = re.compile(r"[\W_]+", re.UNICODE)


@dataclass
class CommonGroup:
    region: object
    category: object
    problems: list = field(default_factory=list)

    @property
    def enterprise_count(self):
        return len({problem.enterprise_id for problem in self.problems})


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


def _python_pairs(problems, threshold):
    buckets = defaultdict(list)
    for problem in problems:
        buckets[problem.region_id, problem.category_id].append((problem.pk, bigrams(problem.description)))
    for members in buckets.values():
        for index, (pk, grams) in enumerate(members):
            for other_pk, other_grams in members[index + 1 :]:
                if bigram_similarity(grams, other_grams) >= threshold:
                    yield pk, other_pk


def _trigram_pairs(ids, threshold):
    """Pairs of alike problems among `ids`, in one grouped query: the problems joined with themselves within
    their region and category, kept where pg_trgm's similarity reaches `threshold`, grouped by the first."""
    table = connection.ops.quote_name(Problem._meta.db_table)
    sql = f"""
        SELECT a.id, array_agg(b.id)
        FROM {table} a JOIN {table} b
          ON b.region_id = a.region_id AND b.category_id = a.category_id AND b.id > a.id
        WHERE a.id = ANY(%s) AND b.id = ANY(%s) AND similarity(a.description, b.description) >= %s
        GROUP BY a.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [ids, ids, threshold])
        for pk, others in cursor.fetchall():
            for other in others:
                yield pk, other


def uses_trigrams():
    return connection.vendor == "postgresql"


def common_problems(queryset, *, min_size=3, threshold=None, limit=MAX_EXAMINED):
    """Groups of alike open problems raised by at least `min_size` enterprises, largest first.

    `queryset` is already fenced (visible_to) and filtered by the caller; only its open problems count.
    Two queries: the problems, and on PostgreSQL their similar pairs.
    """
    # The most recent open problems of the scope: their keys from the partial index `problem_open_order`, then
    # those rows with their joins (one query).
    recent = queryset.open().order_by("-raised_on", "-pk").values("pk")[:limit]
    problems = list(
        Problem.objects.filter(pk__in=recent)
        .select_related("enterprise", "category", "region__parent")
        .order_by("-raised_on", "-pk")
    )
    if not problems:
        return []
    ids = [problem.pk for problem in problems]
    if uses_trigrams():
        pairs = _trigram_pairs(ids, TRIGRAM_THRESHOLD if threshold is None else threshold)
    else:
        pairs = _python_pairs(problems, BIGRAM_THRESHOLD if threshold is None else threshold)
    groups = _Groups(ids)
    for first, second in pairs:
        groups.union(first, second)
    by_root = defaultdict(list)
    for problem in problems:
        by_root[groups.find(problem.pk)].append(problem)
    result = []
    for members in by_root.values():
        group = CommonGroup(region=members[0].region, category=members[0].category, problems=members)
        if group.enterprise_count >= min_size:
            result.append(group)
    result.sort(key=lambda group: (-group.enterprise_count, group.region.code, group.category.order, group.problems[0].pk))
    return result
