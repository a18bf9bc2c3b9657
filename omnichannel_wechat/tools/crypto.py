# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""WeChat message encryption (compatible and safe modes), as the platform specifies it:
AES-256-CBC with the key decoded from the 43-character EncodingAESKey and its first 16 bytes as IV;
plaintext = random(16) + message length (4 bytes, network order) + message + AppID, padded with
PKCS#7 to a multiple of 32 bytes; the result is base64-encoded."""

import base64
import binascii
import os
import secrets
import string
import struct

from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK_SIZE = 32
# The characters of an EncodingAESKey as the consoles generate it.
KEY_ALPHABET = string.ascii_letters + string.digits


class WechatCryptoError(ValueError):
    """The message cannot be decrypted, or is not for this account."""


def aes_key(encoding_aes_key):
    try:
        key = base64.b64decode(f"{encoding_aes_key}=", validate=True)
    except (binascii.Error, ValueError) as error:
        raise WechatCryptoError("EncodingAESKey is not base64") from error
    if len(key) != 32:
        raise WechatCryptoError("EncodingAESKey must decode to 32 bytes")
    return key


def new_encoding_aes_key():
    """A random EncodingAESKey: 43 letters and digits, like the consoles' "random" button."""
    return "".join(secrets.choice(KEY_ALPHABET) for _index in range(43))


def _cipher(key):
    return Cipher(algorithms.AES(key), modes.CBC(key[:16]), backend=default_backend())


def encrypt(message, encoding_aes_key, app_id, random_prefix=None):
    """Base64 ciphertext of `message` (str) for the account `app_id`."""
    key = aes_key(encoding_aes_key)
    body = message.encode()
    prefix = random_prefix if random_prefix is not None else os.urandom(16)
    plain = prefix + struct.pack("!I", len(body)) + body + app_id.encode()
    pad = BLOCK_SIZE - len(plain) % BLOCK_SIZE
    plain += bytes([pad]) * pad
    encryptor = _cipher(key).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def decrypt(ciphertext, encoding_aes_key, app_id):
    """The message (str) inside `ciphertext`; raises WechatCryptoError when it is malformed or was
    encrypted for another AppID."""
    key = aes_key(encoding_aes_key)
    try:
        raw = base64.b64decode(ciphertext, validate=True)
    except (binascii.Error, ValueError) as error:
        raise WechatCryptoError("ciphertext is not base64") from error
    if not raw or len(raw) % 16:
        raise WechatCryptoError("ciphertext length is not a multiple of the AES block")
    decryptor = _cipher(key).decryptor()
    plain = decryptor.update(raw) + decryptor.finalize()
    pad = plain[-1]
    if not 1 <= pad <= BLOCK_SIZE or plain[-pad:] != bytes([pad]) * pad:
        raise WechatCryptoError("bad padding")
    content = plain[16:-pad]
    if len(content) < 4:
        raise WechatCryptoError("message too short")
    (length,) = struct.unpack("!I", content[:4])
    if length > len(content) - 4:
        raise WechatCryptoError("message length beyond the data")
    message, from_app_id = content[4 : 4 + length], content[4 + length :]
    if from_app_id.decode(errors="replace") != app_id:
        raise WechatCryptoError("message was encrypted for another AppID")
    try:
        return message.decode()
    except UnicodeDecodeError as error:
        raise WechatCryptoError("message is not UTF-8") from error
