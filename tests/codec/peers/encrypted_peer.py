"""An independent implementation of docs/encrypted-values.md (Python `cryptography`), used as
an interop peer: one JSON request per stdin line, one JSON answer per stdout line."""
import base64
import json
import os
import struct
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = 1


def derive(master: bytes, purpose: str) -> bytes:
    info = b"httpstate-encrypted-v1:" + purpose.encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


def seal(master: bytes, key_id: int, purpose: str, name: str, value: bytes, expires=None) -> str:
    header = bytes([VERSION, key_id])
    nonce = os.urandom(12)
    plaintext = struct.pack(">Q", expires or 0) + value
    sealed = AESGCM(derive(master, purpose)).encrypt(nonce, plaintext, header + name.encode())
    return base64.urlsafe_b64encode(header + nonce + sealed).rstrip(b"=").decode()


def open_(keys: dict, purpose: str, name: str, token: str, now: int):
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    if len(raw) < 2 + 12 + 8 + 16 or raw[0] != VERSION or raw[1] not in keys:
        return None
    header, nonce, sealed = raw[:2], raw[2:14], raw[14:]
    try:
        plaintext = AESGCM(derive(keys[raw[1]], purpose)).decrypt(nonce, sealed, header + name.encode())
    except InvalidTag:
        return None
    (expires,) = struct.unpack(">Q", plaintext[:8])
    if expires and expires <= now:
        return None
    return plaintext[8:]


def main():
    for line in sys.stdin:
        req = json.loads(line)
        keys = {int(k): v.encode() for k, v in req["keys"].items()}
        newest = req["newest"]
        value = req["value"].encode()
        theirs = seal(keys[newest], newest, req["purpose"], req["name"], value, req.get("expires"))
        loaded = open_(keys, req["purpose"], req["name"], req["ours"], req["now"])
        print(json.dumps({"id": req["id"], "theirs": theirs, "loaded": None if loaded is None else loaded.decode()}))


if __name__ == "__main__":
    main()
