"""Thin handlers, one module per feature (as in python-telegram-bot's examples); bot/app.py registers them.

    access     who may use the bot (a gate before every handler) and the per-user rate limit
    asking     questions, /ask and More
    article    📄: the whole article
    inline     @bot question in any chat
    follows    /follow, /following, /unfollow, digests' time, alerts' More
    feedback   👍 / 👎: reactions, replies, the buttons of older messages
    info       /help, /sources, /status, what the bot does not read
    language   the language each user is answered in (before every handler), /language
    errors     the one error handler: the log, and one sentence for the user

Each reads the update, calls `retrieval`, and sends what `bot.format` built; none builds HTML.
"""
