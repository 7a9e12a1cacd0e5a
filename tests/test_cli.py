"""The ``drillbot`` command line, run as a real subprocess."""

from __future__ import annotations

import json

import pytest

from tests.platforms.console.test_console_week import run_cli


def test_check_validates_settings_bank_and_database(tmp_path):
    result = run_cli(["check"], tmp_path / "c.db")
    assert result.returncode == 0, result.stderr
    assert "drills: 166" in result.stdout and "live-debugging 26" in result.stdout
    assert "schema at empty" in result.stdout or "run 'drillbot db upgrade'" in result.stdout
    upgraded = run_cli(["db", "upgrade"], tmp_path / "c.db")
    assert upgraded.returncode == 0 and "schema at" in upgraded.stdout
    assert "up to date" in run_cli(["check"], tmp_path / "c.db").stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DRILLBOT_GRACE_MINUTES", "soon"), ("PORT", "99999"), ("DRILLBOT_LOG_FORMAT", "xml")],
)
def test_bad_settings_stop_start_up_naming_the_variable(tmp_path, variable, value):
    result = run_cli(["check"], tmp_path / "c.db", **{variable: value})
    assert result.returncode == 2
    assert variable in result.stderr and "Traceback" not in result.stderr


def test_a_malformed_custom_drill_folder_refuses_to_start(tmp_path):
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "bad.toml").write_text(
        '[[drill]]\nid = "ours-one"\nkind = "live-debugging"\ntitle = "Hi"\n'
    )
    result = run_cli(["run"], tmp_path / "c.db", "", DRILLBOT_CUSTOM_DRILLS_DIR=str(folder))
    assert result.returncode == 2
    assert (
        "bad.toml" in result.stderr and "ours-one" in result.stderr and "'title'" in result.stderr
    )


def test_drills_list_show_export_and_stats(tmp_path):
    listing = run_cli(
        ["drills", "list", "--kind", "design-warmup"], tmp_path / "c.db"
    ).stdout.splitlines()
    assert len(listing) == 24 and all("design-warmup" in line for line in listing)
    shown = run_cli(["drills", "show", "ld-dst-cron-double-billing"], tmp_path / "c.db")
    for part in ("Facts on request:", "Rubric, staff bar:", "Red flags:", "A strong answer:"):
        assert part in shown.stdout
    assert "Follow-ups:" in shown.stdout and "[rollback]" in shown.stdout
    missing = run_cli(["drills", "show", "no-such-drill"], tmp_path / "c.db")
    assert missing.returncode == 2 and "no drill with id" in missing.stderr
    exported = json.loads(run_cli(["drills", "export"], tmp_path / "c.db").stdout)
    assert len(exported) == 166 and set(exported[0]) == {
        "id",
        "kind",
        "title",
        "difficulty",
        "tags",
        "prompt",
        "facts",
        "rubric",
        "red_flags",
        "strong_answer",
        "follow_ups",
    }
    stats = run_cli(["drills", "stats"], tmp_path / "c.db").stdout
    assert "by kind:" in stats and "migration-review 26" in stats and "by tag:" in stats
    assert (
        "probes in code-review: failure-mode" in stats
        and "required topics: race-condition" in stats
    )
    assert "warning" not in stats


def test_import_adds_a_channels_own_drills_and_refuses_bad_ones(tmp_path):
    good = tmp_path / "ours.toml"
    good.write_text(
        '[[drill]]\nid = "ours-flaky-ci"\nkind = "live-debugging"\ntitle = "Our CI turned red at 3am"\n'
        'difficulty = 1\ntags = ["deploys"]\n'
        'prompt = "Since 03:00 every build fails at the dependency step with a 403 from the mirror. What now?"\n'
        'rubric = ["Checks the mirror credentials first", "Pins a fallback registry", "Tells the team what broke"]\n'
        'follow_ups = ["How would you have noticed before 09:00?"]\n'
    )
    result = run_cli(["drills", "import", str(good)], tmp_path / "c.db")
    assert result.returncode == 0, result.stderr
    assert "imported 1 drill" in result.stdout
    clash = tmp_path / "clash.json"
    exported = json.loads(run_cli(["drills", "export"], tmp_path / "c.db").stdout)
    clash.write_text(json.dumps(exported[:1]))
    refused = run_cli(["drills", "import", str(clash)], tmp_path / "c.db")
    assert refused.returncode == 2 and "already used by the shipped bank" in refused.stderr


