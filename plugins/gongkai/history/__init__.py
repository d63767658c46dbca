"""MkDocs plugin `gongkai/history`: dates, revision records and list adjustments from git.

Modules, each importing only those above it in this list:

- diff: front matter block by block, field diffs in Chinese, masking what git kept (no git)
- notes: a commit's public note, its 修订说明 trailer (no git): the only commit text shown
- git: running git; the log, revisions (with their notes), tags and blobs of a content
  directory (History)
- adjustments: the power list at a ref and its adjustments between refs (清单动态调整)
- plugin: the MkDocs events (on_config reads git once; pages look up what was read)
"""
