"""Reading a response body within a byte cap counted after decompression."""

from __future__ import annotations

import zlib
from collections.abc import Iterable

from worker.fetch.errors import FetchError, TooLarge

_CHUNK = 64 * 1024


def _decoder(encoding: str) -> zlib._Decompress | None:
    encoding = encoding.strip().lower()
    if encoding in {"", "identity"}:
        return None
    if encoding in {"gzip", "x-gzip"}:
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    raise FetchError(f"unsupported content-encoding {encoding!r}")


def decompress(chunks: Iterable[bytes], encoding: str, cap: int) -> bytes:
    """Join ``chunks`` decoded per ``encoding``; TooLarge as soon as the output passes ``cap``.

    A decompression bomb is stopped after at most ``cap`` output bytes: each step asks zlib for
    no more than what is left under the cap.
    """
    decoder = _decoder(encoding)
    out = bytearray()
    for chunk in chunks:
        if decoder is None:
            out += chunk
        else:
            data = chunk
            while data:
                out += decoder.decompress(data, cap + 1 - len(out))
                if len(out) > cap:
                    break
                data = decoder.unconsumed_tail
        if len(out) > cap:
            raise TooLarge(f"body larger than {cap} bytes")
    if decoder is not None:
        out += decoder.flush()
    if len(out) > cap:
        raise TooLarge(f"body larger than {cap} bytes")
    return bytes(out)


def gunzip_if_gzipped(data: bytes, cap: int) -> bytes:
    """``data`` itself, or its gzip content (a ``.xml.gz`` sitemap) within ``cap``."""
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        return decompress([data], "gzip", cap)
    except zlib.error as exc:
        raise FetchError(f"bad gzip data: {exc}") from exc
