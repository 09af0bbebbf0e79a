"""Query ceilings for pages whose body is kept in the page cache: the first view after a
change draws the body and stores it; later views read it back and draw only the layout."""

# Drawing a page costs its own queries plus reading the data's revision, the plan and the
# reader's rights in it, and for the body a cache miss and storing it (a count, a
# savepoint pair, a look-up and the insert).
DRAWN = 13
# Reading a cached page: session, user, revision, plan, the reader's memberships of it,
# the cached body and the page's own look-ups (the workstream, the action or the measure).
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
