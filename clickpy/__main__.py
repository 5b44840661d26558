"""python -m clickpy -- same as the clickpy command."""
import sys

from clickpy.cli import main

sys.exit(main())
