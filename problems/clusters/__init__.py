"""Problems shared by several enterprises (共性问题), shown at `/problems/common/`.

Open problems of one region and category that several enterprises describe alike are gathered into
clusters, so an office can deal with them together:

- `grouping`: the similarity (pg_trgm on PostgreSQL, character pairs elsewhere) and the clusters;
- `views`: the page, fenced by `visible_to` like every problem list;
- `urls`: its URL, which problems/urls.py adds to the `problems` namespace.
"""
