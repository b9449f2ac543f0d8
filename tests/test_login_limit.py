"""The limit on failed desk logins, per username and per client address."""

from bot.gateway.login_limit import MAX_PER_ADDRESS, MAX_PER_USER, WINDOW_SECONDS, LoginLimiter


def limiter_at(moment):
    return LoginLimiter(clock=lambda: moment["now"])


def test_a_username_is_locked_after_its_failures_until_the_oldest_leaves_the_window():
    moment = {"now": 0.0}
    limiter = limiter_at(moment)
    for second in range(MAX_PER_USER):
        moment["now"] = float(second)
        assert limiter.retry_after("Anna", "10.0.0.1") == 0
        limiter.failed("Anna", "10.0.0.1")
    assert limiter.retry_after("anna", "10.0.0.2") == WINDOW_SECONDS - (
        MAX_PER_USER - 1
    )  # any case, any address
    moment["now"] = WINDOW_SECONDS + 0.5  # the first failure has left the window
    assert limiter.retry_after("anna", "10.0.0.1") == 0
    limiter.failed("anna", "10.0.0.1")
    assert limiter.retry_after("anna", "10.0.0.1") > 0


def test_a_right_password_clears_the_usernames_failures():
    limiter = limiter_at({"now": 0.0})
    for _ in range(MAX_PER_USER - 1):
        limiter.failed("anna", "10.0.0.1")
    limiter.succeeded("anna")
    limiter.failed("anna", "10.0.0.1")
    assert limiter.retry_after("anna", "10.0.0.1") == 0


def test_one_address_trying_many_usernames_is_locked():
    limiter = limiter_at({"now": 0.0})
    for number in range(MAX_PER_ADDRESS):
        limiter.failed(f"user{number}", "203.0.113.9")
    assert limiter.retry_after("somebody-new", "203.0.113.9") > 0
    assert limiter.retry_after("somebody-new", "198.51.100.1") == 0
