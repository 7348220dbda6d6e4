"""``python -m spindetect``."""

from spindetect.cli import main

raise SystemExit(main())
