import sys

from dti.cli import main

sys.exit(main())
