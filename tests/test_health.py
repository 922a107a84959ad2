import httpx


def test_health_answers_with_the_database_in_use(server, backend):
    response = httpx.get(f"{server}/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": backend.name}
