#!/usr/bin/env python3
"""Drive the daemon's telnet VTY and CTRL interface and check the answers against what
doc/ss7watch.8 documents. The daemon runs the example config with one file input, "demo",
reading traces/demo.pcap to its end; --offline is the replay mode's alert file for the same
trace, --eve the daemon's."""
import argparse
import json
import re
import socket
import sys
import time

sys.path.insert(0, __import__("os").path.dirname(__file__))
from ctrl import request  # noqa: E402

FAILURES = []


def check(cond, what):
    print("%s: %s" % ("ok" if cond else "FAIL", what))
    if not cond:
        FAILURES.append(what)


class Vty:
    PROMPT = re.compile(rb"\r?\n?ss7watch[>#] $")

    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.read_until_prompt()

    def read_until_prompt(self):
        buf = b""
        deadline = time.time() + 10
        while time.time() < deadline:
            chunk = self.s.recv(65536)
            if not chunk:
                break
            buf += chunk
            # telnet negotiation (IAC ...) comes first; the prompt ends every answer
            if re.search(rb"ss7watch[>#] $", buf):
                break
        text = re.sub(rb"\xff[\xfb-\xfe].|\xff\xfa.*?\xff\xf0", b"", buf, flags=re.S)
        return text.decode(errors="replace")

    def cmd(self, line):
        self.s.sendall(line.encode() + b"\r\n")
        out = self.read_until_prompt()
        # drop the echoed command and the prompt
        lines = out.replace("\r", "").split("\n")
        return "\n".join(l for l in lines if not re.match(r"^ss7watch[>#] ", l) and l != line).strip("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vty-port", type=int, default=4290)
    ap.add_argument("--ctrl-port", type=int, default=4291)
    ap.add_argument("--eve", required=True)
    ap.add_argument("--offline", required=True)
    a = ap.parse_args()

    # the daemon's incidents are still open (a file input closes none on idle): its file has
    # alert lines only; the replay closed its incidents at the end
    eve = [o for o in map(json.loads, open(a.eve)) if o["event_type"] == "alert"]
    offline_all = [json.loads(l) for l in open(a.offline)]
    offline = [o for o in offline_all if o["event_type"] == "alert"]
    offline_incidents = [o for o in offline_all if o["event_type"] == "incident"]
    check(len(eve) == len(offline) and len(eve) > 0,
          "the file input raised the offline run's %d alerts (%d)" % (len(offline), len(eve)))

    v = Vty(a.vty_port)
    out = v.cmd("show inputs")
    check(re.search(r"^demo\s+file\s+finished\s+230\s+\d+\s+0\s+0\s+0\s+0\s+\S*demo.pcap", out, re.M) is not None,
          "show inputs: demo, file, finished, 230 frames, no drops\n" + out)

    out = v.cmd("show alerts")
    check(re.search(r"^Alerts: %d raised" % len(eve), out, re.M) is not None, "show alerts: the total")
    rows = [l for l in out.split("\n") if l.startswith("20")]
    check(len(rows) == min(20, len(eve)), "show alerts: one row per alert (%d)" % len(rows))
    out = v.cmd("show alerts last 2")
    rows = [l for l in out.split("\n") if l.startswith("20")]
    check(len(rows) == 2, "show alerts last 2: two rows")
    last = eve[-1]
    check(rows and last["alert"]["rule"] in rows[-1] and ("#%d" % last["pcap_cnt"]) in rows[-1],
          "show alerts last 2: the newest alert last (%s, frame %d)" % (last["alert"]["rule"], last["pcap_cnt"]))

    # a subscriber with alerts: its state and its alerts
    sub = next(o["subscriber"] for o in eve if o.get("subscriber", {}).get("imsi") and
               o["subscriber"].get("msisdn"))
    out = v.cmd("show subscriber imsi %s" % sub["imsi"])
    check(("Subscriber IMSI %s" % sub["imsi"]) in out and ("MSISDN: %s" % sub["msisdn"]) in out,
          "show subscriber imsi: identity\n" + out)
    check(re.search(r"MSC/VLR: \d+ since .* \(learned from \w+\)", out) is not None,
          "show subscriber imsi: serving MSC/VLR and the operation it was learned from")
    check(re.search(r"Last seen at: (\d+ at .* \([\w-]+, frame \d+\)|unknown \(no activity of the phone seen\))",
                    out) is not None, "show subscriber imsi: where the phone was last seen\n" + out)
    n_alerts = sum(1 for o in eve if o.get("subscriber", {}).get("imsi") == sub["imsi"])
    check(len([l for l in out.split("\n") if l.startswith("20")]) == n_alerts,
          "show subscriber imsi: its %d recent alerts" % n_alerts)
    out2 = v.cmd("show subscriber msisdn %s" % sub["msisdn"])
    check(("Subscriber IMSI %s" % sub["imsi"]) in out2, "show subscriber msisdn: the same subscriber")
    out = v.cmd("show subscriber imsi 001019999999999")
    check("% no subscriber with IMSI 001019999999999" in out, "show subscriber imsi: unknown subscriber")

    out = v.cmd("show rules")
    rules = [l for l in out.split("\n")[1:] if l.strip()]
    check(len(rules) == 25, "show rules: the 25 rules of the catalogue (%d)" % len(rules))
    by_rule = {}
    for o in eve:
        by_rule[o["alert"]["rule"]] = by_rule.get(o["alert"]["rule"], 0) + 1
    ok = all(re.search(r"^%s\s+enabled\s.*\s%d$" % (re.escape(r), n), out, re.M) for r, n in by_rule.items())
    check(ok, "show rules: alerts per rule")

    # the rate counters follow the pipeline's counters within one sync interval
    deadline = time.time() + 5
    out = v.cmd("show stats")
    while not re.search(r"Frames read from all inputs:\s+230 ", out) and time.time() < deadline:
        time.sleep(0.2)
        out = v.cmd("show stats")
    check(re.search(r"Frames read from all inputs:\s+230 ", out) is not None,
          "show stats: the pipeline counters of the input (rate counters)")
    check(re.search(r"Alerts raised \(all rules\):\s+%d " % len(eve), out) is not None, "show stats: alerts")
    check(re.search(r"Results and errors paired with the invoke they answer:\s+115 ", out) is not None,
          "show stats: the tracker's dialogue counters\n" + out)
    check(re.search(r"Subscribers the table holds now.*:\s+65535", out) is not None,
          "show stats: the subscriber table's size (stat item)")
    out = v.cmd("show summary")
    check(re.search(r"Frames: 230, SCCP messages: 230", out) is not None, "show summary\n" + out)
    check(re.search(r"Subscribers: 44 in a table of 65535 \(maximum 1048580, grown 0 times\)", out)
          is not None, "show summary: the subscriber table, grown to what it holds\n" + out)
    check(re.search(r"Global titles: \d+ of 1048576, 0 refused \(table full\)", out) is not None,
          "show summary: the GT table, nothing refused\n" + out)
    check(re.search(r"Identify steps from outside: \d+ in a table of 131072, 0 evicted", out) is not None,
          "show summary: the identify table at its default size, nothing evicted\n" + out)
    check(re.search(r"Correlation windows evicted while open: 0 scan, 0 identity-rotation", out) is not None,
          "show summary: no correlation window evicted\n" + out)
    check(re.search(r"Alert queue: 0 of 4194304 bytes in use", out) is not None,
          "show summary: the writer queue, empty\n" + out)
    check(re.search(r"0 encode errors, 0 dropped \(queue full\)", out) is not None,
          "show summary: nothing dropped\n" + out)

    out = v.cmd("show incidents")
    ids = set(o["incident_id"] for o in eve)
    # id origin network cc first last sev alerts written subscribers top-rule
    rows = [l.split() for l in out.splitlines() if re.match(r"^\d+ ", l)]
    rows = [(r[0], r[1], r[6], r[8]) for r in rows if len(r) == 11]
    check(re.search(r"^Incidents: %d open, %d opened" % (len(ids), len(ids)), out, re.M) is not None
          and len(ids) == len(offline_incidents),
          "show incidents: as many open as the replay closed at its end (%d)\n%s" % (len(offline_incidents), out))
    check(set(int(r[0]) for r in rows) == ids,
          "show incidents: one row per incident_id of the alert lines\n" + out)
    check(sum(int(r[3]) for r in rows) == len(eve), "show incidents: the alerts written add up")
    want_origins = sorted(i["incident"]["origin"].get("gt", "") if not i["incident"]["origin"].get("spoofed")
                          else "net:" + i["incident"]["origin"]["network"] for i in offline_incidents)
    check(sorted(r[1] for r in rows) == want_origins,
          "show incidents: the origins of the replay's incidents (%s)\n%s" % (want_origins, out))

    # the usual logging commands
    out = v.cmd("logging enable")
    check("%" not in out, "logging enable")
    out = v.cmd("logging level input debug")
    check("%" not in out, "logging level input debug (our category DINPUT)")
    out = v.cmd("show logging vty")
    check(re.search(r"input\s+.*DEBUG", out, re.I) is not None, "show logging vty: our category at debug\n" + out)
    out = v.cmd("enable")
    out = v.cmd("show running-config")
    check("input file demo" in out and "home-network" in out and "path " in out,
          "show running-config: our sections")

    # CTRL
    s = socket.create_connection(("127.0.0.1", a.ctrl_port), timeout=5)

    def get(var):
        r = request(s, "GET 1 %s" % var).split(" ", 3)
        return r[3] if r[0] == "GET_REPLY" else None

    check(get("alerts.total") == str(len(eve)), "CTRL alerts.total")
    check(get("alerts.written") == str(len(eve)), "CTRL alerts.written")
    check(get("alerts.dropped") == "0", "CTRL alerts.dropped")
    check(get("alerts.queued") == "0", "CTRL alerts.queued")
    check(get("alerts.dropped.high") == "0", "CTRL alerts.dropped.high")
    check(get("alerts.filtered") == "0", "CTRL alerts.filtered")
    check(get("alerts.filtered.scan") == "0", "CTRL alerts.filtered.<rule-id>")
    check(get("incidents.open") == str(len(ids)), "CTRL incidents.open")
    check(get("stats.frames") == "230", "CTRL stats.frames")
    check(get("stats.sccp.messages") == "230", "CTRL stats.sccp.messages")
    check(get("input.demo.state") == "finished", "CTRL input.demo.state")
    check(get("input.demo.messages") == "230", "CTRL input.demo.messages")
    inputs = get("inputs") or ""
    check(inputs.startswith("demo,file,finished,230,0,0,0,0,"), "CTRL inputs: " + inputs)
    for r, n in by_rule.items():
        check(get("alerts.rule.%s" % r) == str(n), "CTRL alerts.rule.%s" % r)
    deadline = time.time() + 5
    while get("rate_ctr.abs.input.0.frames") != "230" and time.time() < deadline:
        time.sleep(0.2)
    check(get("rate_ctr.abs.input.0.frames") == "230", "CTRL rate_ctr.abs.input.0.frames (synced by the timer)")
    check(get("rate_ctr.abs.ss7watch.0.alerts:raised") == str(len(eve)), "CTRL rate_ctr.abs.ss7watch.0.alerts:raised")
    check(get("subscribers") not in (None, "0"), "CTRL subscribers")
    r = request(s, "GET 9 stats.no_such_counter")
    check(r.startswith("ERROR 9 "), "CTRL unknown counter is an ERROR")
    r = request(s, "SET 10 alerts.total 0")
    check(r.startswith("ERROR 10 "), "CTRL variables are read-only")

    if FAILURES:
        print("%d checks failed" % len(FAILURES))
        return 1
    print("VTY and CTRL answered as documented")
    return 0


if __name__ == "__main__":
    sys.exit(main())
