"""Layer 3, assembly: all files of a content directory together.

- load: load_catalog — vocabularies, templates, every content file, flows, index numbers, the
  rules, free pages, attachments; every problem at once
- catalog: the Catalog of published records and its indexes, read by every plugin and command
- rules: cross-file checks (uniqueness, references, limits); they report and change nothing
- columns: 法定主动公开内容 — the disclosure vocabularies loaded, each body's columns filled, the
  freshness report of `gongkai check`
"""
