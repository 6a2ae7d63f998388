"""The ministry's key pair: Ed25519 signatures over the canonical agreement of a workbook.

`xlkpi keys new --output DIR` writes `DIR/signing-key.pem` (private, mode 0600, kept by the
ministry) and `DIR/public-key.pem` (given to whoever audits).  `xlkpi workbook sar|template
--sign-key KEY` stores `sign(...)` of the canonical agreement text plus the layout version in
the workbook's hidden sheet; `xlkpi audit --public-key KEY` believes that copy only when
`verify` says the ministry signed exactly those bytes.  Uses the `cryptography` package.
"""
from __future__ import annotations

import base64
import os
from pathlib import Path

SIGNING_KEY = "signing-key.pem"
PUBLIC_KEY = "public-key.pem"
CONTEXT = b"xlkpi signed agreement v1\n"


class KeyError_(ValueError):
    """A key file that cannot be used; the message is Thai and English."""


def payload(agreement_text: str, layout_version) -> bytes:
    """Exactly the bytes signed: a context line, the layout version, the canonical agreement."""
    return CONTEXT + f"layout {layout_version}\n".encode("ascii") + agreement_text.encode("utf-8")


def new_keys(folder) -> tuple[Path, Path]:
    """Write a fresh key pair into `folder`; never overwrites an existing key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    private_path, public_path = folder / SIGNING_KEY, folder / PUBLIC_KEY
    for path in (private_path, public_path):
        if path.exists():
            raise KeyError_(f"มีไฟล์กุญแจอยู่แล้ว ไม่เขียนทับ: {path} — a key already exists, not overwritten: {path}")
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    handle = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "wb") as out:
        out.write(private)
    public_path.write_bytes(public)
    return private_path, public_path


def _load(path, private: bool):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

    try:
        data = Path(path).read_bytes()
        key = (serialization.load_pem_private_key(data, password=None) if private
               else serialization.load_pem_public_key(data))
    except (OSError, ValueError, TypeError) as exc:
        what = ("กุญแจลงนาม", "signing key") if private else ("กุญแจสาธารณะ", "public key")
        raise KeyError_(f"อ่าน{what[0]}ไม่ได้: {path} — cannot read the {what[1]} {path}: {exc}") from exc
    expected = Ed25519PrivateKey if private else Ed25519PublicKey
    if not isinstance(key, expected):
        raise KeyError_(f"ไม่ใช่กุญแจ Ed25519: {path} — not an Ed25519 key: {path}")
    return key


def load_signing_key(path):
    return _load(path, private=True)


def load_public_key(path):
    return _load(path, private=False)


def signer(private_key):
    """A `signer(text, layout_version) -> str` for the workbook writers."""
    def sign(text: str, layout_version) -> str:
        return base64.b64encode(private_key.sign(payload(text, layout_version))).decode("ascii")
    return sign


def verify(public_key, agreement_text: str, layout_version, signature) -> bool:
    """Did the ministry's key sign exactly this agreement text and layout version?"""
    from cryptography.exceptions import InvalidSignature

    if not isinstance(signature, str) or not isinstance(agreement_text, str):
        return False
    try:
        raw = base64.b64decode(signature.strip(), validate=True)
        public_key.verify(raw, payload(agreement_text, layout_version))
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False