def test_status_lists_channels_and_posts(tmp_path):
    run_cli(["run", "--start", "2026-11-23T08:00:00Z"], tmp_path / "s.db", "clock +1h\n")
    result = run_cli(["status"], tmp_path / "s.db")
    assert result.returncode == 0, result.stderr
    assert "1 channel(s)" in result.stdout and "console:local:drills" in result.stdout


def test_tokens_are_never_printed(tmp_path):
    secret = "xoxb-111-222-abcdefSECRET"
    result = run_cli(["check"], tmp_path / "c.db", SLACK_BOT_TOKEN=secret, PORT="nope")
    assert result.returncode == 2
    assert secret not in result.stdout + result.stderr


EXPORT_SCRIPT = """admins alice
clock +1h
bob: #t1 Mitigate first: pause the job, list the duplicate charges, refund them and tell support what to say.
carol: #t1 Stop the cron job, then compare provider charges with our ledger before refunding anyone at all.
carol: /vote 1
bob: /streak export
bob: /streak card
alice: /drill-admin export json
clock +1d
"""


def test_export_from_the_console_and_the_cli_and_import_it_back(tmp_path):
    files = tmp_path / "files"
    args = ["run", "--start", "2026-11-23T08:00:00Z", "--files", str(files)]
    console = run_cli(args, tmp_path / "e.db", EXPORT_SCRIPT)
    assert console.returncode == 0, console.stderr
    assert f"File: {files}/drillbot-bob-2026-11-23.zip" in console.stdout
    assert (files / "drillbot-drills-2026-11-23.zip").stat().st_size > 0
    assert (files / "streak-card-bob-2026-11-23.png").read_bytes().startswith(b"\x89PNG")
    assert "Description: Stats card. bob: current streak 1 drill day" in console.stdout
    out = tmp_path / "out"
    channel = ["--channel", "console:local:drills"]
    exported = run_cli(
        ["export", *channel, "--format", "json", "--out", str(out)], tmp_path / "e.db"
    )
    assert exported.returncode == 0, exported.stderr
    assert f"{out}/votes.json: 1 rows" in exported.stdout
    standings = [
        json.loads(line.rstrip(","))
        for line in (out / "standings.json").read_text().splitlines()[1:-1]
    ]
    assert [(s["display_name"], s["points"]) for s in standings] == [("bob", 6), ("carol", 2)]
    fresh = run_cli(["import-export", str(out), *channel], tmp_path / "fresh.db")
    assert fresh.returncode == 0, fresh.stderr
    assert "votes 1" in fresh.stdout
    again = tmp_path / "again"
    run_cli(["export", *channel, "--out", str(again)], tmp_path / "fresh.db")
    assert (again / "standings.csv").read_text().splitlines()[1:] == [
        "bob,bob,6,1,1",
        "carol,carol,2,1,0",
    ]
    report = run_cli(["stats", *channel, "--at", "2026-11-24T08:00:00Z"], tmp_path / "e.db")
    assert report.returncode == 0, report.stderr
    assert (
        "2 daily drills; on average 1.0 of 2 active members answered each (50%)." in report.stdout
    )
    assert "Median time to first answer: 0 min." in report.stdout
    refused = run_cli(["export", "--channel", "nope", "--out", str(out)], tmp_path / "e.db")
    assert refused.returncode == 2 and "PLATFORM:SPACE:CHANNEL" in refused.stderr
