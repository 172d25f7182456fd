from bot.limits import UserRateLimit, Verdict
from bot.state import BotState, short_key


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_burst_is_allowed_then_one_warning_then_silence_until_refilled():
    clock = Clock()
    limit = UserRateLimit(burst=3, per_seconds=30, clock=clock)
    assert [limit.check(7) for _ in range(6)] == [Verdict.OK] * 3 + [Verdict.WARN, Verdict.DROP, Verdict.DROP]
    assert limit.check(8) is Verdict.OK  # other users are not affected
    clock.now += 10  # one question's worth refills
    assert [limit.check(7), limit.check(7)] == [Verdict.OK, Verdict.WARN]


def test_button_keys_survive_a_reopen_and_refusals_come_once_a_day(tmp_path):
    state = BotState(tmp_path / "bot.sqlite3")
    key = state.remember("what was reported about Rovno?")
    assert key == short_key("what was reported about Rovno?") and len(key) == 16
    assert [state.should_refuse("user:9"), state.should_refuse("user:9")] == [True, False]
    state.close()
    again = BotState(tmp_path / "bot.sqlite3")
    assert again.recall(key) == "what was reported about Rovno?"
    assert again.recall("nope") is None
    assert again.should_refuse("user:9") is False
    assert again.should_refuse("user:9", every_seconds=0) is True
