"""The platform-free core: rules, use cases and the port platforms implement.

Nothing under ``bot.core`` may import discord.py or slack-bolt (ruff's banned-api enforces it).
"""
