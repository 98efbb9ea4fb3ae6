"""Writes the demo's orchestration database with Python's own sqlite3 module, the way the
orchestrators in seed 001 do. Reads {"db": path, "rows": [...]} as JSON on stdin."""
import json
import sqlite3
import sys

COLUMNS = ("workstream_id", "status", "agent_id", "started_at", "completed_at", "error_message", "blocked_by", "notes")


def main() -> None:
    spec = json.load(sys.stdin)
    con = sqlite3.connect(spec["db"])
    try:
        con.execute(
            "CREATE TABLE workstream_status ("
            " workstream_id TEXT PRIMARY KEY,"
            " status TEXT NOT NULL,"
            " agent_id TEXT,"
            " started_at TEXT,"
            " completed_at TEXT,"
            " error_message TEXT,"
            " blocked_by TEXT,"
            " notes TEXT)"
        )
        con.executemany(
            "INSERT INTO workstream_status VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [tuple(row.get(c) for c in COLUMNS) for row in spec["rows"]],
        )
        con.commit()
    finally:
        con.close()


if __name__ == "__main__":
    main()
