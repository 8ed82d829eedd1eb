"""Small real images for photo uploads, made here rather than shipped as files."""

from __future__ import annotations

import struct
import zlib


def png(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 120, 90)) -> bytes:
    """A valid PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


JPEG_START = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
"""The first bytes of a JPEG file: enough for the type check, not a picture."""


def jpeg(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 120, 90)) -> bytes:
    """A valid JPEG of one colour (Pillow, which the server decodes photos with)."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (width, height), rgb).save(out, format="JPEG")
    return out.getvalue()


def png_bomb(side: int = 50_000) -> bytes:
    """A real decompression bomb: a well-formed black-and-white PNG of ``side`` x ``side`` pixels
    (2.5 gigapixels at the default) whose few hundred kilobytes inflate to hundreds of megabytes
    of rows, and to gigabytes once decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    squeeze = zlib.compressobj(9)
    row = b"\x00" * (1 + (side + 7) // 8)
    data = b"".join(squeeze.compress(row) for _ in range(side)) + squeeze.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def pixels(data: bytes) -> tuple[tuple[int, int], bytes]:
    """An image's size and its pixels as RGB, to compare a photo with what the server keeps of
    it (which it writes anew, without the upload's metadata)."""
    from io import BytesIO

    from PIL import Image

    with Image.open(BytesIO(data)) as image:
        rgb = image.convert("RGB")
        return rgb.size, rgb.tobytes()
