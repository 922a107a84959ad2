"""The core without a browser: a youth signs up, fills every section, stores a document, and
reads it all back on a new device — over real HTTP, against SQLite and PostgreSQL."""

import hashlib
import io

import pytest

from dossier.client import RugzakClient
from dossier.sections.catalogue import SECTIONS
from tests.conftest import make_settings
from tests.e2e.conftest import ADULT, PASSPHRASE, new_username
from tests.support.server import live_server
from tests.support.sql import sql

TWENTY_MB = 20 * 1024 * 1024


def story(section: str) -> dict[str, str]:
    return {"tekst": f"Geheim verhaal over {section}: ik woon bij mijn tante in Zwolle."}


class RandomReader(io.RawIOBase):
    """A deterministic 20 MB stream that never exists in memory as a whole."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.counter = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        out = bytearray()
        while len(out) < n:
            self.counter += 1
            out += hashlib.sha256(self.counter.to_bytes(8, "big")).digest()
        self.left -= n
        return bytes(out[:n])


class HashingWriter:
    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return len(data)


@pytest.fixture
def fs_server(backend, tmp_path):
    settings = make_settings(
        backend.fresh_url(), tmp_path, blob_store="filesystem", blob_dir=str(tmp_path / "fs-blobs")
    )
    with live_server(settings) as url:
        yield url


def test_write_every_section_and_read_back_on_a_new_device(youth, server):
    written = {}
    for section in SECTIONS:
        if section == "documenten":
            continue
        written[section] = youth.write(section, story(section))
    source = RandomReader(TWENTY_MB)
    doc_id = youth.upload(source, name="cv.pdf", mime="application/pdf")
    expected = hashlib.sha256()
    replay = RandomReader(TWENTY_MB)
    while chunk := replay.read(1 << 20):
        expected.update(chunk)
    username = youth.unlocked().username
    youth.logout()

    with RugzakClient(server) as device:
        device.login(username, PASSPHRASE)
        for section, entry_id in written.items():
            [entry] = device.entries(section)
            assert (entry.entry, entry.body) == (entry_id, story(section))
            assert entry.author == device.unlocked().account_id
        sink = HashingWriter()
        opened = device.download(doc_id, sink)
    assert opened.body["name"] == "cv.pdf"
    assert (sink.size, sink.digest.hexdigest()) == (TWENTY_MB, expected.hexdigest())


def test_new_versions_are_kept_and_the_latest_is_shown(youth):
    entry_id = youth.write("verhaal", {"tekst": "eerste versie"})
    youth.write("verhaal", {"tekst": "tweede versie"}, entry_id=entry_id)
    [latest] = youth.entries("verhaal")
    assert (latest.version, latest.body["tekst"]) == (2, "tweede versie")
    history = youth.history("verhaal", entry_id)
    assert [h.body["tekst"] for h in history] == ["eerste versie", "tweede versie"]


def test_the_server_never_holds_plaintext(youth, settings):
    secret = "Mijn schuld bij DUO is 4312 euro"
    youth.write("geld", {"tekst": secret})
    youth.upload(io.BytesIO(secret.encode() * 1000), name="brief-duo.txt", mime="text/plain")
    recovery = youth.recovery_code
    needles = [secret, PASSPHRASE, "brief-duo.txt", recovery, recovery.replace("-", "")]
    tables = [
        r[0] for r in sql(settings.database_url, _TABLES[settings.database_url.split(":")[0]])
    ]
    assert {"account", "entry", "blob_chunk", "section"} <= set(tables)
    for table in tables:
        for row in sql(settings.database_url, f"SELECT * FROM {table}"):
            dump = repr(row).encode() + b"".join(v for v in row if isinstance(v, bytes))
            for needle in needles:
                assert needle.encode() not in dump, (table, needle)


def test_filesystem_blob_store_holds_only_ciphertext(fs_server, tmp_path):
    secret = b"Brief van de deurwaarder over 1200 euro"
    with RugzakClient(fs_server) as client:
        client.sign_up(new_username(), PASSPHRASE, birth_date=ADULT)
        doc = client.upload(io.BytesIO(secret * 5000), name="brief.txt", mime="text/plain")
        files = [p for p in (tmp_path / "fs-blobs").rglob("*") if p.is_file()]
        assert len(files) == 1
        assert secret not in files[0].read_bytes()
        out = io.BytesIO()
        client.download(doc, out)
        assert out.getvalue() == secret * 5000


_TABLES = {
    "sqlite+aiosqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgresql+asyncpg": "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
}
