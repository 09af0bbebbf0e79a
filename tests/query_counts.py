"""Query ceilings for pages kept in the page cache: the first view after a change draws
the page and stores it; later views read it back."""

# Drawing a page costs its own queries plus reading the data's revision, and for the
# shared body and the user's whole page each a cache miss and storing it (a count, a
# savepoint pair, a look-up and the insert).
DRAWN = 13
# Reading a cached page: session, user, roles, plan, revision, cache and the page's own
# look-ups (the plan list, the workstream or the action, the permissions).
CACHED = 7


def assert_drawn_then_cached(client, url: str, ceiling: int, django_assert_max_num_queries):
    """The page within `ceiling` queries of its own when drawn, and within CACHED after;
    returns both responses, which show the same page."""
    with django_assert_max_num_queries(ceiling + DRAWN):
        drawn = client.get(url)
    with django_assert_max_num_queries(CACHED):
        cached = client.get(url)
    assert drawn.status_code == cached.status_code == 200, url
    return drawn, cached
