"""bot.render: everything the bot says, by what it renders. Pure functions from retrieval records to
Telegram HTML (escaped, cited, inside Telegram's limits) or plain text; the unit tests assert their exact
output, and no handler builds HTML itself (tests/test_bot_render.py checks it).

    markup        escaping, shortening to Telegram's limits, safe links, dates, numbers, a citation's line
    answers       an answer's message: lead, results, the layout by outlet, fitting it into one message
    snippets      a result outside the message: the 📋 quote, inline results, the link preview
    articles      📄: a whole article as messages, or its opening and a .txt document
    follow_texts  alerts' pages, /following, /follow, /unfollow, digest times, the follow buttons' answers
    archive       /sources and /status
    failures      a failure in one sentence of the user's language
    sentences     the fixed sentences (/help, refusals, usage, expired buttons) and short replies
    menus         the command menu, button labels, /language's menu

Every word goes through gettext (`_`, `ngettext`; constants marked `N_` and translated where used with
`t`) in the language of the update being handled (bot.i18n): English, Ukrainian or Russian. The
catalogue is extracted from these modules (bot/locales/README.md).
"""
