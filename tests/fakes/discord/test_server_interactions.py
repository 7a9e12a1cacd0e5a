"""discord.py's CommandTree, Views and Modals driven through FakeDiscord interactions."""

from __future__ import annotations

import asyncio

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from . import permissions as perm
from .conftest import World
from .harness import Inbox, client_options, running_client
from .models import FakeGuild
from .server import FakeDiscord

CALLBACK = "/interactions/{interaction_id}/{token}/callback"
MODAL_ID = "drill:answer-modal"
BUTTON_ID = "drill:reveal"


class AnswerModal(discord.ui.Modal, title="Your answer"):
    answer: discord.ui.TextInput[AnswerModal] = discord.ui.TextInput(
        label="Answer", custom_id="answer", style=discord.TextStyle.paragraph
    )

    def __init__(self, inbox: Inbox) -> None:
        super().__init__(custom_id=MODAL_ID)
        self.inbox = inbox

    async def on_submit(self, interaction: discord.Interaction) -> None:
        self.inbox.put("modal", self.answer.value)
        await interaction.response.send_message("Answer saved", ephemeral=True)


class RevealView(discord.ui.View):
    """Persistent: no timeout and every item has a custom_id."""

    def __init__(self, inbox: Inbox) -> None:
        super().__init__(timeout=None)
        self.inbox = inbox

    @discord.ui.button(label="Reveal", custom_id=BUTTON_ID, style=discord.ButtonStyle.primary)
    async def reveal(
        self, interaction: discord.Interaction, button: discord.ui.Button[RevealView]
    ) -> None:
        self.inbox.put("click", interaction)
        await interaction.response.edit_message(content="Model answer: cache at the edge")


class LevelView(discord.ui.View):
    def __init__(self, inbox: Inbox) -> None:
        super().__init__(timeout=30)
        self.inbox = inbox

    @discord.ui.select(
        custom_id="drill:level",
        options=[discord.SelectOption(label=v.title(), value=v) for v in ("senior", "staff")],
    )
    async def level(
        self, interaction: discord.Interaction, select: discord.ui.Select[LevelView]
    ) -> None:
        self.inbox.put("level", select.values)
        await interaction.response.defer()
        await interaction.edit_original_response(content=f"Level: {select.values[0]}")


