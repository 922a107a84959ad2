import pytest

from tests.support.s3 import moto_server


@pytest.fixture(scope="session")
def s3_server():
    with moto_server() as server:
        yield server
