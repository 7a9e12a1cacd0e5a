"""The Discord adapter (discord.py 2.x): Discord events in, core calls; core cards in, Discord calls.

Thin by design: every rule lives in ``bot.core``. ``inbound``, ``buttons`` and ``commands`` translate
what members do into use cases; ``outbound`` translates cards into messages; ``runtime`` connects.
"""
