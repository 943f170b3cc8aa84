"""Backups an operator can trust, and restores that refuse rather than guess (issue #35).

`bot db backup DIR` copies the store (SQLite by its online backup API, PostgreSQL by `pg_dump -Fc`) and the
engine's SQLite tracker store into a new private folder with a manifest (`manifest`); `bot db restore DIR`
checks every file against the manifest and that the target is empty before it writes anything
(`operations`). `sqlite_files` and `postgres` hold the two backends' halves.
"""
