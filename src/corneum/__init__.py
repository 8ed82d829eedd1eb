"""Corneum: the care of skin cleansing and exfoliation procedures for clinics."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("corneum")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"
