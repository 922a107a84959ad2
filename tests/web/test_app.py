"""The app factory's database pool: `RUGZAK_DB_POOL_SIZE` connections kept open on
PostgreSQL (docs/performance.md, "Around the handler"); SQLite keeps SQLAlchemy's own pool."""

from tests.conftest import make_settings
from web.app import create_app


def test_the_pool_keeps_the_configured_connections(backend, tmp_path):
    app = create_app(make_settings(backend.template_url, tmp_path, db_pool_size=7))
    pool = app.state.alchemy.get_engine().pool
    if backend.template_url.startswith("postgresql"):
        assert pool.size() == 7
    else:
        assert getattr(pool, "size", lambda: 5)() != 7
