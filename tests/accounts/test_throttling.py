import pytest

PASSWORD = "correct horse battery"  # set by UserFactory


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True


def sign_in(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_sign_in_for_that_address(client, throttled, board_member):
    for _ in range(4):
        assert sign_in(client, board_member.username, "wrong password").status_code == 200

    locked = sign_in(client, board_member.username, "wrong password")

    assert locked.status_code == 429
    assert b"Sign-in locked" in locked.content
    assert b"locked for an hour" in locked.content
    assert b"contact an administrator" in locked.content
    # The right password no longer helps from that address.
    assert sign_in(client, board_member.username, PASSWORD).status_code == 429


def test_lock_out_leaves_other_addresses_free_to_sign_in(client, throttled, board_member):
    for _ in range(5):
        sign_in(client, board_member.username, "wrong password")

    response = sign_in(client, board_member.username, PASSWORD, address="10.0.0.2")

    assert response.status_code == 302
    assert response.url == "/"


def test_a_successful_sign_in_resets_the_count(client, throttled, board_member):
    for _ in range(4):
        sign_in(client, board_member.username, "wrong password")
    assert sign_in(client, board_member.username, PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        assert sign_in(client, board_member.username, "wrong password").status_code == 200
