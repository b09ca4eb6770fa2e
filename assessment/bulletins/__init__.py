"""Progress bulletins (工作通报): monthly, for the province and each city, as a page, a table and a report."""
