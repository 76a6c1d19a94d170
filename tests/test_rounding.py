"""Published hectares: rounded once, so the identities hold exactly as the files state them."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kotaku_map.rounding import HA_UNIT, apportion, ha_units, round_ha, to_ha


def test_noise_below_zero_is_zero_and_figures_have_four_decimals():
    assert round_ha(np.array([-0.0015, -1e-12, 0.00004, 0.00005001])).tolist() == [
        0.0,
        0.0,
        0.0,
        0.0001,
    ]
    assert f"{to_ha(np.array([138016]))[0]:.4f}" == "13.8016"


def test_a_covered_area_above_its_slum_by_float_noise_is_made_equal():
    # the demo's first kelurahan: tercakup 13.801586 ha measured, kumuh 13.80158 ha
    total, parts = apportion(np.array([13.80158]), np.array([[13.801586, 0.0, 0.0]]))
    assert total.tolist() == [138016] and parts.tolist() == [[138016, 0, 0]]


def test_a_slum_without_measured_parts_goes_to_the_rest_part():
    total, parts = apportion(np.array([2.0, 0.0]), np.zeros((2, 3)), rest=1)
    assert parts.tolist() == [[0, 20000, 0], [0, 0, 0]]


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.floats(-1e-6, 3000, allow_nan=False), min_size=1, max_size=4),
            st.floats(-1e-4, 1e-4),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_parts_add_up_to_their_total_exactly_and_stay_near_what_was_measured(rows):
    width = max(len(p) for p, _ in rows)
    parts = np.zeros((len(rows), width))
    for i, (p, _) in enumerate(rows):
        parts[i, : len(p)] = p
    # the measured total: the parts' sum, give or take overlay noise
    noise = np.array([n for _, n in rows])
    totals = np.clip(parts, 0, None).sum(axis=1) + noise
    t, u = apportion(totals, parts)
    assert (u.sum(axis=1) == t).all()
    assert (u >= 0).all() and (t == ha_units(totals)).all()
    expected = np.clip(parts, 0, None) * HA_UNIT
    scale = np.where(expected.sum(1) > 0, t / np.maximum(expected.sum(1), 1e-300), 0)
    assert (np.abs(u - expected * scale[:, None]) < 1 + 1e-6).all()
