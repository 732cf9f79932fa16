"""How a one-off command that spoke to Temporal leaves the process."""

from __future__ import annotations

import logging
import os
import sys
from typing import NoReturn


def terminer(code: int) -> NoReturn:
    """Leave with ``code`` once everything is written, skipping the interpreter's finalisation.

    The Temporal client's native threads were seen to abort the process during that
    finalisation (« Fatal Python error: PyGILState_Release … finalizing », exit status -6)
    after the command had done all its work: an operator, or a script, would then read a
    failure where there was none.
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
