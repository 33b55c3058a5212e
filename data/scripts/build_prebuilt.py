"""Validate the built-in playbook now and ship the result (playbooks/default.prebuilt.json.gz).

    python data/scripts/build_prebuilt.py

Run it after editing the built-in playbook or the modules that validate it; the test suite
fails while the shipped file is out of date (tests/test_prebuilt.py). See
`replycoach.playbook.prebuilt` for why it exists.
"""

from __future__ import annotations

import os
import sys

os.environ["REPLYCOACH_NO_CACHE"] = "1"  # build from the files, not from a cache

from replycoach.core.resources import builtin_dir
from replycoach.playbook import prebuilt
from replycoach.playbook.loader import DEFAULT, _build


def main() -> int:
    data, files = _build([str(builtin_dir("playbooks") / f"{DEFAULT}.yaml")])
    target = prebuilt.write(data, files)
    print(f"wrote {target} ({target.stat().st_size / 1024:.0f} KiB)")
    return 0 if prebuilt.load() is not None else 1


if __name__ == "__main__":
    sys.exit(main())
