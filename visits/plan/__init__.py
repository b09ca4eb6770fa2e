"""The visit plan: when each cadre must next visit each enterprise they liaise with (`cadence`), the pages
of due visits, the plan for the year and the calendar (`views`, `filters`, `urls`), and the weekly digest
(`digest`, run by `tasks`)."""
