"""``python -m spindetect``."""

from spindetect.cli.program import main

raise SystemExit(main())
