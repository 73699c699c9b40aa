#!/usr/bin/env python3
"""ss7gen - synthetic SS7/MAP over SIGTRAN trace generator for ss7watch (the command).

    python3 contrib/ss7gen.py {ops,edge,demo,bench,scenario,attacks} [options]   (--help)

The code is the package ss7genlib next to this script (contrib/ss7genlib/, see its
__init__.py); this script only puts that directory on the import path, from whatever current
directory it is started, and runs the package's command line.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))

from ss7genlib.__main__ import main  # noqa: E402  (needs the path above)

if __name__ == "__main__":
    sys.exit(main())
