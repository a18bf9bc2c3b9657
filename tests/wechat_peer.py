"""The WeChat platform's side of a callback, for repository-level tests and benchmarks: an account's
secrets and the callbacks the platform would post to it."""

TOKEN = "peer-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


def create_account(env, app_id, mode="safe"):
    return env["omnichannel.wechat.account"].create(
        {
            "name": f"Peer {app_id}",
            "app_id": app_id,
            "token": TOKEN,
            "encoding_aes_key": AES_KEY,
            "message_mode": mode,
        }
    )


def text_callback(account_id, app_id, openid, msg_id, content, mode="safe"):
    """(url, body) of a follower's text message, as the platform posts it."""
    from odoo.addons.omnichannel_wechat.tests import platform  # noqa: PLC0415 -- needs Odoo's path

    message = platform.follower_message(openid, MsgType="text", Content=content, MsgId=msg_id)
    return platform.build_callback(
        f"/omnichannel/wechat/{account_id}",
        message,
        mode,
        platform.AccountKeys(TOKEN, AES_KEY, app_id),
    )
