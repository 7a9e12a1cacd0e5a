"""``drillbot run`` as a real subprocess, connected to the local fakes of Discord and Slack."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sqlite3
import sys
from pathlib import Path

import aiohttp

from tests.fakes.discord.server import FakeDiscord
from tests.fakes.slack import FakeSlack, slash_command
from tests.platforms.console.test_console_week import run_cli


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bot_environment(database_url: str, **env: str) -> dict[str, str]:
    """This process's environment without any bot settings, then ``database_url``, sweeps every
    second and ``env``."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISCORD", "SLACK", "DRILLBOT_", "PORT"))
    }
    environment.update(DATABASE_URL=database_url, DRILLBOT_SWEEP_SECONDS="1", **env)
    return environment


async def start_bot(database: Path, **env: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=bot_environment(f"sqlite:///{database}", **env),
    )


async def stop_bot(process: asyncio.subprocess.Process) -> str:
    """SIGTERM, as a platform stops a process; returns everything it logged."""
    process.send_signal(signal.SIGTERM)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    return (out + err).decode()


async def test_drillbot_run_serves_slack_over_http_and_stops_cleanly(tmp_path):
    port = free_port()
    async with FakeSlack() as fake:
        bot = await start_bot(
            tmp_path / "slack.db",
            SLACK_BOT_TOKEN=fake.bot_token,
            SLACK_SIGNING_SECRET=fake.signing_secret,
            PORT=str(port),
            DRILLBOT_SLACK_API_URL=fake.base_url,
        )
        try:
            async with aiohttp.ClientSession() as session:
                await _healthy(session, f"http://127.0.0.1:{port}/healthz")
                command = slash_command(text="help", response_url=fake.new_response_url())
                request = command.signed(fake.signing_secret)
                url = f"http://127.0.0.1:{port}/slack/events"
                async with session.post(
                    url, data=request.body, headers=request.headers
                ) as response:
                    assert response.status == 200
                reply = await fake.wait_for_response(timeout=10)
                assert "Drillbot commands" in str(reply)
        finally:
            logged = await stop_bot(bot)
    assert fake.bot_token not in logged and fake.signing_secret not in logged


async def _healthy(session: aiohttp.ClientSession, url: str) -> None:
    for _ in range(300):
        try:
            async with session.get(url) as response:
                if response.status == 200:
                    return
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never answered")


async def test_drillbot_run_connects_to_discord_and_stops_cleanly(tmp_path):
    async with FakeDiscord() as fake:
        fake.add_guild("Study group")
        bot = await start_bot(
            tmp_path / "discord.db",
            DISCORD_TOKEN=fake.token,
            DRILLBOT_DISCORD_API_URL=fake.api_url,
            DRILLBOT_DISCORD_GATEWAY_URL=fake.gateway_url,
        )
        try:
            await fake.wait_until(
                lambda: fake.identify_count >= 1 and len(fake.commands()) >= 3, timeout=60
            )
            names = {command.name for command in fake.commands()}
            assert {"drill", "streak", "leaderboard", "drill-admin"} <= names
        finally:
            logged = await stop_bot(bot)
    assert fake.token not in logged


async def test_drillbot_run_exits_non_zero_naming_the_fix_when_discord_rejects_the_token(tmp_path):
    """A fatal close mid-run (4004: the token was reset) ends the process, so it never sits deaf."""
    database = tmp_path / "fatal.db"
    async with FakeDiscord() as fake:
        fake.add_guild("Study group")
        bot = await start_bot(
            database,
            DISCORD_TOKEN=fake.token,
            DRILLBOT_DISCORD_API_URL=fake.api_url,
            DRILLBOT_DISCORD_GATEWAY_URL=fake.gateway_url,
        )
        try:
            await fake.wait_until(lambda: _connection_state(database) == "connected", 60)
            await asyncio.sleep(0.5)  # running: the scheduler is up and the watch is on
            await fake.disconnect_clients(4004)
            _, err = await asyncio.wait_for(bot.communicate(), 30)
        finally:
            if bot.returncode is None:
                bot.kill()
                await bot.wait()
    logged = err.decode()
    assert bot.returncode == 1, logged
    errors = [line for line in logged.splitlines() if " ERROR " in line]
    assert len(errors) == 1 and "4004 (authentication failed)" in errors[0]
    assert "DISCORD_TOKEN" in errors[0] and "Traceback" not in logged
    status = run_cli(["status"], database)
    assert "discord: failed since" in status.stdout and "4004" in status.stdout


def _connection_state(database: Path) -> str | None:
    """What the bot recorded about its Discord connection (None before it recorded anything)."""
    if not database.exists():
        return None
    with contextlib.closing(sqlite3.connect(database, timeout=5)) as db:
        try:
            row = db.execute("SELECT state FROM connections WHERE platform = 'discord'").fetchone()
        except sqlite3.OperationalError:  # not migrated yet
            return None
    return None if row is None else str(row[0])


def _errors(logged: str) -> list[str]:
    return [line for line in logged.splitlines() if " ERROR " in line]


async def test_drillbot_run_exits_non_zero_when_slack_refuses_the_app_token(tmp_path):
    async with FakeSlack() as fake:
        bot = await start_bot(
            tmp_path / "socket.db",
            SLACK_BOT_TOKEN=fake.bot_token,
            SLACK_APP_TOKEN="xapp-1-A0FAKEAPP1-9-not-a-token",
            DRILLBOT_SLACK_API_URL=fake.base_url,
        )
        out, err = await asyncio.wait_for(bot.communicate(), 60)
    logged = (out + err).decode()
    assert bot.returncode == 1, logged
    [error] = _errors(logged)
    assert "invalid_auth" in error and "SLACK_APP_TOKEN" in error and "connections:write" in error
    assert "Traceback" not in logged


async def test_drillbot_run_exits_non_zero_when_the_app_token_is_revoked_while_running(tmp_path):
    async with FakeSlack() as fake:
        bot = await start_bot(
            tmp_path / "socket.db",
            SLACK_BOT_TOKEN=fake.bot_token,
            SLACK_APP_TOKEN=fake.app_token,
            DRILLBOT_SLACK_API_URL=fake.base_url,
        )
        try:
            await fake.socket.wait_connected(timeout=60)
            fake.revoke_token(fake.app_token)
            await fake.socket.close()
            out, err = await asyncio.wait_for(bot.communicate(), 60)
        finally:
            if bot.returncode is None:
                bot.kill()
                await bot.wait()
    logged = (out + err).decode()
    assert bot.returncode == 1, logged
    [error] = _errors(logged)
    assert "token_revoked" in error and "SLACK_APP_TOKEN" in error
    assert fake.app_token not in logged
