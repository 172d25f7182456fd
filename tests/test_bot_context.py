"""bot.context: every callback is given a NewsdeskContext, whose `services` are the Application's."""

from __future__ import annotations

from bot.app import build_application
from bot.context import NewsdeskContext, Services, services_of
from bot.settings import BotSettings
from index.settings import Settings


def test_every_callback_is_given_the_typed_context_and_its_services(tmp_path):
    settings = BotSettings(token="1:test", engine=Settings(data_dir=tmp_path))
    searcher = object()  # asked nothing here
    application = build_application(settings, searcher)
    assert application.context_types.context is NewsdeskContext
    context = NewsdeskContext.from_update(object(), application)  # what a handler, job or error handler gets
    assert isinstance(context.services, Services) and context.services is services_of(application)
    assert context.services.searcher is searcher and context.services.settings is settings
