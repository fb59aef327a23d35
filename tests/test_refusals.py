"""The shared refusal text: each distinct operation once, with its count and first few places."""

from __future__ import annotations

from cnncalc.importers.refusals import grouped


def test_each_operation_is_named_once_in_order_of_first_appearance_with_its_count():
    refused = [("TopK", "a"), ("Einsum", "e"), ("TopK", "b"), ("TopK", "c"), ("TopK", "d")]
    assert grouped(refused) == "TopK ×4 (a, b, c, …), Einsum (e)"


def test_a_hundred_nodes_of_one_operator_stay_one_short_phrase():
    text = grouped(("Loop", f"/blocks.{i}/Loop") for i in range(100))
    assert text == "Loop ×100 (/blocks.0/Loop, /blocks.1/Loop, /blocks.2/Loop, …)"


def test_a_huge_place_name_is_cut():
    text = grouped([("X", "n" * 10_000)])
    assert len(text) < 80 and text.endswith("…)")
