"""Layer 1, the primitives: what every layer above uses and that knows no kind of content.

- problems: located problems (errors are data) and did-you-mean hints
- dates: ISO and Chinese dates, read strictly
- text: the one text normaliser (NFKC, Traditional → Simplified, 文号 brackets, synonyms)
- frontmatter: bytes → text → YAML front matter with the position of every value + body

Besides the standard library and YAML they import only sensitive.detection (a Problem masks
what it quotes).
"""
