"""A cohort of 650: import the student list, make every link and QR code, print the whole
cohort as one PDF, first in the school's browser (the school's pages: read the export, seal
names and groups, upload; letters with QR codes; the print run to PDF in Chromium, per group
and whole, each in the print window with the peak memory of its own renderer process and of the
campaign tab's), then with the Python client
and WeasyPrint. Reports seconds and peak memory, and the import as a ratio to a bare bulk
insert of the same rows into the same table (target <= 3x), on SQLite and PostgreSQL.

The baseline ("bare") is what the server stores for the same students, made before the clock
starts: per row an id, the reference, a name and a group each sealed to the school's key (as
long as the browser's), a token hash and a code hash; one INSERT of all rows (the ORM's bulk
INSERT). It is shown twice: rolled back (the insert alone) and committed (what an import must
also do: the browser's import ends with the request's commit); the browser part also shows it
as the Core INSERT the import itself uses since session 6 (a stricter floor). The service
import is measured against it in the same process (parse and check every line, make and hash
650 tokens and codes, one INSERT), the browser import end to end (click to response) with
its parts from the page's Performance marks ("rz-seal": sealing 1,300 values, "rz-upload":
request, server, commit).
In the browser part the app runs in a process of its own (`rugzak serve`,
bench/_campaign_server.py), and the bare insert is timed on its database file once it has
stopped (and on a fresh file, the baseline of earlier runs).
docs/performance.md, "School campaigns", explains the figures."""

from __future__ import annotations

import logging
import sys

from _campaign_browser import browser_run
from _campaign_client import client_run
from _campaign_db import import_rows
from _support import backends, report


def main(parts: list[str]) -> None:
    """`parts`: any of browser, import, client (all three when empty); `warm` with browser:
    the server's import path is warmed by one import before the measured one."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not parts or "browser" in parts:
        browser_run(warm="warm" in parts)
    if not parts or "import" in parts:
        rows = []
        for name in backends():
            rows += import_rows(name)
        report(rows)
    if not parts or "client" in parts:
        client_run()


if __name__ == "__main__":
    main(sys.argv[1:])
