#! /usr/bin/python3
# Copyright (c) 2026 ovs-hnv developers.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at:
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

"""A foreign NVGRE endpoint on the underlay, written with Scapy.

usage: hnv-nvgre-peer.py [OPTION...] ping FLOWID...
       hnv-nvgre-peer.py [OPTION...] send KIND...
       hnv-nvgre-peer.py delivered FILE
       hnv-nvgre-peer.py pcap FILE [SRC-PA]

Run it inside a namespace attached to the underlay (tests/system-hnv-peer.at).

ping    for each FLOWID (0..255), sends an ICMP echo request from the peer's
        VM (INNER-SRC) to INNER-DST in NVGRE with key VSID << 8 | FLOWID,
        waits for the echo reply in NVGRE and prints its fields (see below);
        "no reply" if none came (three tries, two seconds each).
send    sends one NVGRE frame per KIND, well-formed or malformed, and prints
        its name and size.  The inner frame is an ICMP echo request whose
        payload names the KIND (see "delivered").
          good        well-formed (FlowID 0)
          proto0800   GRE protocol 0x0800 instead of 0x6558
          csum        C bit, with a correct GRE checksum
          badcsum     C bit, with a wrong GRE checksum
          nocsum      C bit, but no checksum field (key where it should be)
          seq         S bit, with a sequence number
          nokey       no K bit (no key)
          routing     R bit (deprecated source routing)
          version1    GRE version 1
          gre4        GRE header cut after 4 bytes (no key)
          gre6        GRE header cut after 6 bytes
          inner10     inner Ethernet frame cut to 10 bytes
          inner20     inner frame cut inside its IPv4 header
          vsidN       VSID N (decimal or 0x-hex), e.g. vsid0 vsid4095
                      vsid0xffffff
          arp         well-formed NVGRE, but the inner frame is a broadcast
                      ARP request (who-has INNER-DST tell INNER-SRC): what
                      an HNV host must never put into a tunnel (a test's
                      broken case injects it)
delivered FILE
        prints the KIND of every echo request from "send" in FILE (a
        capture on the receiving VM), in order.
pcap    reads FILE (tcpdump -w) and prints, for every NVGRE frame (from
        SRC-PA only, if given), its fields in the format below, each
        distinct line once.

The fields printed for an NVGRE frame:
    OUTER-SRC > OUTER-DST ttl T df|nodf flags 0xFFFF proto 0xPPPP
    key 0xKKKKKK (vsid V flowid F) inner SRC-MAC > DST-MAC untagged|vlan V
    [ipv4 A > B icmp echo-request|echo-reply|...]

Options (defaults in brackets):
  --iface=IF            [eth0]
  --dst-mac=MAC         outer destination MAC (the ovs-hnv host's br-phy)
  --src-pa=IP           outer source [the address of IF]
  --dst-pa=IP           outer destination [192.168.100.1]
  --vsid=N              [5001]
  --inner-src=IP        [10.0.1.8]
  --inner-src-mac=MAC   [00:00:00:00:15:08]
  --inner-dst=IP        [10.0.1.5]
  --inner-dst-mac=MAC   [00:00:00:00:15:05]
"""

import getopt
import struct
import sys
import time

from scapy.all import (ARP, AsyncSniffer, Ether, IP, ICMP, Raw, Dot1Q,
                       get_if_addr, get_if_hwaddr, rdpcap, sendp)
from scapy.utils import checksum

TAG = b'hnv-nvgre-peer '


def gre_fields(ip):
    """Returns (flags, proto, key or None, inner bytes) from an IPv4 packet
    with protocol 47, reading the raw bytes (not Scapy's GRE dissector)."""
    raw = bytes(ip.payload)
    flags, proto = struct.unpack('!HH', raw[:4])
    off = 4
    if flags & 0x8000:
        off += 4
    key = None
    if flags & 0x2000:
        key = struct.unpack('!I', raw[off:off + 4])[0]
        off += 4
    if flags & 0x1000:
        off += 4
    return flags, proto, key, raw[off:]


def describe(frame):
    ip = frame[IP]
    flags, proto, key, inner = gre_fields(ip)
    s = '%s > %s ttl %d %s flags 0x%04x proto 0x%04x' % (
        ip.src, ip.dst, ip.ttl, 'df' if ip.flags.DF else 'nodf', flags, proto)
    if key is None:
        s += ' nokey'
    else:
        s += ' key 0x%06x (vsid %d flowid %d)' % (key, key >> 8, key & 0xff)
    if proto != 0x6558:
        return s
    eth = Ether(inner)
    s += ' inner %s > %s' % (eth.src, eth.dst)
    if eth.haslayer(Dot1Q):
        s += ' vlan %d' % eth[Dot1Q].vlan
    else:
        s += ' untagged'
    if eth.haslayer(IP):
        s += ' ipv4 %s > %s' % (eth[IP].src, eth[IP].dst)
        if eth.haslayer(ICMP):
            s += ' icmp ' + {0: 'echo-reply', 8: 'echo-request'}.get(
                eth[ICMP].type, 'type %d' % eth[ICMP].type)
    else:
        s += ' ethertype 0x%04x' % eth.type
    return s


def is_nvgre(frame, src=None):
    return (frame.haslayer(IP) and frame[IP].proto == 47
            and (src is None or frame[IP].src == src))


