"""Screenshot a page of a running Odoo as a logged-in user, with headless Chromium driven over the
DevTools protocol: python -m tests.tooling.screenshot URL_PATH OUTPUT.png [--login admin --password admin]

Used to refresh the README's pictures from the demo database that ./setup/run starts."""

import argparse
import base64
import json
import subprocess
import tempfile
import time

import requests
import websocket


def login(base_url, database, user, password):
    session = requests.Session()
    response = session.post(
        f"{base_url}/web/session/authenticate",
        json={"params": {"db": database, "login": user, "password": password}},
        timeout=30,
    )
    response.raise_for_status()
    return session.cookies["session_id"]


def capture(base_url, path, output, session_id, width=1400, height=900, wait=6.0):
    profile = tempfile.mkdtemp(prefix="omnichannel-shot-")
    browser = subprocess.Popen(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--remote-debugging-port=9333",
            f"--window-size={width},{height}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _attempt in range(50):
            try:
                targets = requests.get("http://127.0.0.1:9333/json", timeout=2).json()
                page = next(target for target in targets if target["type"] == "page")
                break
            except (requests.RequestException, StopIteration):
                time.sleep(0.2)
        socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        counter = iter(range(1, 1000))

        def call(method, **params):
            message_id = next(counter)
            socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
            while True:
                answer = json.loads(socket.recv())
                if answer.get("id") == message_id:
                    return answer.get("result", {})

        call("Network.enable")
        call("Network.setCookie", name="session_id", value=session_id, url=base_url)
        call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        call("Page.navigate", url=f"{base_url}{path}")
        time.sleep(wait)
        shot = call("Page.captureScreenshot", format="png")
        with open(output, "wb") as file:
            file.write(base64.b64decode(shot["data"]))
    finally:
        browser.terminate()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("output")
    parser.add_argument("--base-url", default="http://localhost:8069")
    parser.add_argument("--db", default="omnichannel")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--wait", type=float, default=6.0, help="seconds for the page to render")
    args = parser.parse_args()
    session_id = login(args.base_url, args.db, args.login, args.password)
    capture(args.base_url, args.path, args.output, session_id, wait=args.wait)


if __name__ == "__main__":
    main()
