import os
import tempfile

import pytest
from hypothesis import HealthCheck, settings

from chatlint.config import Config

# One set of Hypothesis settings for every property test (tests/strategies.py has the shared
# strategies). "dev" keeps the whole suite quick on a shared two-core machine; .ci/run uses
# "ci" (`--hypothesis-profile=ci`) for more examples; "bughunt" is a long hunt by hand:
#   python -m pytest --hypothesis-profile=bughunt tests/test_properties.py
_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow], "print_blob": True}
settings.register_profile("dev", max_examples=120, **_COMMON)
settings.register_profile("ci", max_examples=400, **_COMMON)
settings.register_profile("bughunt", max_examples=10_000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# chatlint.datacache keeps tables derived from the dependencies (wordfreq's list) between runs:
# the suite keeps its own, in a folder removed at its end, never the user's cache
_CACHE = tempfile.TemporaryDirectory(prefix="chatlint-test-cache-")
os.environ.setdefault("CHATLINT_CACHE_DIR", _CACHE.name)


@pytest.fixture
def make_config():
    def make(**kw):
        return Config(**kw)

    return make
