"""A cached page body is shown to every reader, so it must hold nothing of one user's own."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_cached_page_body_holds_a_csrf_token():
    bodies = [path for path in ROOT.glob("*/templates/*/_*_body.html")]

    assert len(bodies) >= 9
    for path in bodies:
        text = path.read_text()
        assert "csrf_token" not in text, path
        assert "request.user" not in text and "csp_nonce" not in text and "csrf" not in text, path
