"""ss7genlib - the code of contrib/ss7gen.py, the SS7/MAP trace generator of ss7watch.

Python 3 standard library only. The modules, lowest layer first:

    model      the network model (NETWORK: home PLMN, partners, other origins, node roles)
    ber        BER helpers
    ident      TBCD, AddressString, PLMN, CGI, IMEI, GSM 7-bit, SMS TPDUs
    gsm_map    MAP operations, application contexts, argument and result encoders
    tcap       TCAP dialogue portion, components and messages
    sccp       SCCP UDT, XUDT
    m3ua       M3UA DATA and management
    transport  SCTP with CRC32c, IPv4/IPv6, Ethernet/802.1Q
    pcap       the pcap writer
    net        transport and dialogue state: Net, Assoc, Dialogue (TSNs, TIDs, time, labels)
    flows      subscribers and the benign flows the subcommands share
    templates  template patching shared by bench and scenario
    ops, edge, demo, bench, scenario, attacks   one module per subcommand
    __main__   the command line (python3 contrib/ss7gen.py, or python3 -m ss7genlib)

A new scenario only needs net.Net, the flows and the gsm_map encoders; the layers are plain
functions returning bytes.
"""
