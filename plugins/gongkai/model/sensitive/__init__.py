"""Sensitive data: personal data and secrecy markings never reach a public page.

- detection: the rules on one text (find, mask); no other module of the model is imported, so
  every Problem can mask what it quotes (primitives.problems imports it).
- files: a content file's front matter and body, located, with the editor's allowances.
- attachments: text and office files published beside the records.
"""
