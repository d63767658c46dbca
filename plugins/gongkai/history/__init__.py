"""MkDocs plugin `gongkai/history`: dates, revision records and list adjustments from git."""
