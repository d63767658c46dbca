"""The public note of a commit: its `修订说明:` trailer, the only commit text a page may show.

A commit message is written for colleagues (subject and body are internal communication); what
the editor means the public to read is a trailer in the message's last paragraph:

    调整承诺时限

    修订说明: 承诺时限由10个工作日压缩为5个工作日

Git's own trailer parser cannot be used: it takes a trailer key to be ASCII letters, digits and
'-' (trailer.c, find_separator), so `修订说明: …` is no trailer to `git log
--format=%(trailers)` or `git interpret-trailers --parse` (tried with git 2.39: nothing found),
and a full-width colon '：' cannot be a separator either (trailer.separators is read byte by
byte). So the message is read here, with git's rules otherwise:

- trailers are in the message's last paragraph (paragraphs are separated by blank lines), and the
  first paragraph — the subject — never holds any, even alone (`git commit -m "修订说明: …"` is a
  subject, and subjects are not published);
- that paragraph is a trailer block when each of its lines is a trailer (`Key: value`, white space
  allowed before the separator) or continues the one before (starts with white space), or when
  at least a quarter are and one of them is a line git itself writes (Signed-off-by:,
  "(cherry picked from commit …)");
- a value may go on over continuation lines.

One departure: git puts the trailers it adds (`git commit -s`, `--trailer`, a Change-Id hook)
in a paragraph of their own after a last paragraph it does not recognise, ours included. So the
trailing paragraphs that are all trailer blocks are read together, not only the last one:
otherwise `git commit -s` would silently unpublish an editor's note.

The separator is ':' or '：' (an editor typing Chinese gets the full-width one). No git here, no
masking either: the plugin masks the note as it masks every text git kept.
"""

from __future__ import annotations

import re

NOTE_KEY = "修订说明"
# A trailer line: a key (letters of any script, digits, '-'), maybe white space, ':' or '：'.
TRAILER = re.compile(r"^([\w-]+)[ \t]*[:：][ \t]*(.*)$")
GIT_WRITTEN = ("Signed-off-by:", "(cherry picked from commit ")


def public_note(message: str) -> str:
    """The text of the message's 修订说明 trailers ('；' between two), '' when it has none."""
    notes = []
    for block in _trailer_blocks(message):
        key, parts = None, []
        for line in [*block, ""]:  # the '' closes the last trailer
            if line[:1] in (" ", "\t") and key is not None:
                parts.append(line.strip())
                continue
            if key == NOTE_KEY and _joined(parts):
                notes.append(_joined(parts))
            match = TRAILER.match(line)
            key, parts = (match.group(1), [match.group(2).strip()]) if match else (None, [])
    return "；".join(dict.fromkeys(notes))


def _trailer_blocks(message: str) -> list[list[str]]:
    """The trailing paragraphs that are trailer blocks, in message order; never the first one."""
    lines = [line.rstrip() for line in message.replace("\r\n", "\n").split("\n") if not line.startswith("#")]
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    paragraphs = [p for p in paragraphs if p]
    blocks: list[list[str]] = []
    for paragraph in reversed(paragraphs[1:]):
        if not _is_trailer_block(paragraph):
            break
        blocks.insert(0, paragraph)
    return blocks


def _is_trailer_block(paragraph: list[str]) -> bool:
    trailers = others = 0
    written_by_git = False
    for i, line in enumerate(paragraph):
        if line[:1] in (" ", "\t") and i:
            continue  # a continuation line counts with the trailer it continues
        if line.startswith(GIT_WRITTEN):
            written_by_git = True
        if TRAILER.match(line) or line.startswith(GIT_WRITTEN[1]):
            trailers += 1
        else:
            others += 1
    return trailers > 0 and (others == 0 or written_by_git and trailers * 3 >= others)


def _joined(parts: list[str]) -> str:
    """A value folded over lines, unfolded: no space where a line break fell between two Chinese
    characters (a space there reads as a gap), one space elsewhere."""
    text = ""
    for part in (p for p in parts if p):
        cjk = text and (_is_wide(text[-1]) or _is_wide(part[0]))
        text = f"{text}{part}" if not text or cjk else f"{text} {part}"
    return text


def _is_wide(char: str) -> bool:
    return ord(char) >= 0x2E80  # CJK radicals onwards: Han, kana, full-width punctuation
