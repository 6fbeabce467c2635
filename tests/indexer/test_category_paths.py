"""Category paths built, ordered and taken apart: pure functions, no services."""

from __future__ import annotations

import pytest

from indexer import category_paths as cp
from indexer.clean.metadata.model import supplied

pytestmark = pytest.mark.unit


def test_a_chain_gives_its_path_and_every_ancestors():
    assert cp.expand([("World", "Europe", "Balkans"), ("World", "Asia"), ("News",)]) == [
        "World", "World > Europe", "World > Europe > Balkans", "World > Asia", "News"]


def test_names_keep_their_own_spelling_with_spaces_tidied():
    assert cp.expand([(" World  Affairs", "Middle East ")]) == [
        "World Affairs", "World Affairs > Middle East"]


def test_a_path_taken_apart():
    assert (cp.label("World > Europe"), cp.parent("World > Europe"), cp.parent("World")) == (
        "Europe", "World", None)
    assert cp.split(cp.join(["a", "b", "c"])) == ["a", "b", "c"]


def test_each_category_takes_the_chain_ending_in_it_else_stands_alone():
    chains = [("World", "Europe"), ("Sport", "Cycling")]
    # Cycling is not among the categories (another source said it): its chain is left out.
    assert cp.chains_of(["europe", "News"], chains) == [("World", "Europe"), ("News",)]
    assert cp.chains_of([], chains) == []


def test_the_same_name_under_two_parents_stays_two_paths():
    assert cp.expand([("World", "News"), ("Sport", "News")]) == [
        "World", "World > News", "Sport", "Sport > News"]


def test_tree_order_puts_children_under_their_parent_in_the_given_order():
    assert cp.tree_order(["B", "A", "A > y", "B > x", "A > y > z", "A > w"]) == [
        ("B", 0), ("B > x", 1), ("A", 0), ("A > y", 1), ("A > y > z", 2), ("A > w", 1)]


def test_a_grandchild_whose_parent_is_missing_hangs_from_its_nearest_ancestor_shown():
    assert cp.tree_order(["A", "A > b > c", "Z > y"]) == [("A", 0), ("A > b > c", 1), ("Z > y", 0)]


def test_a_publisher_states_chains_as_lists_of_names():
    facts = supplied({"categories": ["Europe"], "category_paths": [["World", "Europe"], ["bad", 3], [], "x"]})
    assert facts.category_paths == [("World", "Europe")]
    assert supplied({"category_paths": "World > Europe"}).category_paths == []
