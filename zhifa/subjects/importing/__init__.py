"""Import of the subject register from .xlsx and .csv files (issue 2 item 4, SUB-01…SUB-17).

Modules, bottom up:
- `parsers`: pure cell parsers (dates, USCC, ID numbers, choices…) raising `CellError` in Chinese;
- `spec`: the templates as data — one `ImportKind` per file kind with its columns; the
  downloadable templates, the docs table and the validators are all derived from it;
- `reading`: streaming readers for .xlsx (openpyxl read-only) and .csv (UTF-8/GBK/GB18030);
- `validation`: row-by-row validation collecting every error, spooling clean rows to disk;
- `writers`: bulk, idempotent writes keyed by natural keys (called by `services.import_apply`),
  using `fastsql` (COPY / executemany INSERT, batched UPDATE);
- `issues`: the located error type (`Issue`) and file-level rejection (`FileRejected`);
- `template_files`, `report`: template and error-report files; `progress`: progress JSON files;
- `runner`: runs one ImportJob end to end (used by the web page, the API and the command).

This package imports nothing from views; `zhifa.subjects.services` owns the transaction and
the ledger entry.
"""
