"""`gongkai import`: a county's existing lists and documents into content/.

    sources.py    what a file is, from its bytes (xlsx, xls, csv, docx; refused formats named)
    sheets.py     a workbook or CSV as grids of cell text, merged ranges kept (Sheet1!C12)
    headers.py    the header row under title rows, one- or two-row, and the column vocabulary
    values.py     cell text into the schema's values: 权力类型, citations, 责任事项, lists, days
    powers.py     rows into power items: sub-items grouped, units matched, codes given
    documents.py  a Word 公文 (GB/T 9704) into a document's front matter and Markdown body
    units.py      a unit named in a cell or a 公文 (full name, short name, alias) found
    item_files.py     items into files: matched by code or name, new codes, field-level updates
    document_files.py documents into files, attachments beside them, updates by 文号
    plan.py       what both write: outputs, front matter spliced field by field, the
                  all-or-nothing write under content/
    command.py    the two commands: read everything, report, then write or not

Nothing is written until every source has been read without an error; a failure while writing
puts back every file as it was.
"""
