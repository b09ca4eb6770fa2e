"""The dashboards: the province overview, a city's and a county's view, and the records behind every figure."""
