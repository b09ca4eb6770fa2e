"""Spreadsheets in and out of the register: import, export, their columns and the files themselves.

- `columns.py`: the column headers (part of the file format) and how each cell is read and written;
- `resources.py`: how enterprises and liaison assignments map to rows, fenced to the importing official;
- `spreadsheets.py`: reading the uploaded .xlsx and .csv files;
- `imports.py`: the workflow (upload, the preview checked in the background, confirm, the queued import);
- `exports.py`: writing the import templates and the export of the enterprise list;
- `forms.py`, `views.py`: the upload form and the pages (their URLs are in `enterprises/urls.py`);
- `tasks.py`: the Celery tasks that check an upload (the preview) and apply a confirmed import.
"""
