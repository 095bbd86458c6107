"""The text of a PDF's pages as a reader's browser extracts it (PDFium, the engine in Chrome: it
honours the /ActualText Typst writes for Thai, which pypdf ignores)."""

from __future__ import annotations

import pypdfium2


def pages_text(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    try:
        return [page.get_textpage().get_text_range().replace("\r\n", "\n") for page in document]
    finally:
        document.close()
