"""`cehua ask` and `cehua chat`: questions to the guidebooks from a terminal (or a pipe)."""

from __future__ import annotations

import json
import sys

import click

from assistant.cli import main
from core.errors import CehuaError


def _service():  # type: ignore[no-untyped-def]
    from assistant.chat import ChatService
    from assistant.llm import get_chat_model
    from core.settings import get_settings
    from knowledge import open_knowledge_base

    settings = get_settings()
    return ChatService(settings, open_knowledge_base(settings), get_chat_model(settings))


def _answer_json(answer) -> str:  # type: ignore[no-untyped-def]
    return json.dumps({
        "answer": answer.answer,
        "citations": [{"n": c.n, "text": c.text, "doc": c.doc, "section": c.section} for c in answer.citations],
        "grounded": answer.grounded,
        "conversation": answer.conversation,
    }, ensure_ascii=False)


def _print_sources(answer) -> None:  # type: ignore[no-untyped-def]
    for c in answer.citations:
        click.secho(f"[{c.n}] {c.title or c.doc} › {c.section or '-'}", dim=True)


def _stream_answer(service, question: str, conversation: str | None):  # type: ignore[no-untyped-def]
    """Print the answer as it streams; the finished ``Answer``."""
    answer = None
    for event in service.stream(question, conversation):
        if event.type == "token":
            click.echo(event.text, nl=False)
            sys.stdout.flush()
        elif event.type == "done":
            answer = event.answer
    click.echo()
    return answer


@main.command("ask")
@click.argument("question")
@click.option("--conversation", "conversation", default=None, help="Continue this conversation (id from an earlier answer).")
@click.option("--json", "as_json", is_flag=True, help='Print {"answer", "citations", "grounded", "conversation"}.')
def ask_command(question: str, conversation: str | None, as_json: bool) -> None:
    """Answer QUESTION from the guidebooks, with numbered citations."""
    service = _service()
    if as_json:
        click.echo(_answer_json(service.ask(question, conversation)))
        return
    answer = _stream_answer(service, question, conversation)
    _print_sources(answer)
    click.secho(f"conversation: {answer.conversation}", dim=True)


_CHAT_HELP = """commands:
  /help   show this list
  /new    start a new conversation (forget the earlier questions)
  /exit   leave (or Ctrl-D)"""
_GREETING = "策划助手 Cehua: ask about your guidebooks, one question a line. Type /help, /new or /exit."


@main.command("chat")
@click.option("--conversation", "conversation", default=None, help="Continue this conversation.")
def chat_command(conversation: str | None) -> None:
    """Ask questions one line at a time (type or pipe them); follow-ups keep the conversation.

    Lines starting with / are commands: /help, /new, /exit."""
    service = _service()
    if conversation is not None:
        service.get_conversation(conversation)  # an unknown id fails before the first question
    interactive = sys.stdin.isatty()
    # The greeting goes to stderr so piped answers stay clean.
    click.echo(_GREETING, err=True)
    while True:
        if interactive:
            click.echo("> ", nl=False)
        line = sys.stdin.readline()
        if not line:
            break
        question = line.strip()
        if not question:
            continue
        if question in ("exit", "quit", "/exit", "/quit"):
            break
        if question.startswith("/"):
            command = question.split()[0].lower()
            if command == "/help":
                click.echo(_CHAT_HELP)
            elif command == "/new":
                conversation = None
                click.echo("new conversation: earlier questions are forgotten")
            else:
                click.echo(f"unknown command {command}: type /help for the list", err=True)
            continue
        try:
            answer = _stream_answer(service, question, conversation)
        except CehuaError as exc:
            # One bad line should not end the session; say why and read the next.
            click.echo(f"error: {exc.message}", err=True)
            continue
        _print_sources(answer)
        conversation = answer.conversation
        click.echo()
