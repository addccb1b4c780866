"""What an offline answer says around its quotes: that the quoted text is about another occasion than the
one asked about, that it is a sample plan's when it holds the sample's blanks to fill (「20__年」), and for an English question, an English sentence saying where the guidebooks say it and
on what, before the Chinese quotes."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.briefs.festivals import Festival, festivals_in
from assistant.chat import messages as text_for
from core.text.blanks import blanks_as_written
from core.text.scripts import Script, to_simplified
from knowledge.glossary import read_english
from knowledge.passage import Passage
from knowledge.senses import Senses
from knowledge.wordweights import informativeness


def occasions(text: str) -> list[Festival]:
    """The festivals and shopping days ``text`` names (either script or English), each once, in order."""
    found: list[Festival] = []
    for festival, _, _ in festivals_in(to_simplified(text)):
        if festival not in found:
            found.append(festival)
    return found


def other_occasion_note(question: str, cited: Sequence[Passage], script: Script) -> str:
    """The note for an answer to a question about one occasion quoting text about others (a 中秋 question
    answered from 春节 decoration text), or '' when the sources name none or the one asked about."""
    asked = occasions(question)
    if not asked:
        return ""
    sources: list[Festival] = []
    for passage in cited:
        named = occasions(f"{passage.title} {passage.section} {passage.text}")
        if any(f in asked for f in named):
            return ""  # the sources speak of the occasion asked about too
        sources += [f for f in named if f not in sources]
    return text_for.other_occasion(script, [f.name for f in sources], [f.name for f in asked],
                                   [f.english for f in sources], [f.english for f in asked]) if sources else ""


def sample_blanks_note(quotes: str, script: Script, most: int = 3) -> str:
    """The note for quotes that hold a sample plan's blanks to fill (「20__年」「8月_日」, at most ``most`` named), or ''.
    The bundled guidebooks' sample plans write them (35 of 004's 306 sentences, none elsewhere) and answer
    questions about the samples, so such sentences are quoted; the note keeps 「20__年」 from reading as advice."""
    blanks = blanks_as_written(quotes)
    return text_for.sample_blanks(script, blanks[:most]) if blanks else ""


def english_frame(question: str, cited: Sequence[Passage], quoted: str, senses: Senses | None = None, *,
                  model_configured: bool = False) -> str:
    """The English sentence before an English question's Chinese quotes: which guidebooks and sections they
    come from, and what they are about: the question's words whose Chinese the quotes use (read as search
    read them, with the index's ``senses``), the one that says most first, as retrieval weighs them (the
    general-language informativeness of that Chinese word)."""
    simplified = to_simplified(quoted)
    said: dict[str, float] = {}
    for english, chinese in read_english(question, lambda term: term in simplified, senses=senses).matches:
        used = [term for term in chinese if term in simplified]
        if used and english not in said:
            said[english] = max(informativeness(term) for term in used)
    topics = sorted(said, key=lambda english: -said[english])  # stable: question order among equals
    where = [(p.title or p.doc, p.section.split(">")[-1].strip()) for p in cited]
    return text_for.english_frame(list(dict.fromkeys(where)), topics, model_configured=model_configured)
