"""The `rugzak` command: serve, worker, migrate, demo, and a youth's own dossier export.

Passphrases are read with a hidden prompt, never from argv (argv shows up in `ps` and in shell
history). It lives in `web/` because it composes the app: `serve` hands uvicorn the app
factory's import string (so `--workers N` can start it in each process), `migrate` applies
the schema of all three packages."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

import click

from dossier.db import DEFAULT_DATABASE_URL
from web.migrate import upgrade
from web.settings import load_settings

APP = "web.app:serving_app"
KEEPALIVE_SECONDS = 75


def database_url() -> str:
    return os.environ.get("RUGZAK_DATABASE_URL", DEFAULT_DATABASE_URL)


@click.group()
def main() -> None:
    """Rugzak: an end-to-end encrypted dossier that a young person owns."""
    logging.getLogger("httpx").setLevel(logging.WARNING)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the app (settings from RUGZAK_* variables)."""
    import uvicorn  # noqa: PLC0415  (only this command needs the server)

    uvicorn.run(
        APP,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        # Longer than nginx's upstream keepalive (60 s): a worker that closes an idle kept-alive
        # connection just as nginx reuses it makes nginx answer 502 to a POST (docs/deploy.md).
        timeout_keep_alive=KEEPALIVE_SECONDS,
    )


@main.command()
@click.option("--once", is_flag=True, help="Send what is due now, then stop.")
def worker(*, once: bool) -> None:
    """Send queued notices (mail) until stopped (settings from RUGZAK_* variables)."""
    import asyncio  # noqa: PLC0415

    from web.worker import run_worker  # noqa: PLC0415

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    asyncio.run(run_worker(once=once))


@main.command()
def migrate() -> None:
    """Apply database migrations to RUGZAK_DATABASE_URL."""
    upgrade(database_url())
    click.echo("database is up to date")


@main.command()
@click.option("--url", help="Use a running server instead of starting one in-process.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the demo youth already exists.")
def demo(url: str | None, *, if_empty: bool) -> None:
    """Load the demo (a youth, a coach) through the real client code."""
    from web.demo import load_demo  # noqa: PLC0415

    for line in load_demo(url, if_empty=if_empty):
        click.echo(line)


@main.group()
def dossier() -> None:
    """A youth's own dossier."""


@dossier.command("export")
@click.option("--url", default="http://127.0.0.1:8000", show_default=True)
@click.option("--username", required=True)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def export(url: str, username: str, folder: Path) -> None:
    """Export the whole dossier, decrypted on this machine, to FOLDER (JSON + files)."""
    from dossier.client import RugzakClient  # noqa: PLC0415
    from dossier.export import export_dossier  # noqa: PLC0415

    passphrase = click.prompt("Wachtwoordzin", hide_input=True)
    with RugzakClient(url) as client:
        client.login(username, passphrase)
        counts = export_dossier(client, folder)
    click.echo(f"{sum(counts.values())} onderdelen opgeslagen in {folder}")


@main.group()
def blobs() -> None:
    """The document blob store (RUGZAK_BLOB_STORE)."""


@blobs.command("check")
@click.option("--remove", is_flag=True, help="Delete the orphans found.")
@click.option(
    "--min-age",
    default=3600,
    show_default=True,
    type=int,
    help="Seconds an object must exist before it counts (an upload may be committing).",
)
def blobs_check(*, remove: bool, min_age: int) -> None:
    """List objects that no document names (orphans); with --remove, delete them."""
    from web.blobs import run_check  # noqa: PLC0415

    report = asyncio.run(run_check(load_settings(), remove=remove, min_age=min_age))
    for orphan in report.orphans:
        click.echo(f"orphan {orphan.blob_id} {orphan.modified.isoformat()}")
    verb = "removed" if remove else "found"
    click.echo(f"{report.checked} objects checked, {len(report.orphans)} orphans {verb}")


if __name__ == "__main__":
    main()
