"""Liaison cadres' scorecards: each cadre's enterprises, visits made against visits due, problems, forums."""
