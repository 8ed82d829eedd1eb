"""Photo images on disk, outside the database: checked to be JPEG or PNG by their first bytes,
kept under random names in a directory only the server's user can read."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

from corneum.records.errors import InvalidInputError, Problem
from corneum.records.outcomes.tables import PhotoType

SIGNATURES: dict[bytes, PhotoType] = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
"""The magic bytes each accepted format starts with; what the uploader claims is ignored."""
EXTENSIONS: dict[PhotoType, str] = {"image/jpeg": ".jpg", "image/png": ".png"}


@dataclass(frozen=True, slots=True)
class StoredImage:
    file_name: str
    content_type: PhotoType
    sha256: str
    size_bytes: int


def sniff(data: bytes) -> PhotoType | None:
    """The image type ``data`` starts like, or None."""
    return next((kind for magic, kind in SIGNATURES.items() if data.startswith(magic)), None)


def _refuse(message: str) -> InvalidInputError:
    return InvalidInputError([Problem(loc=("body", "file"), msg=message, type="photo_file")])


@dataclass(frozen=True, slots=True)
class PhotoStore:
    """The photo directory (``CORNEUM_PHOTO_DIR``); files are named by a random UUID."""

    directory: Path
    max_bytes: int

    def check(self, data: bytes) -> PhotoType:
        """The image's type; refuses (naming the field ``file``) an empty, oversized or
        non-image upload."""
        if not data:
            raise _refuse("the file is empty")
        if len(data) > self.max_bytes:
            raise _refuse(f"the file is larger than {self.max_bytes // (1024 * 1024)} MB")
        kind = sniff(data)
        if kind is None:
            raise _refuse("not a JPEG or PNG image")
        return kind

    def save(self, data: bytes) -> StoredImage:
        """Write a checked image under a new random name, atomically, readable by its owner only."""
        kind = self.check(data)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = uuid4().hex + EXTENSIONS[kind]
        partial = self.directory / f".{name}.part"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        partial.replace(self.directory / name)
        return StoredImage(name, kind, hashlib.sha256(data).hexdigest(), len(data))

    def read(self, file_name: str) -> bytes:
        return self.path(file_name).read_bytes()

    def delete(self, file_name: str) -> None:
        self.path(file_name).unlink(missing_ok=True)

    def path(self, file_name: str) -> Path:
        # Names come from our own rows, never from a request; refuse anything else all the same.
        if Path(file_name).name != file_name or file_name.startswith("."):
            raise ValueError("not a photo file name")
        return self.directory / file_name
