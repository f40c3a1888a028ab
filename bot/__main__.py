"""`python -m bot`: the same as the `investor-qa` command."""

import sys

from bot.cli import main

sys.exit(main())
