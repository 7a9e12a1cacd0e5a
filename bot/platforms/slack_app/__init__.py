"""The Slack adapter: a bolt ``AsyncApp`` that translates Slack payloads into core calls and
core cards into Slack Web API calls. It holds no rule of its own.

Modules: ``runtime`` (start/stop, Socket Mode or HTTP), ``app`` (the bolt app and its install
settings), ``listeners`` (inbound translation, one ``register`` per listener kind), ``blocks`` and
``views`` (outbound translation), ``platform`` (the core's port, paced posting, error mapping).
"""
