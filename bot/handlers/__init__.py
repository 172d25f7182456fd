"""Thin handlers, one module per feature (as in python-telegram-bot's examples); bot/app.py registers them.

    access         who may use the bot (a gate before every handler), and presses of no known button
    asking         questions, /ask and More (and a 👍 / 👎 replied to an answer: bot.reply_votes)
    article        📄: the whole article
    story          🧵 the story of an answer's first result, 🆕 its newer report
    inline         @bot question in any chat
    follows        /follow, /following, /unfollow, digests' time, alerts' More
    feedback       👍 / 👎: reactions, the buttons of older messages
    info           /help, /sources, /status, what the bot does not read
    language       the language each user is answered in (before every handler), /language
    error_handler  the one error handler: the log, and one sentence for the user

Each reads the update, calls `retrieval`, and sends what `bot.render` built; none builds HTML. None
imports another (an import-linter contract in pyproject.toml): what several share is outside the
package (bot.admission, bot.sending, bot.reply_votes). Each is given `context: NewsdeskContext`
(bot.context) and reaches the shared services as `context.services`.
"""
