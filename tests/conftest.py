import pytest

from chatlint.config import Config


@pytest.fixture
def make_config():
    def make(**kw):
        return Config(**kw)

    return make
