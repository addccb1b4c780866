"""What a file's bytes say it is, whatever its name: the formats Cehua reads or names in its errors."""

from __future__ import annotations

import io
import zipfile
from typing import Literal

FileKind = Literal["pdf", "docx", "doc"]

_PDF = b"%PDF-"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc), WPS and other Office 97 binary files


def file_kind(data: bytes) -> FileKind | None:
    """``"pdf"`` (a PDF header), ``"docx"`` (a zip holding word/document.xml), ``"doc"`` (an Office 97 binary
    file), or None when the bytes do not say."""
    if data.lstrip()[:5] == _PDF:
        return "pdf"
    if data.startswith(_OLE):
        return "doc"
    if data.startswith(_ZIP):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except (zipfile.BadZipFile, OSError):
            pass
    return None


__all__ = ["FileKind", "file_kind"]
