"""Use cases: each opens its own unit of work, takes the clock as ``now`` and commits on success.

What the adapters (``bot.platforms``) may call, by module:

- ``commands``: ``handle_command`` and ``from_drill_command`` (every slash command and console
  command); ``command_table`` for what a platform derives from the table (help, Discord's tree).
- ``answers``: ``receive_message``, ``edit_message``, ``delete_message`` (thread messages).
- ``votes``: ``toggle_vote`` (vote buttons); ``ballots``: ``ballot_for`` (the button to offer).
- ``ondemand``: ``show_on_demand``, ``attach_place`` (where a platform showed an on-demand drill).
- ``facts``: ``ask`` (through the ``ask`` command); ``home``: the Slack App Home summary.
- ``admin``: ``register_channel`` (the console registers its channel at start).
- ``places``: ``channel_space``; ``requests``: ``EventClaims`` (platform event deduplication).
- ``sweep``: ``run_due_work`` and ``next_wakeup``, for whatever drives the clock (the scheduler,
  the console).
- ``context``: ``Core``, the type every adapter is handed.

``rounds`` and ``delivery`` are the sweep's internals; the import contract in ``pyproject.toml``
keeps adapters out of them and out of ``bot.storage``.
"""
