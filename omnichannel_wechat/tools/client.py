# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The WeChat Official Account platform API, as a plain client (no Odoo): the access token, the
customer-service text, image, voice and video, temporary media, and the template message, with the
platform's error codes (and downloading a customer's media). The account model keeps the
configuration and caches the token."""

import re
from datetime import timedelta
from urllib.parse import unquote

import requests

from odoo.addons.omnichannel_crm.tools.media import CHUNK_SIZE, MediaTooLarge, read_capped
from odoo.addons.omnichannel_crm.tools.redact import redact_secrets

DEFAULT_API_BASE = "https://api.weixin.qq.com"
# Seconds to connect, and then between the bytes of the answer, unless configured otherwise.
API_TIMEOUT = 10
# The platform is busy ("system busy, try again later"), and our own code for a platform that did
# not answer (down, timed out, HTTP 5xx): worth trying again a little later.
SYSTEM_BUSY_ERRCODE = -1
# Invalid or expired access token: refresh once and retry.
TOKEN_ERRCODES = {40001, 40014, 42001}
# The customer last wrote more than 48 hours ago: customer-service messages are refused.
WINDOW_CLOSED_ERRCODE = 45015
# The customer-service messages allowed since the customer's last message are used up.
QUOTA_ERRCODE = 45047
# Errors after which a customer-service text cannot go now, but a template message or another
# channel can.
WINDOW_ERRCODES = {WINDOW_CLOSED_ERRCODE, QUOTA_ERRCODE}
SERVICE_WINDOW = timedelta(hours=48)
# The media id is unknown to the platform, or its file expired (temporary media live 3 days).
INVALID_MEDIA_ERRCODE = 40007
FILENAME_RE = re.compile(r'filename="?([^";]+)"?', re.IGNORECASE)
FILENAME_EXT_RE = re.compile(r"filename\*=UTF-8''([^;\s]+)", re.IGNORECASE)
# Template message errors: an OpenID not of this account, a template ID not of the account, a
# customer who unfollowed, one who refused template messages, keywords that do not fit the template.
INVALID_OPENID_ERRCODE = 40003
INVALID_TEMPLATE_ERRCODE = 40037
UNFOLLOWED_ERRCODE = 43004
REFUSED_TEMPLATES_ERRCODE = 43101
INVALID_TEMPLATE_DATA_ERRCODE = 47003


class WechatApiError(Exception):
    """An error answered by the platform (its errcode and errmsg), or -1 when unreachable. Its
    text is shown to users and logged: credentials in it (`secrets`, and any in a URL it quotes)
    are masked. `transient`: the same call may well succeed a little later (the platform busy,
    down or too slow to answer), unlike a refusal."""

    def __init__(self, errcode, errmsg, secrets=(), transient=None):
        errmsg = redact_secrets(errmsg, secrets)
        super().__init__(f"WeChat error {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg
        self.transient = errcode == SYSTEM_BUSY_ERRCODE if transient is None else transient


class WechatClient:
    def __init__(self, base_url=DEFAULT_API_BASE, timeout=API_TIMEOUT, secrets=()):
        """`secrets`: the account's credentials, masked in every error text."""
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.secrets = tuple(secrets)

    def call(self, method, path, secrets=(), **kwargs):
        """The platform's JSON answer, or WechatApiError (`secrets`: the call's credentials)."""
        secrets = (*self.secrets, *secrets)
        response = self._request(method, f"{self.base_url}{path}", secrets, **kwargs)
        return self._json_answer(response, secrets)

    def _request(self, method, url, secrets, **kwargs):
        """The platform's HTTP response, or WechatApiError when it could not be reached."""
        # Not chained (`from None`): the library's exception names the URL, credentials included,
        # and a chained cause is shown with the user's error and logged with its traceback.
        try:
            return requests.request(method, url, timeout=self.timeout, **kwargs)
        except (requests.ConnectionError, requests.Timeout) as error:
            raise WechatApiError(
                SYSTEM_BUSY_ERRCODE, f"WeChat API unreachable: {error}", secrets
            ) from None
        except requests.RequestException as error:  # a malformed URL, too many redirects
            raise WechatApiError(
                SYSTEM_BUSY_ERRCODE, f"WeChat API unreachable: {error}", secrets, transient=False
            ) from None

    def _json_answer(self, response, secrets):
        """The JSON of the platform's answer, or WechatApiError for its error code or an HTTP
        error."""
        # Overloaded or down behind its gateway: try again later; another HTTP error is a
        # refusal (a wrong API address, a proxy that refuses).
        unavailable = response.status_code >= 500 or response.status_code == 429
        try:
            response.raise_for_status()
            data = response.json()
        except (requests.RequestException, ValueError) as error:
            raise WechatApiError(
                SYSTEM_BUSY_ERRCODE,
                f"WeChat API unreachable: {error}",
                secrets,
                transient=unavailable,
            ) from None
        if data.get("errcode"):
            raise WechatApiError(data["errcode"], data.get("errmsg", ""), secrets)
        return data

    def fetch_token(self, app_id, app_secret):
        """(access token, seconds it lives)."""
        data = self.call(
            "GET",
            "/cgi-bin/token",
            params={"grant_type": "client_credential", "appid": app_id, "secret": app_secret},
            secrets=(app_secret,),
        )
        return data["access_token"], int(data.get("expires_in", 7200))

    def post(self, token, path, payload):
        return self.call(
            "POST", path, params={"access_token": token}, json=payload, secrets=(token,)
        )

    def send_text(self, token, openid, text):
        """A customer-service text, within 48 hours of the customer's last message."""
        return self.post(
            token,
            "/cgi-bin/message/custom/send",
            {"touser": openid, "msgtype": "text", "text": {"content": text}},
        )

    def upload_media(self, token, kind, filename, content, mimetype):
        """Upload `content` as temporary media of type `kind` (image, voice, video, thumb; WeCom:
        image, voice, video, file), in the multipart field "media" with its file name: its
        media_id, which the platform keeps three days."""
        data = self.call(
            "POST",
            "/cgi-bin/media/upload",
            params={"access_token": token, "type": kind},
            files={"media": (filename, content, mimetype or "application/octet-stream")},
            secrets=(token,),
        )
        return data.get("media_id") or data.get("thumb_media_id")

    def send_media(self, token, openid, kind, media_id, title=None):
        """A customer-service image, voice or video (`kind`) of uploaded media, within 48 hours of
        the customer's last message; a video shows `title`."""
        media = {"media_id": media_id}
        if kind == "video" and title:
            media["title"] = title
        return self.post(
            token,
            "/cgi-bin/message/custom/send",
            {"touser": openid, "msgtype": kind, kind: media},
        )

    def send_template(self, token, openid, payload, client_msg_id=None):
        """An approved template message (`payload`: template_id, data, url...). `client_msg_id`
        (ours): the platform sends one message per OpenID and client_msg_id within 10 minutes, so
        that a retry is harmless."""
        payload = dict(payload, touser=openid)
        if client_msg_id:
            payload["client_msg_id"] = client_msg_id
        return self.post(token, "/cgi-bin/message/template/send", payload)

    def get_media(self, token, media_id, max_bytes):
        """(bytes, file name or None) of a file the platform keeps for a while (cgi-bin/media/get:
        a customer's picture, voice message, video or file), read as it streams in, MediaTooLarge
        past `max_bytes`. The platform answers an error (40007: unknown or expired media) as JSON;
        a video of the Official Account as JSON naming the address to download it from."""
        secrets = (*self.secrets, token)
        response = self._request(
            "GET",
            f"{self.base_url}/cgi-bin/media/get",
            secrets,
            params={"access_token": token, "media_id": media_id},
            stream=True,
            # From the configured API only: a redirect elsewhere is not followed.
            allow_redirects=False,
        )
        with response:
            if not _is_json(response):
                return self._read_file(response, secrets, max_bytes)
            data = self._json_answer(response, secrets)
        video_url = data.get("video_url") or ""
        if not video_url.startswith(("http://", "https://")):
            raise WechatApiError(
                SYSTEM_BUSY_ERRCODE, "WeChat answered no file", secrets, transient=False
            )
        # The address the platform's API gave (not one from a customer's message); the access
        # token does not go there.
        with self._request("GET", video_url, secrets, stream=True) as response:
            return self._read_file(response, secrets, max_bytes)

    def _read_file(self, response, secrets, max_bytes):
        if response.status_code >= 400:
            raise WechatApiError(
                SYSTEM_BUSY_ERRCODE,
                f"WeChat API unreachable: HTTP {response.status_code}",
                secrets,
                transient=response.status_code >= 500 or response.status_code == 429,
            )
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise MediaTooLarge(f"{length} bytes")
        try:
            data = read_capped(response.iter_content(CHUNK_SIZE), max_bytes)
        except (requests.RequestException, OSError) as error:
            raise WechatApiError(
                SYSTEM_BUSY_ERRCODE, f"WeChat API unreachable: {error}", secrets
            ) from None
        return data, _file_name(response.headers.get("Content-Disposition", ""))


def _file_name(disposition):
    """The file name of a Content-Disposition header: RFC 5987's filename*=UTF-8''... first, else
    filename="...", whose UTF-8 bytes the platform sends as they are (read by HTTP as Latin-1)."""
    extended = FILENAME_EXT_RE.search(disposition)
    if extended:
        return unquote(extended.group(1))
    match = FILENAME_RE.search(disposition)
    if not match:
        return None
    try:
        return match.group(1).encode("latin-1").decode("utf-8")
    except UnicodeError:
        return match.group(1)


def _is_json(response):
    """The platform's errors come as JSON, with a JSON or a text content type."""
    content_type = response.headers.get("Content-Type", "").lower()
    return "json" in content_type or content_type.startswith("text/")
