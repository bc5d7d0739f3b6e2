"""scope.parse_filters: the one filter parser the CLI, the UI and the REST API share."""

import pytest

from gdc_assistant.corpus import Filters
from gdc_assistant.errors import InvalidFilterError
from gdc_assistant.scope import parse_filters


def test_nothing_set_is_no_filter():
    assert parse_filters() is None
    assert parse_filters(sdgs=("",), action_lines=("",), objectives=("",)) is None  # dropdowns


def test_explicit_only_alone_is_a_filter():
    assert parse_filters(explicit_only=True) == Filters(include_all=False)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"sdgs": ("5",)}, Filters(sdgs=(5,))),
        ({"sdgs": (5, 16)}, Filters(sdgs=(5, 16))),
        ({"sdgs": "9"}, Filters(sdgs=(9,))),  # one value where a list is expected
        ({"sdgs": ("SDG 9",)}, Filters(sdgs=(9,))),
        ({"action_lines": ("c7 e-health",)}, Filters(action_lines=("C7 E-health",))),
        ({"action_lines": ("C10", "c10")}, Filters(action_lines=("C10",))),
        ({"objectives": ("3",)}, Filters(objectives=(3,))),
        ({"objectives": (3,)}, Filters(objectives=(3,))),
        ({"objectives": ("Follow-up",)}, Filters(objectives=("follow-up",))),
        ({"objectives": ("FR",)}, Filters(objectives=("follow-up",))),
        (
            {"sdgs": ("5",), "objectives": ("follow-up",), "explicit_only": True},
            Filters(sdgs=(5,), objectives=("follow-up",), include_all=False),
        ),
    ],
)
def test_values_become_filters(kwargs, expected):
    assert parse_filters(**kwargs) == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"objectives": ("7",)}, r"there is no objective '7': use 1-5 or follow-up\.$"),
        ({"sdgs": ("18",)}, r"there is no SDG '18': SDGs run from 1 to 17\.$"),
        ({"sdgs": (0,)}, "there is no SDG '0'"),
        ({"sdgs": ("five",)}, "there is no SDG 'five'"),
        ({"action_lines": ("C12",)}, r"there is no WSIS Action Line C12 .*use C1-C11"),
        ({"action_lines": ("C7 E-sport",)}, "unknown Action Line C7 E-sport"),
    ],
)
def test_values_that_do_not_exist_say_what_does(kwargs, message):
    with pytest.raises(InvalidFilterError, match=message) as error:
        parse_filters(**kwargs)
    assert "\n" not in str(error.value)
