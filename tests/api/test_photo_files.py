"""What the server keeps of an uploaded photo: no EXIF or GPS, upright, a thumbnail beside it;
HEIC from an iPad accepted (kept as a JPEG); a decompression bomb refused. Images are made here
with Pillow and pillow-heif and sent over real HTTP."""

from __future__ import annotations

import io

import pillow_heif
from PIL import ExifTags, Image

from tests.api.conftest import LiveApi
from tests.api.images import png_bomb
from tests.api.test_outcomes import new_visit, upload

GPS: dict[int, object] = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (40.0, 25.0, 1.5),
    ExifTags.GPS.GPSLongitudeRef: "W",
    ExifTags.GPS.GPSLongitude: (3.0, 42.0, 12.0),
}


def jpeg_with_gps(width: int = 600, height: int = 400) -> bytes:
    """A JPEG a phone might send: GPS position, camera, time and an orientation of 6 (the
    pixels stored on their side, to be turned 90 degrees clockwise to show upright)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.DateTime] = "2026:11:30 10:05:00"
    exif[ExifTags.Base.Orientation] = 6
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 90)).save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    with Image.open(io.BytesIO(data)) as check:  # the test's own image does carry them
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return data


def heic(width: int = 64, height: int = 48) -> bytes:
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 160, 90)).save(out, format="HEIF")
    return out.getvalue()


def test_exif_and_gps_are_gone_from_the_kept_photo(api: LiveApi) -> None:
    original = jpeg_with_gps()
    with api.as_("practitioner") as http:
        created = upload(http, new_visit(api), original)
        assert created.status_code == 201, created.text
        served = http.get(f"/api/photos/{created.json()['id']}").content
    for data in (served, *(p.read_bytes() for p in api.photo_dir.iterdir())):
        with Image.open(io.BytesIO(data)) as image:
            assert dict(image.getexif()) == {}
            assert "exif" not in image.info
    assert b"PhoneMaker" not in served
    assert b"GPS" not in served
    with Image.open(io.BytesIO(served)) as image:
        assert image.size == (400, 600)  # turned upright before its orientation tag was dropped


def test_a_thumbnail_is_served_to_the_practitioner_only(api: LiveApi) -> None:
    with api.as_("practitioner") as http:
        photo_id = upload(http, new_visit(api), jpeg_with_gps(1600, 1200)).json()["id"]
        thumbnail = http.get(f"/api/photos/{photo_id}/thumbnail")
    assert thumbnail.status_code == 200
    assert thumbnail.headers["content-type"] == "image/jpeg"
    assert thumbnail.headers["cache-control"] == "no-store"
    with Image.open(io.BytesIO(thumbnail.content)) as image:
        assert image.size == (240, 320)  # upright, at most 320 a side, in proportion
        assert dict(image.getexif()) == {}
    for who, status in (("reception", 403), ("other", 404)):
        with api.as_(who) as http:
            assert http.get(f"/api/photos/{photo_id}/thumbnail").status_code == status


def test_a_heic_from_an_ipad_is_accepted_and_kept_as_a_jpeg(api: LiveApi) -> None:
    with api.as_("practitioner") as http:
        created = upload(http, new_visit(api), heic())
        assert created.status_code == 201, created.text
        served = http.get(f"/api/photos/{created.json()['id']}")
    assert created.json()["content_type"] == "image/jpeg"
    assert served.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(served.content)) as image:
        assert (image.format, image.size) == ("JPEG", (64, 48))
        middle = image.convert("RGB").getpixel((32, 24))
    assert isinstance(middle, tuple)
    assert all(abs(got - want) < 12 for got, want in zip(middle, (30, 160, 90), strict=True))


def test_a_broken_heic_or_a_bomb_is_refused_and_nothing_is_kept(api: LiveApi) -> None:
    before = set(api.photo_dir.iterdir())
    with api.as_("practitioner") as http:
        visit = new_visit(api)
        broken = upload(http, visit, heic()[:200])
        bomb = upload(http, visit, png_bomb())
    assert broken.status_code == bomb.status_code == 422
    assert [p["field"] for p in broken.json()["detail"]] == ["file"]
    assert "more than 50 megapixels" in bomb.json()["detail"][0]["msg"]
    assert set(api.photo_dir.iterdir()) == before
