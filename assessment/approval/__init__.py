"""The level-by-level approval of a period's figures, and the province closing (freezing) and reopening it."""
