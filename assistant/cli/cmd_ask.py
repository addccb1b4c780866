"""`cehua ask` and `cehua chat`: one conversation from a terminal (or a pipe) — questions answered from
the guidebooks, plans asked for, drafted and changed by talking, as in every other channel."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from assistant.cli import main
from core.errors import CehuaError
from core.text.scripts import detect_script


def _planning() -> Any:
    from assistant.planning.drafter import local_planning
    from core.settings import get_settings

    return local_planning(get_settings())


def _reply_json(reply: Any) -> str:
    data: dict[str, Any] = {
        "answer": reply.answer,
        "citations": [{"n": c.n, "text": c.text, "doc": c.doc, "section": c.section} for c in reply.citations],
        "grounded": reply.grounded,
        "conversation": reply.conversation,
    }
    if reply.missing is not None:
        data["missing"] = reply.missing
    if reply.plan is not None:
        data["plan"] = reply.plan.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False)


def _print_sources(reply: Any) -> None:
    for c in reply.citations:
        click.secho(f"[{c.n}] {c.title or c.doc} › {c.section or '-'}", dim=True)


def _stream_reply(planning: Any, text: str, conversation: str | None) -> Any:
    """Print the reply as it streams (answer tokens, drafting progress on stderr); the finished reply."""
    reply = None
    # No address of a server: a terminal gets the file itself (「导出word」 writes it here), not an API path.
    for event in planning.stream(text, conversation, base_url=None):
        if event.type == "token":
            click.echo(event.text, nl=False)
            sys.stdout.flush()
        elif event.type == "progress" and event.event == "section_drafted":
            click.secho(f"  ✓ {event.data.get('title', '')}", err=True, dim=True)
        elif event.type == "done":
            reply = event.reply
    assert reply is not None
    if reply.export and reply.plan is not None:
        _save_export(planning, reply.plan.id, reply.export, text)  # says where, in place of the server's path
    elif reply.intent != "question":
        click.echo(reply.answer, nl=False)
        click.echo()
    else:
        click.echo()
    return reply


@main.command("ask")
@click.argument("question")
@click.option("--conversation", "conversation", default=None, help="Continue this conversation (id from an earlier answer).")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"answer", "citations", "grounded", "conversation"}, with "missing" when Cehua asks for '
                   'a plan\'s essentials and "plan" when the message drafted or changed one.')
def ask_command(question: str, conversation: str | None, as_json: bool) -> None:
    """Send QUESTION: a question answered with numbered citations, or a plan asked for or changed."""
    planning = _planning()
    if as_json:
        click.echo(_reply_json(planning.reply(question, conversation)))
        return
    reply = _stream_reply(planning, question, conversation)
    _print_sources(reply)
    click.secho(f"conversation: {reply.conversation}", dim=True)


_CHAT_HELP = """commands:
  /help   show this list
  /new    start a new conversation (forget the earlier questions)
  /exit   leave (or Ctrl-D)"""
_GREETING = ("策划助手 Cehua: ask about your guidebooks or ask for a plan and change it by talking, one message a "
             "line. Type /help, /new or /exit.")


_SAVED = {"zh-Hans": "已保存:", "zh-Hant": "已儲存:", "en": "saved: "}


def _save_export(planning: Any, plan_id: str, url: str, asked: str) -> None:
    """「导出word」 in the terminal: the file written to the current folder (the API gives the link), said
    in the script of the message ``asked`` (a Chinese reply followed by English "saved:" read as a glitch)."""
    fmt = url.rsplit("format=", 1)[-1]
    export = planning.plans.export(plan_id, fmt)
    path = Path(export.filename)
    try:
        path.write_bytes(export.data)
    except OSError as exc:
        click.echo(f"error: cannot write {path}: {exc.strerror}; run cehua chat from a folder you can write to",
                   err=True)
        return
    click.echo(f"{_SAVED[detect_script(asked)]}{path.resolve()}")


@main.command("chat")
@click.option("--conversation", "conversation", default=None, help="Continue this conversation.")
def chat_command(conversation: str | None) -> None:
    """Talk one line at a time (type or pipe them): ask questions, ask for a plan, answer what Cehua
    asks back, change the plan (「预算改成8千」, 「撤销」); the conversation is kept throughout.

    Lines starting with / are commands: /help, /new, /exit."""
    planning = _planning()
    if conversation is not None:
        planning.store.require(conversation)  # an unknown id fails before the first message
    planning.chat.warm_up()  # while the planner types the first line
    interactive = sys.stdin.isatty()
    # The greeting goes to stderr so piped answers stay clean.
    click.echo(_GREETING, err=True)
    while True:
        if interactive:
            click.echo("> ", nl=False)
        line = sys.stdin.readline()
        if not line:
            break
        text = line.strip()
        if not text:
            continue
        if text in ("exit", "quit", "/exit", "/quit"):
            break
        if text.startswith("/"):
            command = text.split()[0].lower()
            if command == "/help":
                click.echo(_CHAT_HELP)
            elif command == "/new":
                conversation = None
                click.echo("new conversation: earlier questions are forgotten")
            else:
                click.echo(f"unknown command {command}: type /help for the list", err=True)
            continue
        try:
            reply = _stream_reply(planning, text, conversation)
        except CehuaError as exc:
            # One bad line should not end the session; say why and read the next.
            click.echo(f"error: {exc.message}", err=True)
            continue
        _print_sources(reply)
        conversation = reply.conversation
        click.echo()
