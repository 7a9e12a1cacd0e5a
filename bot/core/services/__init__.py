"""Use cases: each opens its own unit of work, takes the clock as ``now`` and commits on success.

What the adapters (``bot.platforms``) may call, by module:

- ``commands``: ``handle_command`` and ``from_drill_command`` (every slash command and console
  command); ``command_table`` for what a platform derives from the table (help, Discord's tree).
- ``answers``: ``receive_message``, ``edit_message``, ``delete_message`` (thread messages);
  ``message_author`` (who wrote a stored answer message, for a platform without history). Its
  ``first_answer`` starts a member's answer in a daily round in one write.
- ``votes``: ``toggle_vote`` (vote buttons).
- ``outbox``: ``offer_ballot`` (the Vote button under a new answer) and ``announce`` (a command's
  public reply): posts an adapter asks for, sent at once through the outbox and retried like drills.
- ``ondemand``: ``show_on_demand``, ``attach_place`` (where a platform showed an on-demand drill).
- ``blind``: ``drill_to_answer`` and ``answer_round`` (an Answer button's form: an on-demand drill
  or an open blind drill, answered privately).
- ``facts``: ``ask`` (through the ``ask`` command); ``home``: the Slack App Home summary.
- ``admin``: ``register_channel`` (the console registers its channel at start).
- ``places``: ``channel_space``; ``requests``: ``EventClaims`` (platform event deduplication).
- ``sweep``: ``run_due_work`` and ``next_wakeup``, for whatever drives the clock (the scheduler,
  the console).
- ``connections``: ``record_connection`` (a runtime's connection state, for ``drillbot status``).
- ``context``: ``Core``, the type every adapter is handed.

``rounds``, ``feed`` (due posts handed to the platforms continuously), ``delivery`` (one post's
attempt), ``outgoing`` (what a post shows), ``recovery`` (answers kept after an adoption) and
``problems`` (faults told to admins) are the sweep's internals; the import contract in
``pyproject.toml`` keeps adapters out of them and out of ``bot.storage``. What a platform may add
to the port (``Adopts``, ``AlertsAdmins``, ``Paced``) is in ``bot.core.ports``.
"""
