# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customers' voice messages made playable in the browser: WeChat and WeCom send AMR (or SILK),
which no browser plays; ffmpeg turns them into MP3. Without ffmpeg the original is offered for
download."""

import os
import shutil
import subprocess
import tempfile

DEFAULT_CONVERTER = "ffmpeg"
# Seconds a conversion may take: a voice message lasts at most a minute.
CONVERSION_TIMEOUT = 60
# Mono MP3 of variable bit rate, about 64 kbit/s: a voice, not music.
MP3_OPTIONS = ("-vn", "-ac", "1", "-codec:a", "libmp3lame", "-q:a", "6")


class ConversionError(Exception):
    pass


def find_converter(configured=None):
    """The path of the converter (`configured`, else ffmpeg found on PATH), or None when there is
    none to run."""
    return shutil.which(configured or DEFAULT_CONVERTER)


def to_mp3(data, converter):
    """`data` (AMR, SILK, any audio ffmpeg reads) as MP3 bytes; ConversionError when ffmpeg cannot
    read it. Files, not pipes: ffmpeg probes AMR by seeking."""
    with tempfile.TemporaryDirectory(prefix="omnichannel-voice-") as folder:
        source, target = os.path.join(folder, "voice.in"), os.path.join(folder, "voice.mp3")
        with open(source, "wb") as handle:
            handle.write(data)
        try:
            completed = subprocess.run(
                [converter, "-nostdin", "-loglevel", "error", "-i", source, *MP3_OPTIONS, target],
                capture_output=True,
                timeout=CONVERSION_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise ConversionError(str(error)) from None
        if completed.returncode or not os.path.exists(target):
            message = completed.stderr.decode(errors="replace").strip().splitlines()
            raise ConversionError(message[-1] if message else f"exit {completed.returncode}")
        with open(target, "rb") as handle:
            return handle.read()
