"""Photo images on disk, outside the database: decoded (Pillow) to be sure each is a whole JPEG or
PNG of a sane size, kept under random names in a directory only the server's user can read.

The pixel count is read from the header before anything is decoded, so a decompression bomb (a
small file that claims 50,000 x 50,000 pixels) is refused without the gigabytes it would take.
A disk that fills up mid-write is a :class:`StorageError`, and the partial file is removed.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

from PIL import Image, UnidentifiedImageError

from corneum.records.errors import InvalidInputError, Problem, StorageError
from corneum.records.outcomes.tables import PhotoType

SIGNATURES: dict[bytes, PhotoType] = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
"""The magic bytes each accepted format starts with; what the uploader claims is ignored."""
EXTENSIONS: dict[PhotoType, str] = {"image/jpeg": ".jpg", "image/png": ".png"}
FORMATS: dict[str, PhotoType] = {"JPEG": "image/jpeg", "PNG": "image/png"}
MAX_PIXELS = 50_000_000
"""The most pixels a photo may have (50 megapixels, more than a clinic camera's full size): an
image is decoded in memory at 3-4 bytes a pixel, so this bounds what one upload can take."""
FULL_DISK = frozenset({errno.ENOSPC, errno.EDQUOT})


@dataclass(frozen=True, slots=True)
class StoredImage:
    file_name: str
    content_type: PhotoType
    sha256: str
    size_bytes: int


def sniff(data: bytes) -> PhotoType | None:
    """The image type ``data`` starts like, or None."""
    return next((kind for magic, kind in SIGNATURES.items() if data.startswith(magic)), None)


def decode(data: bytes, kind: PhotoType) -> None:
    """Refuse (naming ``file``) what is not a whole image of the type its first bytes claim, or
    has more than :data:`MAX_PIXELS` pixels; the size is checked before the pixels are read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(FORMATS)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise _refuse(
                        f"the image is {width} x {height} pixels; at most "
                        f"{MAX_PIXELS // 1_000_000} megapixels are accepted"
                    )
                if FORMATS.get(image.format or "") != kind:
                    raise _refuse("not a JPEG or PNG image")
                image.verify()  # the file's structure and checksums, to its end
            with Image.open(io.BytesIO(data), formats=list(FORMATS)) as image:
                image.load()  # and its pixels
    except InvalidInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(f"the image has more than {MAX_PIXELS // 1_000_000} megapixels") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _refuse("the file is not a whole JPEG or PNG image") from None


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
        decode(data, kind)
        return kind

    def save(self, data: bytes) -> StoredImage:
        """Write a checked image under a new random name, atomically, readable by its owner only."""
        kind = self.check(data)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = uuid4().hex + EXTENSIONS[kind]
        partial = self.directory / f".{name}.part"
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            partial.replace(self.directory / name)
        except OSError as exc:
            raise StorageError("photo", full=exc.errno in FULL_DISK) from None
        finally:
            partial.unlink(missing_ok=True)
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
