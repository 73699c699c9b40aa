"""ss7gen - synthetic SS7/MAP over SIGTRAN trace generator for ss7watch.

Writes classic pcap files (link type Ethernet) of Ethernet [802.1Q] / IPv4|IPv6 / SCTP
(CRC32c) / M3UA / SCCP (UDT, XUDT) / TCAP / GSM MAP, byte-correct for tshark.
Python 3 standard library only.

    ss7gen.py ops   [-o ops.pcap]  [--labels ops.jsonl]   every MAP operation, request+result
    ss7gen.py edge  [-o edge.pcap] [--labels edge.jsonl]  transport and encoding corner cases
    ss7gen.py demo  [-o demo.pcap] [--labels demo.jsonl]  benign mix + Circles-style attacks
    ss7gen.py bench -n 1000000 [-o bench.pcap]            fast template-based bulk traffic
    ss7gen.py scenario -n 1000000 [-o scen.pcap]          realistic benign traffic (planner)
    ss7gen.py attacks [--dir tests/detect/traces]         per-rule positive/near-miss traces
    ss7gen.py campaign [-o traces/campaign.pcap]          an attack campaign with bursts (labels beside it)
"""

import argparse
import sys
import time

from .pcap import PcapWriter
from .net import Net
from .ops import gen_ops
from .edge import gen_edge
from .demo import gen_demo
from .bench import gen_bench
from .scenario import Scenario
from .attacks import gen_attacks
from .campaign import gen_campaign


def main(argv=None):
    ap = argparse.ArgumentParser(prog="ss7gen.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("cmd", choices=["ops", "edge", "demo", "bench", "scenario", "attacks", "campaign"])
    ap.add_argument("-o", "--output", default=None, help="pcap file (default <cmd>.pcap, - for stdout)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--labels", default=None, help="write JSON-lines ground truth here")
    ap.add_argument("-n", type=int, default=1000000, help="bench: number of messages (frames)")
    ap.add_argument("--no-crc", action="store_true", help="leave SCTP checksums zero (faster)")
    ap.add_argument("--benign", type=int, default=60, help="demo: number of benign flows")
    ap.add_argument("--rate", type=float, default=12.0,
                    help="scenario: mean messages per second of capture time (default 12: 1M "
                         "messages span about a day)")
    ap.add_argument("--home-subs", type=int, default=20000, help="scenario: home subscribers")
    ap.add_argument("--roamers", type=int, default=3000, help="scenario: visiting subscribers")
    ap.add_argument("--mix", choices=["realistic", "classic"], default="realistic",
                    help="scenario: the realistic interconnect mix (default) or the first, "
                         "classic mix that keeps under every rule's thresholds")
    ap.add_argument("--only", default=None,
                    help="attacks: only these traces (comma-separated rule ids or realism trace names; "
                         "realism-scan-after-gt-flood, 1.1M frames, is written only when named)")
    ap.add_argument("--dir", default=None, help="attacks: output directory (default tests/detect/traces)")
    a = ap.parse_args(argv)
    if a.cmd == "attacks":
        import os
        top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
        d = a.dir or os.path.normpath(os.path.join(top, "tests", "detect", "traces"))
        gen_attacks(d, a.seed, a.only.split(",") if a.only else None)
        return 0
    if a.cmd == "campaign":
        import os
        path = a.output or "campaign.pcap"
        gen_campaign(path, a.labels or os.path.splitext(path)[0] + ".labels.jsonl", a.seed)
        return 0
    path = a.output or "%s.pcap" % a.cmd
    out = PcapWriter(path)
    labels = open(a.labels, "w") if a.labels else None
    t0 = time.time()
    if a.cmd == "scenario":
        sc = Scenario(out, a.n, seed=a.seed, rate=a.rate, labels=labels, crc=not a.no_crc,
                      n_home=a.home_subs, n_roamers=a.roamers, mix=a.mix)
        st = sc.run()
        dt = time.time() - t0
        sys.stderr.write("ss7gen scenario: %d frames in %.1f s of capture time, %d templates, "
                         "%d trips, %d subscribers abroad at the end, generated in %.1f s\n"
                         % (st["frames"], st["duration_s"], st["templates"], st["flows"].get("trips", 0),
                            st["abroad"], dt))
    elif a.cmd == "bench":
        st = gen_bench(out, a.n, a.seed, crc=not a.no_crc, labels=labels)
        dt = time.time() - t0
        sys.stderr.write("ss7gen bench: %d frames, %d templates (%.2f s), written in %.2f s, "
                         "%.0f frames/s total\n" % (out.frames, st["templates"], st["build_s"],
                                                    st["write_s"], out.frames / dt))
    else:
        net = Net(out, seed=a.seed, labels=labels, crc=not a.no_crc)
        {"ops": gen_ops, "edge": gen_edge, "demo": lambda n: gen_demo(n, a.benign)}[a.cmd](net)
        sys.stderr.write("ss7gen %s: %d frames to %s\n" % (a.cmd, out.frames, path))
    out.close()
    if labels:
        labels.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
