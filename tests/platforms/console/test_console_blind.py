"""A blind drill in the console, through the real CLI: private answers, one reveal, reviews."""

from __future__ import annotations

from tests.platforms.console.test_console_week import run_cli

SCRIPT = """admins alice
alice: /drill-admin min-length 30
alice: /drill-admin blind on
alice: /drill-admin review-window 6h
clock +1h30m
bob: #t1 Pause the renewal job first, then list the duplicate charges.
bob: #t1 /answer Pause the renewal job first, then list the duplicate charges.
carol: /answer Add an idempotency key per subscription and billing period.
dave: #t1 /vote 1
clock +23h40m
dave: #t1 /vote 1
dave: #t1 /review 2 1,5 staff fixes the class of bug
erin: #t1 Late, but: roll back the cron change and refund in checked batches.
clock +6h
"""


def test_a_blind_day_in_the_console(tmp_path):
    result = run_cli(["run", "--start", "2026-11-23T08:00:00Z"], tmp_path / "b.db", SCRIPT)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "(to bob) Drillbot: This drill is blind: answers in the thread are not taken" in out
    assert "(to bob) Drillbot: Recorded privately as answer #1" in out
    assert "(to carol) Drillbot: Recorded privately as answer #2" in out
    before, after = out.split("blind drill's 2 answers are revealed in its thread", 1)
    assert "vote if you would hire this answer" not in before  # no ballot before the reveal
    assert "(to dave) Drillbot: This drill is blind: answers are revealed together" in before
    ballots = [line for line in after.splitlines() if "vote if you would hire this answer" in line]
    assert len(ballots) == 2
    assert "    Add an idempotency key per subscription and billing period." in after
    assert "(to dave) Drillbot: Vote recorded for bob's answer (now 1)." in after
    assert "(to dave) Drillbot: Saved your review of answer 2" in after
    assert "(to erin) Drillbot: Recorded as late answer #3" in after  # late answers, as always
    results = after.split("**Results: ", 1)[1]
    assert "2 answers, 1 voter." in results and "Answer 2 by carol, 1 review" in results
    assert "Traceback" not in out + result.stderr