class Peer:
    def __init__(self, opts):
        self.iface = opts.get('iface', 'eth0')
        self.src_mac = get_if_hwaddr(self.iface)
        self.dst_mac = opts['dst-mac']
        self.src_pa = opts.get('src-pa') or get_if_addr(self.iface)
        self.dst_pa = opts.get('dst-pa', '192.168.100.1')
        self.vsid = int(opts.get('vsid', '5001'), 0)
        self.inner_src = opts.get('inner-src', '10.0.1.8')
        self.inner_src_mac = opts.get('inner-src-mac', '00:00:00:00:15:08')
        self.inner_dst = opts.get('inner-dst', '10.0.1.5')
        self.inner_dst_mac = opts.get('inner-dst-mac', '00:00:00:00:15:05')

    def inner(self, tag, seq):
        return bytes(Ether(src=self.inner_src_mac, dst=self.inner_dst_mac)
                     / IP(src=self.inner_src, dst=self.inner_dst, ttl=64)
                     / ICMP(type=8, id=0x4e56, seq=seq)
                     / Raw((TAG + tag.encode()).ljust(32, b'\0')))

    def outer(self, gre):
        # Scapy computes the IPv4 length and checksum: only the GRE payload
        # is malformed, so that the frame reaches the tunnel code.
        return (Ether(src=self.src_mac, dst=self.dst_mac)
                / IP(src=self.src_pa, dst=self.dst_pa, proto=47, ttl=64,
                     flags='DF')
                / Raw(gre))

    def nvgre(self, inner, key=None, flags=0x2000, proto=0x6558):
        if key is None:
            key = self.vsid << 8
        return self.outer(struct.pack('!HHI', flags, proto, key) + inner)

    def frame(self, kind, seq):
        inner = self.inner(kind, seq)
        key = self.vsid << 8
        if kind == 'good':
            return self.nvgre(inner)
        if kind == 'proto0800':
            return self.nvgre(inner, proto=0x0800)
        if kind in ('csum', 'badcsum'):
            gre = struct.pack('!HHHHI', 0xa000, 0x6558, 0, 0, key) + inner
            c = checksum(gre)
            if kind == 'badcsum':
                c ^= 0x5555
            return self.outer(gre[:4] + struct.pack('!H', c) + gre[6:])
        if kind == 'nocsum':
            return self.nvgre(inner, flags=0xa000)
        if kind == 'seq':
            return self.outer(struct.pack('!HHII', 0x3000, 0x6558, key, seq)
                              + inner)
        if kind == 'nokey':
            return self.outer(struct.pack('!HH', 0x0000, 0x6558) + inner)
        if kind == 'routing':
            return self.nvgre(inner, flags=0x6000)
        if kind == 'version1':
            return self.nvgre(inner, flags=0x2001)
        if kind == 'gre4':
            return self.outer(struct.pack('!HH', 0x2000, 0x6558))
        if kind == 'gre6':
            return self.outer(struct.pack('!HHH', 0x2000, 0x6558, key >> 16))
        if kind == 'inner10':
            return self.nvgre(inner[:10])
        if kind == 'inner20':
            return self.nvgre(inner[:20])
        if kind == 'arp':
            return self.nvgre(bytes(
                Ether(src=self.inner_src_mac, dst='ff:ff:ff:ff:ff:ff')
                / ARP(op=1, hwsrc=self.inner_src_mac, psrc=self.inner_src,
                      pdst=self.inner_dst)))
        if kind.startswith('vsid'):
            return self.nvgre(inner, key=int(kind[4:], 0) << 8)
        raise ValueError('unknown frame kind %s' % kind)

    def send(self, kinds):
        for seq, kind in enumerate(kinds, 1):
            f = self.frame(kind, seq)
            sendp(f, iface=self.iface, verbose=False)
            print('sent %s: %d bytes' % (kind, len(f)))

    def ping(self, flowids):
        for seq, flowid in enumerate(flowids, 1):
            key = self.vsid << 8 | flowid
            frame = self.nvgre(self.inner('flowid %d' % flowid, seq), key=key)
            reply = None
            for _ in range(3):
                sniffer = AsyncSniffer(
                    iface=self.iface, count=1, timeout=2,
                    lfilter=lambda f: (is_nvgre(f, self.dst_pa)
                                       and 'echo-reply' in describe(f)))
                sniffer.start()
                time.sleep(0.1)
                sendp(frame, iface=self.iface, verbose=False)
                sniffer.join()
                if sniffer.results:
                    reply = sniffer.results[0]
                    break
            print('flowid %d: %s' % (flowid,
                                     describe(reply) if reply else 'no reply'))


def main():
    try:
        options, args = getopt.gnu_getopt(
            sys.argv[1:], '',
            ['iface=', 'dst-mac=', 'src-pa=', 'dst-pa=', 'vsid=', 'inner-src=',
             'inner-src-mac=', 'inner-dst=', 'inner-dst-mac='])
    except getopt.GetoptError as e:
        sys.exit('hnv-nvgre-peer.py: %s' % e)
    opts = {k[2:]: v for k, v in options}
    if len(args) < 2 or (args[0] == 'pcap' and len(args) > 3):
        sys.exit(__doc__)
    cmd, args = args[0], args[1:]
    if cmd == 'pcap':
        src = args[1] if len(args) > 1 else None
        seen = []
        for f in rdpcap(args[0]):
            if is_nvgre(f, src):
                d = describe(f)
                if d not in seen:
                    seen.append(d)
        print('\n'.join(seen))
    elif cmd == 'delivered':
        for f in rdpcap(args[0]):
            if (f.haslayer(ICMP) and f[ICMP].type == 8
                    and bytes(f[ICMP].payload).startswith(TAG)):
                print(bytes(f[ICMP].payload)[len(TAG):].rstrip(b'\0')
                      .decode())
    elif cmd == 'ping':
        Peer(opts).ping([int(x, 0) for x in args])
    elif cmd == 'send':
        Peer(opts).send(args)
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
