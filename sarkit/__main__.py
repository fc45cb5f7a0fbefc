"""``python -m sarkit`` runs the command line."""

import sys

from sarkit.cli import main

sys.exit(main())
