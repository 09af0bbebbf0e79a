from django.http import HttpRequest


def csp_nonce(request: HttpRequest) -> dict:
    """The script nonce for base.html; a page kept whole in the page cache is drawn with a
    stand-in here, replaced by each response's own nonce as it is sent."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
