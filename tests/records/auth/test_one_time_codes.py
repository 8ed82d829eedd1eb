"""One-time codes: the code of now and of a step either side, each step once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp

from corneum.records.accounts import totp

NOW = datetime(2026, 12, 7, 9, 0, 10, tzinfo=UTC)
STEP = int(NOW.timestamp()) // 30


def test_a_code_of_now_or_a_step_either_side_is_accepted_and_tells_its_step() -> None:
    secret = totp.new_secret()
    app = pyotp.TOTP(secret)
    for offset in (-1, 0, 1):
        code = app.at(NOW + timedelta(seconds=30 * offset))
        assert totp.matching_step(secret, code, NOW, after=None) == STEP + offset
    assert totp.matching_step(secret, app.at(NOW + timedelta(seconds=60)), NOW, after=None) is None


def test_a_step_used_is_not_accepted_again_nor_an_earlier_one() -> None:
    secret = totp.new_secret()
    code = pyotp.TOTP(secret).at(NOW)
    assert totp.matching_step(secret, code, NOW, after=STEP) is None
    assert totp.matching_step(secret, code, NOW, after=STEP - 1) == STEP


def test_spaces_in_a_code_are_ignored_and_anything_but_six_digits_refused() -> None:
    secret = totp.new_secret()
    code = pyotp.TOTP(secret).at(NOW)
    assert totp.matching_step(secret, f"{code[:3]} {code[3:]}", NOW, after=None) == STEP
    for wrong in ("", "12345", "1234567", "abcdef", "١٢٣٤٥٦"):
        assert totp.matching_step(secret, wrong, NOW, after=None) is None


def test_the_uri_names_corneum_and_the_account() -> None:
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "dr.vega@example.org")
    assert uri.startswith(
        "otpauth://totp/Corneum:dr.vega%40example.org?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    )
    assert "issuer=Corneum" in uri
