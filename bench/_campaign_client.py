"""The Python client's side of bench/campaign_bench.py: the full HTTP import (the client seals
each name and group with PyNaCl), and the print run with WeasyPrint."""

from __future__ import annotations

import datetime as dt
import resource
import time
import tracemalloc
import uuid
from collections.abc import Callable
from typing import TypeVar

from _campaign_data import BASE, COHORT, GROUPS, TEXT, Client, name_of
from _support import app_on, backends, best_of

from consent.campaigns.printing import Sheet, cohort_pdf, qr_png_data_uri
from consent.campaigns.service import new_code, new_token, shown_code

T = TypeVar("T")


def http_import(backend_name: str) -> float:
    with app_on(backend_name) as url, Client(url) as staff, Client(url) as coach:
        staff.sign_up(
            f"bench{uuid.uuid4().hex[:8]}", "paarse-fiets-42", birth_date=None, kind="professional"
        )
        coach.sign_up(
            f"bench{uuid.uuid4().hex[:8]}", "paarse-fiets-42", birth_date=None, kind="professional"
        )
        school = staff.create_organisation("ROC", "school")
        receiver = coach.create_organisation("Jobcoach", "jobcoach")
        # The client seals each name and group here (PyNaCl) before the upload.
        plain = "referentie,naam,groep\n" + "".join(
            f"S{i:05d},{name_of(i)},{GROUPS[i % 4]}\n" for i in range(COHORT)
        )

        def one() -> None:
            campaign = staff.create_campaign(
                school, receiver, title="bench", purpose="bench", closes_on=dt.date(2099, 1, 1)
            )
            staff.import_students(campaign["id"], plain.encode())

        return best_of(one, rounds=3)


def measured(fn: Callable[[], T]) -> tuple[T, float, float]:
    """Result, seconds (without tracing), peak traced Python memory in MiB (a second run)."""
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak / 2**20


def client_run() -> None:
    """The Python client: the full HTTP import, and the print run with WeasyPrint."""
    for name in backends():
        print(
            f"full HTTP import of {COHORT} (client + API + DB) [{name}]: {http_import(name):.3f} s"
        )
    links = [(f"S{i:05d}", f"{BASE}/campagne/{new_token()[0]}") for i in range(COHORT)]
    _, qr_seconds, qr_peak = measured(lambda: [qr_png_data_uri(link) for _, link in links])
    sheets = [
        Sheet(ref, link, name_of(i), shown_code(new_code()[0]), GROUPS[i % 4])
        for i, (ref, link) in enumerate(links)
    ]
    result, pdf_seconds, pdf_peak = measured(lambda: cohort_pdf(TEXT, sheets))
    pdf, pages = result
    print(f"{COHORT} links + QR codes: {qr_seconds:.2f} s, peak {qr_peak:.1f} MiB (tracemalloc)")
    print(
        f"whole-cohort PDF: {pages} pages, {len(pdf) / 2**20:.1f} MiB, {pdf_seconds:.1f} s, "
        f"peak {pdf_peak:.0f} MiB (tracemalloc, Python objects); "
        f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
