"""Replay detection (checkin.verification.replay) and the pure face helpers it leans on
(checkin.verification.faces): no face detection is run here, encodings are synthetic."""

import numpy as np
import pytest

from checkin.verification.faces import encoding_from_bytes, encoding_to_bytes, face_distance
from checkin.verification.replay import (FACE_REUSE_MAX_DISTANCE, PHASH_MAX_DISTANCE, RECENT_SELFIES, hamming,
                                         is_near_duplicate, perceptual_hash)
from geofences.policy import DEFAULT_FACE_TOLERANCE_PHOTO
from tests.support.replay_inputs import encoding, flip_bits, picture, reencoded, shifted


# --- the limits --------------------------------------------------------------------------------

def test_the_limits_are_phash_4_face_0_12_over_the_last_500_selfies():
    """The photo's hash (poster masked) decides only without a face hash; 4, not 8: two
    different selfies at one sign measured from 6 apart (bench/replay.py)."""
    assert (PHASH_MAX_DISTANCE, FACE_REUSE_MAX_DISTANCE, RECENT_SELFIES) == (4, 0.12, 500)


# --- perceptual hashes -------------------------------------------------------------------------

def test_a_perceptual_hash_is_64_bits_in_hex():
    value = perceptual_hash(picture(1))
    assert len(value) == 16 and int(value, 16) >= 0


def test_hamming_counts_differing_bits():
    assert hamming("0000000000000000", "0000000000000000") == 0
    assert hamming("0000000000000000", "ffffffffffffffff") == 64
    assert hamming("00000000000000ff", "000000000000000f") == 4
    assert hamming("8ce3d8b83acbc534", flip_bits("8ce3d8b83acbc534", 9)) == 9


def test_the_same_picture_re_encoded_resized_or_grey_keeps_its_hash_close():
    original = picture(1)
    value = perceptual_hash(original)
    assert perceptual_hash(picture(1)) == value
    for copy in (reencoded(original, 40), original.resize((160, 120)), original.convert("L"),
                 original.point(lambda v: min(255, v + 20))):
        assert hamming(value, perceptual_hash(copy)) <= PHASH_MAX_DISTANCE


def test_different_pictures_are_far_apart():
    value = perceptual_hash(picture(1))
    assert all(hamming(value, perceptual_hash(picture(seed))) > PHASH_MAX_DISTANCE for seed in range(2, 12))


# --- is_near_duplicate ------------------------------------------------------------------------

def test_an_empty_history_has_no_duplicate():
    assert not is_near_duplicate(perceptual_hash(picture(1)), encoding(1), [])


def test_an_identical_hash_is_a_duplicate():
    value = perceptual_hash(picture(1))
    assert is_near_duplicate(value, None, [(value, None)])


def test_a_re_encoded_copy_of_an_earlier_selfie_is_a_duplicate():
    earlier = perceptual_hash(picture(1))
    assert is_near_duplicate(perceptual_hash(reencoded(picture(1), 30)), None, [(earlier, None)])


@pytest.mark.parametrize("bits, duplicate", [(1, True), (4, True), (5, False), (20, False)])
def test_a_hash_within_4_bits_is_a_duplicate_and_beyond_is_not(bits, duplicate):
    value = perceptual_hash(picture(1))
    assert is_near_duplicate(flip_bits(value, bits), None, [(value, None)]) is duplicate


def test_a_different_picture_is_not_a_duplicate():
    history = [(perceptual_hash(picture(seed)), encoding(seed)) for seed in range(2, 12)]
    assert not is_near_duplicate(perceptual_hash(picture(1)), encoding(1), history)


@pytest.mark.parametrize("distance, duplicate", [(0.0, True), (0.05, True), (0.119, True), (0.121, False),
                                                 (0.3, False)])
def test_a_face_encoding_within_0_12_is_a_duplicate_whatever_the_hash(distance, duplicate):
    # The scene differs (a crop, a turn): only the face gives it away.
    base = encoding(1)
    history = [(perceptual_hash(picture(2)), shifted(base, distance))]
    assert is_near_duplicate(perceptual_hash(picture(1)), base, history) is duplicate


def test_one_near_copy_anywhere_in_the_history_is_enough():
    value = perceptual_hash(picture(1))
    history = [(perceptual_hash(picture(seed)), encoding(seed)) for seed in range(2, 8)] + [(value, None)]
    assert is_near_duplicate(value, encoding(1), history)


def test_missing_hashes_and_encodings_are_skipped():
    value = perceptual_hash(picture(1))
    assert not is_near_duplicate(value, None, [(None, None), (None, encoding(1))])
    assert not is_near_duplicate(value, encoding(1), [(None, None)])
    assert is_near_duplicate(value, encoding(1), [(None, encoding(1))])


# --- the pure face helpers -----------------------------------------------------------------------

def test_face_distance_is_the_smallest_euclidean_distance_to_the_enrolled_encodings():
    base = encoding(1)
    enrolled = [shifted(base, 0.7), shifted(base, 0.4), shifted(base, 0.9)]
    assert face_distance(base, enrolled) == pytest.approx(0.4)
    assert face_distance(base, enrolled) <= DEFAULT_FACE_TOLERANCE_PHOTO
    assert face_distance(base, [base]) == 0.0


def test_an_encoding_survives_storage_as_32_bit_floats():
    original = encoding(7)
    data = encoding_to_bytes(original)
    assert len(data) == 128 * 4
    restored = encoding_from_bytes(data)
    assert restored.dtype == np.float64 and restored.shape == (128,)
    assert np.allclose(restored, original, atol=1e-6)
    assert face_distance(restored, [original]) < 1e-5
