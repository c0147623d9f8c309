#! /usr/bin/env python3
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

"""Prints, in hex, an NVGRE frame from a remote host to the test host.

usage: hnv-nvgre.py KEY OUTER-SRC INNER-SRC-MAC INNER-SRC INNER-DST [OPT...]

The outer frame goes from aa:bb:cc:00:00:0N (N = last byte of OUTER-SRC)
to aa:55:aa:55:00:01, from OUTER-SRC to 192.168.1.1, with DF; the inner
frame is an ICMP echo request to 00:00:00:00:15:05.  Options:
  proto=0xNNNN   GRE protocol (default 0x6558)
  flags=0xNNNN   GRE flags and version (default 0x2000: K)
  vlan           tag the inner frame with VLAN 10
  arp            an inner ARP request instead of the ICMP echo
  tcp=SPORT:DPORT  an inner TCP SYN between these ports instead
  dst_mac=MAC    the inner destination MAC (default 00:00:00:00:15:05)
  outer_dst=IP   the outer destination (default 192.168.1.1, or
                 2001:db8::1 if OUTER-SRC is IPv6)
An IPv6 OUTER-SRC gives an IPv6 outer header (hop limit 64) from
aa:bb:cc:00:00:0N, N the last hex digit of OUTER-SRC.
Used by tests/hnv-forward.at, without Scapy, so that the test needs
nothing beyond Python."""
import struct, sys

def csum(b):
    b += b'\0' * (len(b) % 2)
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def ipv4(src, dst, proto, payload):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 0, 0x4000,
                    64, proto, 0, bytes(map(int, src.split('.'))),
                    bytes(map(int, dst.split('.'))))
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + payload

def ipv6(src, dst, proto, payload):
    import socket
    return (struct.pack('!IHBB', 0x60000000, len(payload), proto, 64)
            + socket.inet_pton(socket.AF_INET6, src)
            + socket.inet_pton(socket.AF_INET6, dst) + payload)

def tcp(src, dst, sport, dport):
    import socket
    seg = struct.pack('!HHIIBBHHH', sport, dport, 1, 0, 5 << 4, 0x02,
                      8192, 0, 0)
    pseudo = (bytes(map(int, src.split('.'))) + bytes(map(int, dst.split('.')))
              + struct.pack('!xBH', 6, len(seg)))
    return seg[:16] + struct.pack('!H', csum(pseudo + seg)) + seg[18:]

def mac(m):
    return bytes.fromhex(m.replace(':', ''))

key, outer_src, src_mac, src, dst = sys.argv[1:6]
opts = dict(o.partition('=')[::2] for o in sys.argv[6:])
dst_mac = mac(opts.get('dst_mac', '00:00:00:00:15:05'))
if 'arp' in opts:
    inner = (mac('ff:ff:ff:ff:ff:ff') + mac(src_mac) + b'\x08\x06'
             + struct.pack('!HHBBH', 1, 0x0800, 6, 4, 1) + mac(src_mac)
             + bytes(map(int, src.split('.'))) + bytes(6)
             + bytes(map(int, dst.split('.'))))
elif 'tcp' in opts:
    sport, dport = map(int, opts['tcp'].split(':'))
    inner = (dst_mac + mac(src_mac) + b'\x08\x00'
             + ipv4(src, dst, 6, tcp(src, dst, sport, dport)))
else:
    icmp = struct.pack('!BBHHH', 8, 0, 0, 1, 1) + b'abcdefgh'
    icmp = icmp[:2] + struct.pack('!H', csum(icmp)) + icmp[4:]
    ethertype = b'\x08\x00'
    if 'vlan' in opts:
        ethertype = b'\x81\x00\x00\x0a\x08\x00'
    inner = dst_mac + mac(src_mac) + ethertype + ipv4(src, dst, 1, icmp)
gre = struct.pack('!HHI', int(opts.get('flags', '0x2000'), 16),
                  int(opts.get('proto', '0x6558'), 16), int(key, 16))
if ':' in outer_src:
    host = outer_src[-1]
    frame = (mac('aa:55:aa:55:00:01') + mac('aa:bb:cc:00:00:0' + host)
             + b'\x86\xdd'
             + ipv6(outer_src, opts.get('outer_dst', '2001:db8::1'), 47,
                    gre + inner))
else:
    host = outer_src.split('.')[-1]
    frame = (mac('aa:55:aa:55:00:01') + mac('aa:bb:cc:00:00:0' + host)
             + b'\x08\x00'
             + ipv4(outer_src, opts.get('outer_dst', '192.168.1.1'), 47,
                    gre + inner))
print(frame.hex())
