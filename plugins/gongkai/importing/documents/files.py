"""Pictures and embedded objects written beside the document: found in a block in order, each
written once to files/ under a name made from the document's slug, and those that cannot go on
the site as they are reported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from docx.oxml.ns import qn

from ...model.schema.fields import LABELS
from .blocks import BLIP, FALLBACK, OLE_OBJECT, VML_IMAGE, Block

# Files that go on the site as they are: pictures a browser shows, Office files the attachment scan
# reads. Other embedded parts (EMF drawings, OLE packages, macro files) are reported, not written.
_WEB_IMAGES = {"png", "jpg", "jpeg", "gif", "bmp", "webp"}
_EMBEDDED_FILES = {"xlsx", "docx", "pptx"}

_W_OBJECT = qn("w:object")
_DOC_PR = (qn("wp:inline"), qn("wp:anchor"))


@dataclass
class _Object:
    kind: str  # "image" or "file"
    name: str  # file name in files/
    alt: str


class Files:
    """The files/ beside the document: its pictures and embedded files, named {slug}-1.png, …"""

    def __init__(self, document, slug: str, warn: Callable[..., None]):
        self.document = document
        self.slug = slug
        self.warn = warn  # the reader's: (line, field, message, hint)
        self.names: dict[str, str] = {}  # part name → file name: a picture used twice is written once
        self.written: list[tuple[str, bytes]] = []
        self.images = 0

    def objects(self, block: Block) -> list[_Object]:
        return self.objects_in(block.item._element, block.number)

    def objects_in(self, element, number: int) -> list[_Object]:
        """The pictures and embedded files in an element, in order, each written once to files/.
        Word's fallback copies (mc:Fallback) and the preview picture of an embedded object are
        passed over."""
        found: list[_Object] = []
        for node in element.iter(BLIP, OLE_OBJECT, VML_IMAGE):
            ancestors = [a.tag for a in node.iterancestors()]
            if FALLBACK in ancestors or (node.tag == VML_IMAGE and _W_OBJECT in ancestors):
                continue
            obj = self.embedded(node, number)
            if obj is not None:
                found.append(obj)
        return found

    def embedded(self, node, number: int) -> _Object | None:
        """The picture or file a node refers to, written to files/; None (and a warning) when it
        cannot go on the site as it is."""
        rid = node.get(qn("r:embed") if node.tag == BLIP else qn("r:id"))
        part = self.document.part.related_parts.get(rid) if rid else None
        if part is None:
            self.warn(number, LABELS["attachments"], "a picture or object linked to a file outside the .docx "
                      "is not imported", "insert it into the document (not as a link), or add the file by hand")
            return None
        ext = part.partname.ext.lower()
        if node.tag == OLE_OBJECT:
            if ext in _EMBEDDED_FILES:
                return _Object("file", self.file(part), "")
            what = node.get("ProgID") or part.partname.filename
            self.warn(number, LABELS["attachments"], f"an embedded object ({what}) cannot be taken out of "
                      "the .docx", "put the original file in files/ and name it in attachments")
            return None
        if ext not in _WEB_IMAGES:
            self.warn(number, LABELS["attachments"], f"a .{ext} picture is not shown by browsers: not imported",
                      "save it as PNG or JPEG, put it in files/ and link it in the body")
            return None
        self.images += 1
        return _Object("image", self.file(part), _alt_text(node) or f"图{self.images}")

    def file(self, part) -> str:
        name = self.names.get(part.partname)
        if name is None:
            name = f"{self.slug}-{len(self.written) + 1}.{part.partname.ext.lower()}"
            self.names[part.partname] = name
            self.written.append((name, part.blob))
        return name


def _alt_text(node) -> str:
    """A DrawingML picture's description (wp:docPr/@descr), which Word fills in as 替换文字."""
    for ancestor in node.iterancestors(*_DOC_PR):
        doc_pr = ancestor.find(qn("wp:docPr"))
        if doc_pr is not None:
            return (doc_pr.get("descr") or "").strip().replace("]", "")
    return ""
