"""Shared test configuration.

Under CI (``CI`` set, as ``.ci/run`` is run) Hypothesis runs derandomised, so a submission's
result does not depend on which random examples one run happens to draw; local runs keep
exploring new examples.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
