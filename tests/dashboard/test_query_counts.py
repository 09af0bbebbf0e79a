"""Each page of the board's views runs a fixed number of queries whatever the plan's size:
the same ceiling at Essex size (60 actions) and at 100 times that (6,000 actions and
60,000 progress updates, built with bulk_create by bench.data). The first view after a
change draws the page (and caches it); every later view until the next change reads it
back in a handful of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bench.data import build_plan
from tests.factories import Role, UserFactory, member
from tests.query_counts import assert_drawn_then_cached

# Each page's own queries when drawn, beyond the DRAWN every drawn page costs.
PAGES = [
    # The next evidence deadline is one query of its own; each list that needs attention
    # is two, its first rows and, when there are more, its count.
    ("dashboard:home", {}, "", 13),
    # One of them the audit trail's head, which the pack attests.
    ("dashboard:board_pack", {}, "", 14),
    ("workstreams:detail", {"code": "JC"}, "", 9),
    ("workstreams:detail", {"code": "JC"}, "?page=3&sort=-rag", 9),
    ("actions:list", {}, "", 3),
    ("actions:list", {}, "?rag=red&rag=amber&overdue=on&no_update=on&q=action&sort=-ref&page=2",
     3),
    ("actions:export_csv", {}, "?workstream=JC&rag=red", 3),
    ("actions:export_xlsx", {}, "?overdue=on", 3),
]


@pytest.mark.parametrize("scale", [1, 100])
def test_pages_run_a_fixed_number_of_queries(db, client, scale, django_assert_max_num_queries):
    bench = build_plan(slug="bench", scale=scale, today=timezone.localdate())
    client.force_login(member(UserFactory(username="bench-board-member"), bench, Role.BOARD))
    for name, kwargs, query, ceiling in PAGES:
        url = reverse(name, kwargs={"plan_slug": bench.slug, **kwargs}) + query
        assert_drawn_then_cached(client, url, ceiling, django_assert_max_num_queries)
