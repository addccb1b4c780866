"""Manage the knowledge base: list, upload (with size and type limits) and remove documents."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.deps import KnowledgeBaseDep, ServerKeyDep, SettingsDep
from api.schemas import ERRORS, DocumentList, DocumentRemoved
from core.errors import DocumentError, InputError, LimitError

router = APIRouter(prefix="/v1/kb", tags=["knowledge base"])

# File systems hold names of at most 255 bytes.
MAX_NAME_BYTES = 255
_UNSAFE = re.compile(r"[^\w.\-\u3400-\u9fff]+")


def _safe_name(filename: str) -> str:
    """The upload's base name without path parts or characters a file system may refuse."""
    base = Path(filename.replace("\\", "/")).name
    return _UNSAFE.sub("_", base).strip("._") or "upload"


def _dump(doc: Any) -> dict[str, Any]:
    return doc.model_dump(mode="json") if hasattr(doc, "model_dump") else dict(doc)


@router.get("/documents", response_model=DocumentList, responses=ERRORS)
def list_documents(_key: ServerKeyDep, kb: KnowledgeBaseDep) -> DocumentList:
    """Every document in the knowledge base."""
    return DocumentList(documents=[_dump(d) for d in kb.list()])


@router.post("/documents", status_code=201, response_model=DocumentList, responses=ERRORS, openapi_extra={
    "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object", "properties": {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}}})
async def add_documents(_key: ServerKeyDep, request: Request, kb: KnowledgeBaseDep,
                        settings: SettingsDep) -> DocumentList:
    """Add uploaded files (multipart ``files`` or ``file``: .txt .md .html .docx .pdf) to the knowledge base."""
    from knowledge.load import SUPPORTED_SUFFIXES

    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "multipart/form-data":
        raise InputError("upload documents as multipart/form-data with one or more 'files' parts",
                         code="unsupported_media_type")
    async with request.form(max_files=100) as form:
        uploads = [v for k, v in form.multi_items() if k in ("file", "files") and isinstance(v, UploadFile)]
        if not uploads:
            raise InputError("no files in the upload: send them as 'files' parts (multipart/form-data)",
                             code="invalid_request")
        with kb.staging() as tmp:
            paths: list[Path] = []
            for upload in uploads:
                size = len((upload.filename or "").encode("utf-8"))
                if size > MAX_NAME_BYTES:
                    raise InputError(f"file name '{(upload.filename or '')[:40]}…' is {size} bytes long: rename "
                                     f"it to at most {MAX_NAME_BYTES} bytes (UTF-8) and upload it again",
                                     code="invalid_request")
                name = _safe_name(upload.filename or "upload")
                if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                    raise DocumentError(f"{upload.filename}: unsupported file type; upload one of "
                                        f"{', '.join(SUPPORTED_SUFFIXES)}", code="unsupported_media_type")
                data = await upload.read(settings.max_upload_bytes + 1)
                if len(data) > settings.max_upload_bytes:
                    raise LimitError(f"{upload.filename} is over the {settings.max_upload_bytes}-byte upload limit: "
                                     "split it into smaller files", code="payload_too_large")
                target = tmp / name
                n = 1
                while target.exists():
                    target = tmp / f"{Path(name).stem}_{n}{Path(name).suffix}"
                    n += 1
                target.write_bytes(data)
                paths.append(target)
            added = await run_in_threadpool(kb.add, paths)
    return DocumentList(documents=[_dump(d) for d in added])


@router.delete("/documents/{doc_id}", response_model=DocumentRemoved, responses=ERRORS)
def remove_document(_key: ServerKeyDep, doc_id: str, kb: KnowledgeBaseDep) -> DocumentRemoved:
    """Remove a document (and its passages) from the knowledge base."""
    kb.remove(doc_id)
    return DocumentRemoved(removed=doc_id)


@router.delete("/documents", response_model=DocumentRemoved, responses=ERRORS)
def remove_document_by_query(_key: ServerKeyDep, doc_id: Annotated[str, Query(min_length=1)],
                             kb: KnowledgeBaseDep) -> DocumentRemoved:
    """Remove a document given as ``?doc_id=`` (same as ``DELETE /v1/kb/documents/{doc_id}``)."""
    kb.remove(doc_id)
    return DocumentRemoved(removed=doc_id)
