"""``python -m sarkit`` runs the command line."""

import sys

from sarkit.app.cli import main

sys.exit(main())
