"""The egress gate: every output judged as its reader receives it, before it is published.

The source scan (model/sensitive) gives editors early, located errors; markup can get around it
(an ID number split by `**`, an HTML comment or a zero-width space, a digit written `&#49;`, a
secrecy marking split by an empty tag). The gate reads what the build wrote, page by page and
file by file, as a reader receives it (outputs.py), and applies the same rules (inspect.py): a
finding that was not published on purpose fails the build before anything is swapped in.
"""
