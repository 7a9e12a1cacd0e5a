"""Identifiers shared by the fake workspace and the request builders, so they agree by default."""

from __future__ import annotations

TEAM_ID = "T0FAKETEAM"
TEAM_NAME = "Drillbot Test"
TEAM_DOMAIN = "drillbot-test"
APP_ID = "A0FAKEAPP1"
BOT_USER_ID = "U0FAKEBOT1"
BOT_ID = "B0FAKEBOT1"
BOT_NAME = "drillbot"

BOT_TOKEN = "xoxb-1111-2222-fakebottoken"
APP_TOKEN = "xapp-1-A0FAKEAPP1-3333-fakeapptoken"
SIGNING_SECRET = "fake-signing-secret-0123456789abcdef"
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "fake-client-secret"
VERIFICATION_TOKEN = "fake-verification-token"

BOT_SCOPES = (
    "app_mentions:read,channels:history,channels:join,channels:read,chat:write,commands,"
    "files:write,groups:history,im:history,im:write,team:read,users:read"
)

#: Default actor/channel used by the request builders when none is given.
USER_ID = "U0FAKEUSR1"
USER_NAME = "alice"
CHANNEL_ID = "C0FAKECHN1"
CHANNEL_NAME = "drills"
