"""Layer 3, assembly: all files of a content directory together.

- load: load_catalog — prepare (the tree, vocabularies, templates), record_files, examine (each
  content file on its own), assemble (flows, index numbers, the rules, free pages, attachments);
  every problem at once
- catalog: the Catalog of published records and its indexes, read by every plugin and command
- rules: cross-file checks (uniqueness, references, limits); they report and change nothing
- columns: 法定主动公开内容 — the disclosure vocabularies loaded, each body's columns filled, the
  freshness report of `gongkai check`
- reads: what assembly reads of each record, recorded (the check cache and the preview rely on it)
- check_cache: `gongkai check`'s cache file, keyed by the content it read
"""