def drill_bot(inbox: Inbox, guild: FakeGuild) -> commands.Bot:
    bot = commands.Bot(command_prefix="!", **client_options())
    scope = discord.Object(guild.id)

    @app_commands.command(name="drill", description="Get today's drill")
    @app_commands.describe(topic="What to drill")
    async def drill(interaction: discord.Interaction, topic: str, hard: bool = False) -> None:
        inbox.put("drill", (interaction, topic, hard))
        await interaction.response.send_message(f"Drill on {topic}", ephemeral=True)

    @app_commands.command(name="answer", description="Answer today's drill")
    async def answer(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(AnswerModal(inbox))

    @app_commands.command(name="report", description="Slow report")
    async def report(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("Report ready")

    stats = app_commands.Group(name="stats", description="Statistics")

    @stats.command(name="show", description="Show stats")
    async def show(interaction: discord.Interaction, who: discord.Member) -> None:
        inbox.put("stats", who)
        await interaction.response.send_message(f"{who.display_name}: 3 drills")

    bot.tree.add_command(drill, guild=scope)
    bot.tree.add_command(answer, guild=scope)
    bot.tree.add_command(report, guild=scope)
    bot.tree.add_command(stats, guild=scope)

    async def setup_hook() -> None:
        bot.add_view(RevealView(inbox))
        inbox.put("synced", await bot.tree.sync(guild=scope))

    bot.setup_hook = setup_hook  # type: ignore[method-assign]
    return bot


async def test_slash_command_reaches_callback_and_ephemeral_reply(
    fake: FakeDiscord, world: World
) -> None:
    guild, channel, alice = world
    inbox = Inbox()
    async with running_client(drill_bot(inbox, guild), fake):
        synced = {c.name: c.id for c in await inbox.get("synced")}
        record = await fake.invoke_slash(
            guild, channel, alice, "drill", options={"topic": "caching"}
        )
        interaction, topic, hard = await inbox.get("drill")
        response = await record.wait_for_response()
    assert synced == {c.name: c.id for c in fake.commands(guild)}
    assert record.payload["data"]["id"] == str(synced["drill"])
    assert (topic, hard) == ("caching", False)
    assert interaction.user.id == alice.id and interaction.channel_id == channel.id
    assert interaction.permissions.send_messages and interaction.app_permissions.send_messages
    assert response == {
        "type": 4,
        "data": {"content": "Drill on caching", "flags": 64, **_extra(response)},
    }
    assert record.ephemeral and record.message is not None
    sent = fake.requests_to("POST", CALLBACK)[0]
    assert sent.query == {"with_response": "1"} and sent.headers.get("Authorization") is None
    assert not any(e.name == "MESSAGE_CREATE" for e in fake.events)  # ephemeral: no gateway echo


def _extra(response: dict[str, object]) -> dict[str, object]:
    """Keys discord.py adds besides content/flags (tts, components...), version dependent."""
    data = response["data"]
    assert isinstance(data, dict)
    return {k: v for k, v in data.items() if k not in ("content", "flags")}


async def test_subcommand_with_member_option(fake: FakeDiscord, world: World) -> None:
    guild, channel, alice = world
    bob = fake.add_member(guild, "bob", nick="Bobby")
    inbox = Inbox()
    async with running_client(drill_bot(inbox, guild), fake):
        await inbox.get("synced")
        record = await fake.invoke_slash(
            guild, channel, alice, "stats", subcommand="show", options={"who": bob}
        )
        who = await inbox.get("stats")
        await record.wait_for_response()
        await fake.wait_until(lambda: any(e.name == "MESSAGE_CREATE" for e in fake.events))
    assert isinstance(who, discord.Member) and who.id == bob.id and who.display_name == "Bobby"
    assert record.message is not None and record.message["content"] == "Bobby: 3 drills"
    assert record.message["interaction_metadata"]["user"]["id"] == str(alice.id)


async def test_defer_then_followup_fills_the_thinking_message(
    fake: FakeDiscord, world: World
) -> None:
    guild, channel, alice = world
    inbox = Inbox()
    async with running_client(drill_bot(inbox, guild), fake):
        await inbox.get("synced")
        record = await fake.invoke_slash(guild, channel, alice, "report")
        await record.wait_for_followups(1)
    assert record.response_type == 5
    assert record.message is not None and record.message["content"] == "Report ready"
    assert record.message["flags"] & 128 == 0  # no longer LOADING
    assert fake.requests_to("POST", "/webhooks/{application_id}/{token}")[0].query["wait"] == "1"


async def test_persistent_view_button_click(fake: FakeDiscord, world: World) -> None:
    guild, channel, alice = world
    inbox = Inbox()
    async with running_client(drill_bot(inbox, guild), fake) as bot:
        await inbox.get("synced")
        text = bot.get_channel(channel.id)
        assert isinstance(text, discord.TextChannel)
        question = await text.send("Question: how would you cache?", view=RevealView(inbox))
        record = await fake.click_button(question.id, BUTTON_ID, alice)
        clicked = await inbox.get("click")
        await record.wait_for_response()
    assert clicked.data["custom_id"] == BUTTON_ID and clicked.message.id == question.id
    assert record.response_type == 7
    assert fake.message(question.id)["content"] == "Model answer: cache at the edge"
    row = fake.requests_to("POST", "/channels/{channel_id}/messages")[0].json["components"][0]
    assert row["components"][0]["custom_id"] == BUTTON_ID


async def test_select_menu_defer_update_then_edit_original(fake: FakeDiscord, world: World) -> None:
    guild, channel, alice = world
    inbox = Inbox()
    async with running_client(drill_bot(inbox, guild), fake) as bot:
        text = bot.get_channel(channel.id)
        assert isinstance(text, discord.TextChannel)
        question = await text.send("Pick your level", view=LevelView(inbox))
        record = await fake.choose_select(question.id, "drill:level", alice, ["staff"])
        values = await inbox.get("level")
        await fake.wait_for_request("PATCH", "/webhooks/{app}/{token}/messages/@original")
    assert values == ["staff"] and record.response_type == 6
    assert fake.message(question.id)["content"] == "Level: staff"


async def test_modal_submit_reaches_on_submit(fake: FakeDiscord, world: World) -> None:
    guild, channel, alice = world
    inbox = Inbox()
    async with running_client(drill_bot(inbox, guild), fake):
        await inbox.get("synced")
        shown = await fake.invoke_slash(guild, channel, alice, "answer")
        await shown.wait_for_response()
        submitted = await fake.submit_modal(MODAL_ID, alice, {"answer": "Put a CDN in front"})
        value = await inbox.get("modal")
        await submitted.wait_for_response()
    assert shown.response_type == 9 and shown.modal is not None
    assert shown.modal["title"] == "Your answer"
    assert value == "Put a CDN in front"
    assert submitted.ephemeral and submitted.response_data["content"] == "Answer saved"


async def test_late_and_double_callbacks_are_violations(fake: FakeDiscord, world: World) -> None:
    guild, channel, alice = world
    client = discord.Client(**client_options())
    async with running_client(client, fake):
        assert client.application_id is not None
        command = {"name": "drill", "description": "d", "type": 1}
        await client.http.bulk_upsert_guild_commands(client.application_id, guild.id, [command])
        record = await fake.invoke_slash(guild, channel, alice, "drill")
        route = discord.http.Route("POST", CALLBACK, interaction_id=record.id, token=record.token)
        await client.http.request(route, json={"type": 5})
        with pytest.raises(discord.HTTPException) as twice:
            await client.http.request(route, json={"type": 5})
        fake.interaction_deadline = 0.05
        late = await fake.invoke_slash(guild, channel, alice, "drill")
        await asyncio.sleep(0.1)
        late_route = discord.http.Route("POST", CALLBACK, interaction_id=late.id, token=late.token)
        with pytest.raises(discord.NotFound) as expired:
            await client.http.request(late_route, json={"type": 5})
    assert twice.value.code == 40060 and expired.value.code == 10062
    assert any("already acknowledged" in v for v in fake.violations)
    assert any("after creation" in v for v in fake.violations)


async def test_message_limits_are_violations(fake: FakeDiscord, world: World) -> None:
    _, channel, _ = world
    client = discord.Client(**client_options())
    route = discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=channel.id)
    buttons = [{"type": 2, "style": 1, "label": str(n), "custom_id": f"b{n}"} for n in range(6)]
    async with running_client(client, fake):
        with pytest.raises(discord.HTTPException) as too_long:
            await client.http.request(route, json={"content": "x" * 2001})
        fake.reject_invalid = False  # lenient: accept, but still record
        await client.http.request(route, json={"embeds": [{"description": "y" * 4097}]})
        await client.http.request(
            route, json={"content": "z", "components": [{"type": 1, "components": buttons}]}
        )
        await client.http.request(
            route,
            json={
                "content": "id",
                "components": [{"type": 1, "components": [{**buttons[0], "custom_id": "c" * 101}]}],
            },
        )
    assert too_long.value.status == 400 and too_long.value.code == 50035
    joined = "\n".join(fake.violations)
    for expected in ("content is 2001 chars", "description is 4097", "6 buttons", "over 100 chars"):
        assert expected in joined


async def test_permission_gated_command_is_hidden_from_members(
    fake: FakeDiscord, world: World
) -> None:
    guild, channel, alice = world
    admin = fake.add_member(guild, "root", admin=True)
    client = discord.Client(**client_options())
    async with running_client(client, fake):
        assert client.application_id is not None
        command = {
            "name": "purge",
            "description": "admins only",
            "default_member_permissions": str(perm.MANAGE_GUILD),
        }
        await client.http.bulk_upsert_guild_commands(client.application_id, guild.id, [command])
        with pytest.raises(PermissionError):
            await fake.invoke_slash(guild, channel, alice, "purge")
        record = await fake.invoke_slash(guild, channel, admin, "purge")
    assert int(record.payload["member"]["permissions"]) & perm.ADMINISTRATOR
