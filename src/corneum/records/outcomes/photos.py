"""Photo images on disk, outside the database: decoded (Pillow) to be sure each is a whole JPEG,
PNG or HEIC (iPads' own format, through pillow-heif) of a sane size, then written anew, without
the camera's metadata, under random names in a directory only the server's user can read.

The pixel count is read from the header before anything is decoded, so a decompression bomb (a
small file that claims 50,000 x 50,000 pixels) is refused without the gigabytes it would take.
The stored image is re-encoded from its pixels, turned upright by its EXIF orientation first: no
EXIF block survives, so no GPS position, camera serial or time of day leaves with a photo. A
HEIC becomes a JPEG (browsers do not show HEIC); a small JPEG thumbnail is kept beside each
photo. A disk that fills up mid-write is a :class:`StorageError`, and partial files are removed.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from uuid import uuid4

from PIL import Image, ImageOps, UnidentifiedImageError

from corneum.records.errors import InvalidInputError, Problem, StorageError
from corneum.records.outcomes.tables import PhotoType

SIGNATURES: dict[bytes, str] = {
    b"\xff\xd8\xff": "JPEG",
    b"\x89PNG\r\n\x1a\n": "PNG",
}
"""The magic bytes each accepted format starts with; what the uploader claims is ignored."""
HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})
"""The ISO base media file brands (bytes 8-12, after ``ftyp``) of HEIF images (ISO/IEC 23008-12)."""
STORED: dict[str, PhotoType] = {"JPEG": "image/jpeg", "PNG": "image/png", "HEIF": "image/jpeg"}
"""What each accepted format is kept as."""
EXTENSIONS: dict[PhotoType, str] = {"image/jpeg": ".jpg", "image/png": ".png"}
MAX_PIXELS = 50_000_000
"""The most pixels a photo may have (50 megapixels, more than a clinic camera's full size): an
image is decoded in memory at 3-4 bytes a pixel, so this bounds what one upload can take."""
THUMBNAIL_PIXELS = 320
"""The longest side of a thumbnail."""
JPEG_QUALITY = 90
FULL_DISK = frozenset({errno.ENOSPC, errno.EDQUOT})
ACCEPTED = "not a JPEG, PNG or HEIC image"


@dataclass(frozen=True, slots=True)
class StoredImage:
    file_name: str
    content_type: PhotoType
    sha256: str
    size_bytes: int


@dataclass(frozen=True, slots=True)
class CleanImage:
    """An upload decoded and written anew: the image and its thumbnail, without metadata."""

    content_type: PhotoType
    data: bytes
    thumbnail: bytes


@cache
def _heif_opener() -> None:
    """Teach Pillow HEIF, once, when the first photo needs it (not at import time)."""
    from pillow_heif import register_heif_opener

    register_heif_opener()


def sniff(data: bytes) -> str | None:
    """The image format (Pillow's name) ``data`` starts like, or None."""
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return "HEIF"
    return next((kind for magic, kind in SIGNATURES.items() if data.startswith(magic)), None)


def decode(data: bytes, kind: str) -> CleanImage:
    """The image written anew without metadata, with its thumbnail. Refuses (naming ``file``)
    what is not a whole image of the format its first bytes claim, or has more than
    :data:`MAX_PIXELS` pixels; the size is checked before the pixels are read."""
    if kind == "HEIF":
        _heif_opener()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[kind]) as image:
                _check_size(image)
                if image.format != kind:
                    raise _refuse(ACCEPTED)
                if kind != "HEIF":  # pillow-heif has no verify(); its decoder checks all
                    image.verify()  # the file's structure and checksums, to its end
            with Image.open(io.BytesIO(data), formats=[kind]) as image:
                image.load()  # and its pixels
                return _rewrite(image, STORED[kind])
    except InvalidInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(f"the image has more than {MAX_PIXELS // 1_000_000} megapixels") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, RuntimeError):
        raise _refuse("the file is not a whole JPEG, PNG or HEIC image") from None


def _check_size(image: Image.Image) -> None:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _refuse(
            f"the image is {width} x {height} pixels; at most "
            f"{MAX_PIXELS // 1_000_000} megapixels are accepted"
        )


def _rewrite(image: Image.Image, kind: PhotoType) -> CleanImage:
    """The pixels, upright, in a new file of ``kind`` that carries no metadata from the upload."""
    upright = ImageOps.exif_transpose(image)
    if kind == "image/jpeg" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    upright.info.clear()  # nothing of the upload's (EXIF, XMP, comments) is written back
    out = io.BytesIO()
    upright.save(out, format="JPEG" if kind == "image/jpeg" else "PNG", **_options(kind))
    small = upright.convert("RGB")
    small.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
    thumbnail = io.BytesIO()
    small.save(thumbnail, format="JPEG", quality=JPEG_QUALITY)
    return CleanImage(kind, out.getvalue(), thumbnail.getvalue())


def _options(kind: PhotoType) -> dict[str, int]:
    return {"quality": JPEG_QUALITY} if kind == "image/jpeg" else {}


def thumbnail_name(file_name: str) -> str:
    """The file a photo's thumbnail is kept in, beside it."""
    return f"{Path(file_name).stem}.thumb.jpg"


def _refuse(message: str) -> InvalidInputError:
    return InvalidInputError([Problem(loc=("body", "file"), msg=message, type="photo_file")])


@dataclass(frozen=True, slots=True)
class PhotoStore:
    """The photo directory (``CORNEUM_PHOTO_DIR``); files are named by a random UUID."""

    directory: Path
    max_bytes: int

    def check(self, data: bytes) -> CleanImage:
        """The image written anew; refuses (naming the field ``file``) an empty, oversized or
        non-image upload."""
        if not data:
            raise _refuse("the file is empty")
        if len(data) > self.max_bytes:
            raise _refuse(f"the file is larger than {self.max_bytes // (1024 * 1024)} MB")
        kind = sniff(data)
        if kind is None:
            raise _refuse(ACCEPTED)
        return decode(data, kind)

    def save(self, data: bytes) -> StoredImage:
        """Write a checked image, without its metadata, and its thumbnail under a new random
        name, atomically, readable by its owner only."""
        clean = self.check(data)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = uuid4().hex + EXTENSIONS[clean.content_type]
        try:
            self._write(thumbnail_name(name), clean.thumbnail)
            self._write(name, clean.data)
        except OSError as exc:
            self.delete(name)
            raise StorageError("photo", full=exc.errno in FULL_DISK) from None
        digest = hashlib.sha256(clean.data).hexdigest()
        return StoredImage(name, clean.content_type, digest, len(clean.data))

    def _write(self, name: str, data: bytes) -> None:
        partial = self.directory / f".{name}.part"
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            partial.replace(self.directory / name)
        finally:
            partial.unlink(missing_ok=True)

    def read(self, file_name: str) -> bytes:
        return self.path(file_name).read_bytes()

    def read_thumbnail(self, file_name: str) -> bytes:
        return self.path(thumbnail_name(file_name)).read_bytes()

    def delete(self, file_name: str) -> None:
        self.path(file_name).unlink(missing_ok=True)
        self.path(thumbnail_name(file_name)).unlink(missing_ok=True)

    def path(self, file_name: str) -> Path:
        # Names come from our own rows, never from a request; refuse anything else all the same.
        if Path(file_name).name != file_name or file_name.startswith("."):
            raise ValueError("not a photo file name")
        return self.directory / file_name
