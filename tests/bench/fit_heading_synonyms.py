"""Write knowledge/templates/heading_synonyms.json: the CC-CEDICT synonyms of the words that end the templates'
chapter aliases, and the English words (the glossary's, CC-CEDICT's glosses of those words) a heading may use for
them, so validation reads a small table instead of the dictionary (seconds, on every CLI run).

    python tests/bench/fit_heading_synonyms.py

Run it after changing a template's aliases; tests/knowledge/test_templates.py fails while the table is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from knowledge.templates import (  # noqa: E402
    HEADING_SYNONYMS,
    english_heading_words,
    heading_synonyms_from_cedict,
    narrower_synonyms_from_cedict,
)


def main() -> int:
    table = heading_synonyms_from_cedict()
    data = {"about": "synonyms: word -> the alias head word it shares two CC-CEDICT senses with; narrower: word -> the "
                     "alias word CC-CEDICT gives all its senses to; english: an English heading word or phrase -> the "
                     "Chinese word it stands for (tests/bench/fit_heading_synonyms.py)",
            "synonyms": table, "narrower": narrower_synonyms_from_cedict()}
    # The English table reads the synonyms (a synonym's English glosses count too): write them first.
    HEADING_SYNONYMS.write_text(json.dumps({**data, "english": {}}, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    english = english_heading_words()
    data["english"] = english
    HEADING_SYNONYMS.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(table)} synonyms, {len(data['narrower'])} narrower words and {len(english)} English words written to "
          f"{HEADING_SYNONYMS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
