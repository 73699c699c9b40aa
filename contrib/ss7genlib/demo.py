"""Subcommand demo: benign mixed traffic, a Circles-style attack chain, a rogue updateLocation and
an external anyTimeInterrogation.
"""

from .gsm_map import map_ati, map_ati_res, map_psi, map_psi_res, map_sri_sm, map_sri_sm_res
from .flows import (
    Sub, flow_location_update, flow_mt_call, flow_psi_home, flow_sai, flow_sms_mo, flow_sms_mt,
    flow_ussd, hlr_of, msc_of)


def make_population(net, n_home=40, n_roamers=12, n_out=10):
    rng = net.rng
    h = net.home
    home = []
    for i in range(n_home):
        v = h.node("vlr", i)
        home.append(Sub(h, i, v, rng, h.cells[i % len(h.cells)]))
    # outbound roamers: home subscribers served by a partner VLR
    for i, s in enumerate(home[:n_out]):
        s.vlr = net.partners[i % len(net.partners)].node("vlr", i)
        s.cell = None
    roamers = []
    for i in range(n_roamers):
        p = net.partners[i % len(net.partners)]
        roamers.append(Sub(p, 500 + i, h.node("vlr", i), rng, h.cells[i % len(h.cells)]))
    return home, roamers


def benign_step(net, home, roamers):
    rng = net.rng
    h = net.home
    r = rng.random()
    lab = {"label": "benign"}
    athome = [s for s in home if s.vlr.net is h]
    if r < 0.30:
        s = rng.choice(home)
        smsc = h.node("smsc") if rng.random() < 0.6 else rng.choice(net.partners).node("smsc")
        flow_sms_mt(net, s, smsc, info=lab, error=(rng.random() < 0.05))
    elif r < 0.40:
        s = rng.choice(athome)
        flow_mt_call(net, s, h.node("msc", rng.randrange(3)), info=lab)
    elif r < 0.55:
        s = rng.choice(home[:10])
        flow_sai(net, s, s.vlr, nvec=1, info=lab)
    elif r < 0.65:
        s = rng.choice(roamers)
        flow_sai(net, s, s.vlr, nvec=1, info=lab)
    elif r < 0.72:
        # home subscriber moving between two home VLRs
        s = rng.choice(athome)
        nv = h.node("vlr", (s.vlr.idx + 1) % 3)
        flow_location_update(net, s, nv, s.vlr, info=lab)
    elif r < 0.78:
        flow_psi_home(net, rng.choice(athome), info=lab)
    elif r < 0.86:
        flow_ussd(net, rng.choice(home), info=lab)
    else:
        s = rng.choice(home)
        flow_sms_mo(net, s, info=lab)


def gen_demo(net, n_benign=48):
    rng = net.rng
    h = net.home
    home, roamers = make_population(net)
    # initial attach of the roamers to the home VLRs
    for r in roamers[:4]:
        flow_location_update(net, r, r.vlr, None, info={"label": "benign"})
    for _ in range(n_benign // 3):
        benign_step(net, home, roamers)
    # ---- attack 1: Circles-style identify (SRI-SM) then locate (PSI, spoofed HLR GT) ----
    x = net.foreign[0]
    victim = home[20]
    att = "circles-1"
    sm = x.node("smsc")
    info = dict(victim.lab(), attack=att, label="locate-after-identify")
    # "rules": what ss7watch must raise on the frame ("expect": with the threat class); the
    # trace ends before the 300 s of sri-sm-without-delivery have passed
    d = net.dialogue(sm, hlr_of(victim), 45, called_gt=victim.msisdn,
                     info=dict(info, stage="identify", rules=["sri-sm-not-from-smsc"]))
    d.request(45, map_sri_sm(victim.msisdn, sm.gt),
              lab={"expect": [{"rule": "sri-sm-not-from-smsc", "threat": "recon"}]})
    d.respond(45, map_sri_sm_res(victim.imsi, msc_of(victim.vlr).gt), dt=0.02)
    for _ in range(4):
        benign_step(net, home, roamers)
    spoof = hlr_of(victim).gt
    d = net.dialogue(x.node("hlr"), victim.vlr, 70, calling_gt=spoof,
                     info=dict(info, stage="locate", spoofed_calling=spoof,
                               rules=["locate-after-identify", "psi-not-from-home-hlr",
                                      "gt-transport-mismatch"]))
    net.t += 40.0
    d.request(70, map_psi(victim.imsi, True, True, True, True),
              lab={"expect": [{"rule": "locate-after-identify", "threat": "location-tracking"},
                              {"rule": "psi-not-from-home-hlr", "threat": "location-tracking"},
                              {"rule": "gt-transport-mismatch", "threat": "anomaly"}]})
    d.respond(70, map_psi_res(victim.cell, victim.vlr.gt, age=0, imei=victim.imei, current=True),
              dt=1.2)
    for _ in range(n_benign // 3):
        benign_step(net, home, roamers)
    # ---- attack 2: rogue updateLocation from the 882 cloud for a subscriber in Berlin ----
    victim2 = home[21]
    info = dict(victim2.lab(), attack="rogue-ul-1", label="rogue-location-update",
                rules=["rogue-location-update"])
    old = victim2.vlr
    rv = x.node("vlr")
    net.t += 10.0
    flow_location_update(net, victim2, rv, old, info=info,
                         ul_lab={"expect": [{"rule": "rogue-location-update", "threat": "interception"}]})
    for _ in range(4):
        benign_step(net, home, roamers)
    # the interception: an SMS for the victim now goes to the attacker's MSC
    flow_sms_mt(net, victim2, h.node("smsc"), text="Your code is 774201",
                info={"attack": "rogue-ul-1", "label": "rogue-location-update", "stage": "intercept",
                      "rules": []})
    # ---- attack 3: external anyTimeInterrogation (gsmSCF of the 882 cloud, on the MSISDN) ----
    victim3 = home[22]
    scf = x.node("gsmscf")
    d = net.dialogue(scf, hlr_of(victim3), 71, called_gt=victim3.msisdn,
                     info=dict(victim3.lab(), attack="ati-1", label="ati-external",
                               rules=["ati-external"]))
    d.request(71, map_ati(victim3.msisdn, gsmscf=scf.gt, current=True, imei=True),
              lab={"expect": [{"rule": "ati-external", "threat": "location-tracking"}]})
    d.respond(71, map_ati_res(victim3.cell, victim3.vlr.gt, age=2), dt=0.05)
    for _ in range(n_benign - 2 * (n_benign // 3)):
        benign_step(net, home, roamers)
