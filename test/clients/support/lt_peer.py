#!/usr/bin/env python3
"""One libtorrent (libtorrent-rasterbar, Debian's python3-libtorrent) peer, driven by the
client tests in test/clients/.

    lt_peer.py --torrent FILE --save DIR --listen IP [--seed] [--name NAME]

Seeds (--seed, the payload already in DIR) or leeches one torrent, bound to one address, with
DHT, local service discovery, PEX (no plugins at all), UPnP and NAT-PMP off, so the tracker in
the .torrent is the only way it meets peers. Writes one JSON object a line to stdout:

    {"t": "listen", "address": ..., "port": ..., "socket": "tcp"|"utp"}
    {"t": "tracker_reply", "url": ..., "num_peers": N}
    {"t": "tracker_error", "url": ..., "error": ..., "reason": ..., "msg": ..., "times": N}
    {"t": "tracker_warning", "url": ..., "msg": ...}
    {"t": "finished"}                      the whole payload is on disk and verified
    {"t": "status", ...}                   whenever state, progress or peer count change
    {"t": "log", "msg": ...}               any other alert, for the failure report

It runs until stdin closes (the test process ended) or SIGTERM.
"""
import argparse
import json
import os
import signal
import sys
import threading
import time

import libtorrent as lt

parser = argparse.ArgumentParser()
parser.add_argument("--torrent", required=True)
parser.add_argument("--save", required=True)
parser.add_argument("--listen", required=True, help="IPv4 or IPv6 address (no brackets)")
parser.add_argument("--seed", action="store_true")
parser.add_argument("--name", default="lt")
args = parser.parse_args()

stop = threading.Event()


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def watch_stdin():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except Exception:
        pass
    stop.set()


threading.Thread(target=watch_stdin, daemon=True).start()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
signal.signal(signal.SIGINT, lambda *_: stop.set())

host = f"[{args.listen}]" if ":" in args.listen else args.listen
cat = lt.alert.category_t
settings = {
    "listen_interfaces": f"{host}:0",
    "outgoing_interfaces": args.listen,
    "enable_dht": False,
    "enable_lsd": False,
    "enable_upnp": False,
    "enable_natpmp": False,
    # Tracker URLs on loopback with a path other than /announce (a private key) are otherwise refused.
    "ssrf_mitigation": False,
    "allow_multiple_connections_per_ip": True,
    "enable_outgoing_utp": False,
    "enable_incoming_utp": False,
    "peer_connect_timeout": 3,
    "min_reconnect_time": 1,
    "tracker_completion_timeout": 10,
    "tracker_receive_timeout": 5,
    "stop_tracker_timeout": 1,
    "user_agent": f"lt-test/{lt.__version__}",
    "alert_mask": int(
        cat.error_notification
        | cat.status_notification
        | cat.tracker_notification
        | cat.connect_notification
        | cat.peer_notification
        | cat.storage_notification
    ),
}
# flags=0: no default plugins (ut_pex, ut_metadata, smart_ban) and no default features (DHT, LSD, UPnP, NAT-PMP).
ses = lt.session(settings, 0)

params = lt.add_torrent_params()
params.ti = lt.torrent_info(args.torrent)
params.save_path = args.save
params.flags |= lt.torrent_flags.disable_dht | lt.torrent_flags.disable_lsd | lt.torrent_flags.disable_pex
params.flags &= ~lt.torrent_flags.auto_managed
params.flags &= ~lt.torrent_flags.paused
handle = ses.add_torrent(params)
emit({"t": "added", "name": args.name, "info_hash": str(params.ti.info_hashes().v1), "seed": args.seed})

last = None
next_status = 0.0
while not stop.is_set():
    ses.wait_for_alert(200)
    for a in ses.pop_alerts():
        if isinstance(a, lt.listen_succeeded_alert):
            emit({"t": "listen", "address": str(a.address), "port": a.port, "socket": str(a.socket_type)})
        elif isinstance(a, lt.tracker_reply_alert):
            emit({"t": "tracker_reply", "url": a.url, "num_peers": a.num_peers})
        elif isinstance(a, lt.tracker_error_alert):
            reason = a.failure_reason() if hasattr(a, "failure_reason") else ""
            emit(
                {
                    "t": "tracker_error",
                    "url": a.url,
                    "error": a.error.message(),
                    "reason": reason,
                    "msg": a.message(),
                    "times": a.times_in_row,
                }
            )
        elif isinstance(a, lt.tracker_warning_alert):
            emit({"t": "tracker_warning", "url": a.url, "msg": a.message()})
        elif isinstance(a, lt.torrent_finished_alert):
            emit({"t": "finished"})
        else:
            emit({"t": "log", "kind": type(a).__name__, "msg": a.message()})
    now = time.monotonic()
    if now >= next_status:
        next_status = now + 0.2
        s = handle.status()
        current = (str(s.state), round(s.progress, 2), s.num_peers, s.num_seeds, s.is_seeding)
        if current != last:
            last = current
            emit(
                {
                    "t": "status",
                    "state": str(s.state),
                    "progress": s.progress,
                    "num_peers": s.num_peers,
                    "num_seeds": s.num_seeds,
                    "is_seeding": s.is_seeding,
                    "downloaded": s.total_payload_download,
                    "uploaded": s.total_payload_upload,
                }
            )

emit({"t": "stopping"})
ses.pause()
del ses
os._exit(0)
