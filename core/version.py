"""The version of the running code, as an operator asks it: in ``/livez`` and ``/readyz``,
in the ``parcours_build_info`` metric and in the footer of the administration pages.

The image is built with ``--build-arg PARCOURS_VERSION=$(git describe --tags --always
--dirty)`` (``make image``): the tag, or the commit where there is none, becomes the
environment variable of that name. Run from a checkout (``make run``, the tests), the
package's version from pyproject.toml is the answer.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as version_du_paquet

from core.settings import Settings

INCONNUE = "inconnue"


def version(settings: Settings) -> str:
    if settings.parcours_version:
        return settings.parcours_version
    try:
        return version_du_paquet("parcours")
    except PackageNotFoundError:  # the sources without `pip install -e .`
        return INCONNUE
