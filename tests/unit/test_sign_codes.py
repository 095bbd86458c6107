"""Sign codes (geofences.sign_codes): the signed QR payload and what a sighting of one means."""

import re

import numpy as np
import pytest
import zxingcpp

from geofences import sign_codes as S
from geofences.sign_codes import (SIGN_EXPIRED, SIGN_INVALID, SIGN_MATCH, SIGN_OTHER_SITE, SIGN_REVOKED,
                                  SignPayload, display_time_step, make_payload, parse_payload, render_qr,
                                  sighting_code)

KEY = b"unit-test-sign-key-0123456789abcdef"
OTHER_KEY = b"another-deployment-key-9876543210"


# --- payloads -----------------------------------------------------------------------------

def test_a_printed_sign_payload_round_trips():
    payload = make_payload(KEY, 42)
    assert re.fullmatch(r"ETK1\.42\.[A-Z2-7]{16}", payload)
    assert parse_payload(KEY, payload) == SignPayload(sign_id=42, time_step=None)


def test_a_display_sign_payload_round_trips_with_its_time_step():
    payload = make_payload(KEY, 7, time_step=58_000_123)
    assert re.fullmatch(r"ETK1\.7\.58000123\.[A-Z2-7]{16}", payload)
    assert parse_payload(KEY, payload) == SignPayload(sign_id=7, time_step=58_000_123)


def test_the_mac_is_80_bits_in_base32():
    mac = make_payload(KEY, 1).rsplit(".", 1)[1]
    assert len(mac) == 16 and S.MAC_BYTES == 10


def test_the_payload_uses_only_qr_alphanumeric_characters():
    payload = make_payload(KEY, 1234567890, time_step=123456789012)
    assert set(payload) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def test_surrounding_whitespace_from_a_decoder_is_ignored():
    assert parse_payload(KEY, f"  {make_payload(KEY, 5)}\n") == SignPayload(5, None)


def test_a_forged_mac_is_refused():
    payload = make_payload(KEY, 42)
    head, mac = payload.rsplit(".", 1)
    forged = head + "." + ("A" if mac[0] != "A" else "B") + mac[1:]
    assert parse_payload(KEY, forged) is None


def test_a_mac_moved_to_another_sign_or_time_step_is_refused():
    mac = make_payload(KEY, 42).rsplit(".", 1)[1]
    assert parse_payload(KEY, f"ETK1.43.{mac}") is None
    display_mac = make_payload(KEY, 7, time_step=100).rsplit(".", 1)[1]
    assert parse_payload(KEY, f"ETK1.7.101.{display_mac}") is None
    assert parse_payload(KEY, f"ETK1.7.{display_mac}") is None  # the step dropped: a printed sign's claim


def test_a_payload_signed_with_another_key_is_refused():
    assert parse_payload(KEY, make_payload(OTHER_KEY, 42)) is None
    assert parse_payload(KEY, make_payload(OTHER_KEY, 42, time_step=9)) is None


@pytest.mark.parametrize("text", [
    "", "hello", "https://example.org/ETK1.42", "ETK1.42", "ETK1.42.", "ETK2.42.AAAAAAAAAAAAAAAA",
    "ETK1.x.AAAAAAAAAAAAAAAA", "ETK1.42.aaaaaaaaaaaaaaaa", "ETK1.42.AAAAAAAAAAAAAAA", "ETK1.42.AAAAAAAAAAAAAAAA",
    "ETK1.12345678901.AAAAAAAAAAAAAAAA", "ETK1.-1.AAAAAAAAAAAAAAAA", "ETK1.1.2.3.AAAAAAAAAAAAAAAA",
], ids=lambda text: text or "empty")
def test_garbage_is_not_a_sign(text):
    assert parse_payload(KEY, text) is None


def test_a_lower_cased_genuine_payload_is_refused():
    assert parse_payload(KEY, make_payload(KEY, 42).lower()) is None


# --- the screen's time step ------------------------------------------------------------------

def test_display_time_step_changes_every_30_seconds():
    assert S.DISPLAY_STEP_SECONDS == 30
    assert [display_time_step(t) for t in (0, 29.999, 30, 59, 60, 1_700_000_000)] == [0, 0, 1, 1, 2, 56_666_666]


# --- what a genuine payload means ----------------------------------------------------------------

def code(kind, *, revoked=False, time_step=None, now_step=1000, at_candidate_site=True):
    return sighting_code(kind, revoked=revoked, time_step=time_step, now_step=now_step,
                         at_candidate_site=at_candidate_site)


def test_a_printed_sign_of_a_candidate_site_matches():
    assert code("printed") == SIGN_MATCH


def test_a_printed_sign_of_another_site_is_other_site():
    assert code("printed", at_candidate_site=False) == SIGN_OTHER_SITE


@pytest.mark.parametrize("kind, time_step, at_site", [
    ("printed", None, True), ("printed", None, False), ("display", 1000, True), ("display", 1, True),
    ("printed", 1000, True),
])
def test_a_revoked_sign_is_revoked_whatever_else_is_true(kind, time_step, at_site):
    assert code(kind, revoked=True, time_step=time_step, at_candidate_site=at_site) == SIGN_REVOKED


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_a_display_code_within_one_step_matches(offset):
    assert code("display", time_step=1000 + offset, now_step=1000) == SIGN_MATCH


@pytest.mark.parametrize("offset", [-2, 2, -100, 500])
def test_a_display_code_further_than_one_step_has_expired(offset):
    assert code("display", time_step=1000 + offset, now_step=1000) == SIGN_EXPIRED


def test_a_display_code_expires_also_at_another_site():
    assert code("display", time_step=990, now_step=1000, at_candidate_site=False) == SIGN_EXPIRED


def test_a_display_sign_without_a_time_step_has_expired():
    # e.g. someone printed the display sign's id with a printed-style payload
    assert code("display", time_step=None) == SIGN_EXPIRED


def test_a_printed_sign_with_a_time_step_is_invalid():
    assert code("printed", time_step=1000, now_step=1000) == SIGN_INVALID


def test_a_current_display_code_of_another_site_is_other_site():
    assert code("display", time_step=1000, now_step=1000, at_candidate_site=False) == SIGN_OTHER_SITE


# --- the QR image -----------------------------------------------------------------------------

def test_the_rendered_qr_decodes_back_to_the_signed_payload():
    payload = make_payload(KEY, 42)
    image = render_qr(payload, module_px=4)
    assert image.mode == "L"
    assert image.width == image.height == (25 + 2 * 4) * 4  # version 2: 25 modules, 4-module quiet zone
    found = zxingcpp.read_barcodes(np.asarray(image))
    assert [barcode.text for barcode in found] == [payload]
    assert parse_payload(KEY, found[0].text) == SignPayload(42, None)
