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

"""hnv-xlate-cost: what the HNV stage adds to the translation of a first
packet (an upcall), in instructions, measured in the real ovs-vswitchd.

Runs ovs-vswitchd (dummy datapath, from the build tree) under
valgrind --tool=callgrind, with instrumentation off until the policy is
loaded, and counts the instructions executed inside xlate_actions() --
the whole translation of a packet -- for a fixed packet sequence: TCP
packets from a VM port to 10 destinations, each datapath flow deleted
after every round (revalidator/purge) so that every packet is a first
packet.  The number of translations (upcalls, and the revalidations
that MAC learning causes) comes from the coverage counter
"xlate_actions".

Scenarios:
  normal    stock NORMAL (no HNV), destinations' MACs learned on another
            port: each packet is output to one port;
  normal-gre  the same, the MACs learned on a gre port with a fixed remote
            IP and key: each packet is output into the tunnel (the plain
            keyed-GRE alternative to HNV);
  hnv-local HNV, the destinations VMs of the same VSID on another port of
            the bridge, learned there: each packet is switched locally
            (the counterpart of "normal");
  hnv-10    HNV with 10 lookup records: each packet is forwarded by its
            destination IP into NVGRE (set(tunnel), output to gre0);
  hnv-N     the same with N records loaded (default 1,000,000, over 10,000
            VSIDs, as benchmarks/hnv-config-scale.py generates them).

usage: benchmarks/hnv-xlate-cost.py [--records N] [--rounds R]
           [--builddir DIR]
           [--scenarios normal,normal-gre,hnv-local,hnv-10,hnv-N]

Prints instructions per translation for each scenario and the ratios
(targets: HNV within 1.3x of NORMAL, N records within 1.1x of 10).  It is
a report, not a pass/fail test.
"""

import argparse
import glob
import importlib.util
import os
import re
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_spec = importlib.util.spec_from_file_location(
    "hnv_config_scale", os.path.join(TOP, "benchmarks", "hnv-config-scale.py"))
scale = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scale)

VM_MAC = "02:aa:00:00:00:01"
VM_CA = "10.0.200.1"
LOCAL_PA = "192.168.9.9"
N_DESTS = 10


def dest(i):
    """The i-th destination: the i-th record of VSID 5000 as
    scale.gen_policy() writes it (CA, MAC)."""
    return ("10.0.%d.%d" % ((i >> 8) & 255, i & 255),
            "02:00:00:00:%02x:%02x" % ((i >> 8) & 255, i & 255))


class GrindSwitch(scale.Switch):
    """A Switch whose ovs-vswitchd runs under callgrind."""

    def start(self):
        super().start()
        self.run("ovs-vsctl",
                 "add-port", "br0", "vm1", "--",
                 "set", "interface", "vm1", "type=dummy", "ofport_request=1",
                 "--", "add-port", "br0", "p2", "--",
                 "set", "interface", "p2", "type=dummy", "ofport_request=2")
        self.run("ovs-appctl", "dpif/set-dp-features", "br0",
                 "tnl_push_pop", "false")

    def start_vswitchd(self):
        vswitchd = os.path.join(self.builddir, "vswitchd", "ovs-vswitchd")
        self.out = os.path.join(self.dir, "callgrind.out")
        self.proc = subprocess.Popen(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no",
             "--toggle-collect=xlate_actions",
             "--callgrind-out-file=" + self.out,
             vswitchd, "--enable-dummy", "--disable-system",
             "--disable-system-route", "--no-chdir", "--pidfile",
             "--log-file", "-vconsole:off"],
            env=self.env, cwd=self.dir, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self.dir, "valgrind.log"), "w"))
        deadline = time.time() + 120
        while True:
            try:
                self.run("ovs-appctl", "-T", "5", "version")
                break
            except subprocess.CalledProcessError:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("ovs-vswitchd did not start")
                time.sleep(1)

    def stop(self):
        super().stop()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def packet(self, port, src_mac, dst_mac, src, dst):
        return ("in_port(%d),eth(src=%s,dst=%s),eth_type(0x0800),"
                "ipv4(src=%s,dst=%s,proto=6,tos=0,ttl=64,frag=no),"
                "tcp(src=1000,dst=80)" % (port, src_mac, dst_mac, src, dst))

    def coverage(self, name):
        out = self.run("ovs-appctl", "coverage/read-counter", name).stdout
        return int(out.strip() or 0)

    def n_flows(self):
        out = self.run("ovs-appctl", "dpctl/dump-flows").stdout
        return sum(1 for l in out.splitlines() if l.startswith("recirc_id"))

    def send_round(self):
        for i in range(N_DESTS):
            ca, mac = dest(i)
            self.run("ovs-appctl", "netdev-dummy/receive", "vm1",
                     self.packet(1, VM_MAC, mac, VM_CA, ca))
        deadline = time.time() + 60
        while self.n_flows() < N_DESTS and time.time() < deadline:
            time.sleep(0.1)
        self.run("ovs-appctl", "revalidator/purge")

    def upcalls(self):
        out = self.run("ovs-appctl", "dpif/show").stdout
        return int(re.search(r"missed:(\d+)", out).group(1))

    def measure(self, rounds):
        self.send_round()                       # Warm up.
        pid = self.proc.pid
        before = self.coverage("xlate_actions")
        subprocess.run(["callgrind_control", "-i", "on", str(pid)],
                       check=True, capture_output=True)
        for _ in range(rounds):
            self.send_round()
        subprocess.run(["callgrind_control", "-i", "off", str(pid)],
                       check=True, capture_output=True)
        n = self.coverage("xlate_actions") - before
        for f in glob.glob(self.out + "*"):
            os.unlink(f)
        subprocess.run(["callgrind_control", "-d", str(pid)],
                       check=True, capture_output=True)
        ir = 0
        for f in glob.glob(self.out + "*"):
            ann = subprocess.run(["callgrind_annotate", "--inclusive=yes",
                                  f], capture_output=True, text=True).stdout
            with open(os.path.join(self.dir, "annotate.txt"), "a") as a:
                a.write(ann)
            for line in ann.splitlines():
                m = re.match(r"\s*([\d,]+)\s.*:xlate_actions ", line)
                if m:
                    ir += int(m.group(1).replace(",", ""))
        return ir, n


def scenario(args, name):
    sw = GrindSwitch(args.builddir, "xlate-" + name)
    try:
        sw.start()
        if name in ("normal", "normal-gre"):
            sw.run("ovs-ofctl", "add-flow", "br0", "actions=NORMAL")
            # Learn the destinations on p2, or on a keyed gre port.
            port = "p2"
            if name == "normal-gre":
                sw.run("ovs-vsctl", "--", "add-port", "br0", "gre1", "--",
                       "set", "interface", "gre1", "type=gre",
                       "options:remote_ip=192.168.0.4", "options:key=5000",
                       "ofport_request=11")
                port = "gre1"
            for i in range(N_DESTS):
                ca, mac = dest(i)
                sw.run("ovs-appctl", "ofproto/trace", "br0",
                       "in_port=%s,tcp,dl_src=%s,dl_dst=%s,nw_src=%s,"
                       "nw_dst=%s,nw_ttl=64%s" % (
                           port, mac, VM_MAC, ca, VM_CA,
                           ",tun_id=5000,tun_src=192.168.0.4"
                           if port == "gre1" else ""), "-generate")
        elif name == "hnv-local":
            # Ten VMs of the VSID on p2, learned there: switched locally.
            sw.run("ovs-ofctl", "add-flow", "br0", "actions=NORMAL")
            sw.run("ovs-vsctl", "--", "--id=@h", "create", "HNV",
                   "tunnel_port=gre0", "--", "set", "bridge", "br0",
                   "hnv=@h", "--", "set", "port", "vm1", "hnv_vsid=5000",
                   "--", "set", "port", "p2", "hnv_vsid=5000")
            cmd = ["ovs-hnvctl", "add-provider-address", LOCAL_PA + "/16",
                   "eth0", "--", "add-lookup-record", "5000", VM_CA, VM_MAC,
                   LOCAL_PA]
            for i in range(N_DESTS):
                ca, mac = dest(i)
                cmd += ["--", "add-lookup-record", "5000", ca, mac, LOCAL_PA]
            sw.run(*cmd)
            for i in range(N_DESTS):
                ca, mac = dest(i)
                sw.run("ovs-appctl", "netdev-dummy/receive", "p2",
                       sw.packet(2, mac, VM_MAC, ca, VM_CA))
            sw.run("ovs-appctl", "revalidator/purge")
        else:
            n = 10 if name == "hnv-10" else args.records
            policy = os.path.join(sw.dir, "policy.json")
            scale.gen_policy(policy, n, 1 if n == 10 else args.vsids)
            sw.run("ovs-ofctl", "add-flow", "br0", "actions=NORMAL")
            sw.run("ovs-vsctl", "--", "--id=@h", "create", "HNV",
                   "tunnel_port=gre0", "--", "set", "bridge", "br0",
                   "hnv=@h", "--", "set", "port", "vm1", "hnv_vsid=5000")
            sw.run("ovs-hnvctl", "--no-wait", "--timeout=3600", "import",
                   policy)
            sw.run("ovs-hnvctl", "--no-wait", "add-provider-address",
                   LOCAL_PA + "/16", "eth0", "--", "add-lookup-record",
                   "5000", VM_CA, VM_MAC, LOCAL_PA)
            deadline = time.time() + 3600
            while scale.records_active(sw) < n + 1:
                if time.time() > deadline:
                    raise RuntimeError("records never became active")
                time.sleep(2)
        sw.run("ovs-appctl", "revalidator/wait")
        trace = sw.run("ovs-appctl", "ofproto/trace", "br0",
                       "in_port=1,tcp,dl_src=%s,dl_dst=%s,nw_src=%s,"
                       "nw_dst=%s,nw_ttl=64" % (VM_MAC, dest(3)[1], VM_CA,
                                                dest(3)[0])).stdout
        if os.environ.get("HNV_BENCH_TRACE"):
            print(trace)
        actions = [l for l in trace.splitlines()
                   if l.startswith("Datapath actions")]
        ir, n = sw.measure(args.rounds)
        return ir, n, actions[0] if actions else "?"
    finally:
        sw.stop()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--records", type=int, default=1000000)
    p.add_argument("--vsids", type=int, default=10000)
    p.add_argument("--rounds", type=int, default=20)
    p.add_argument("--builddir", default=os.path.join(TOP, "build", "ovs"))
    p.add_argument("--scenarios",
                   default="normal,normal-gre,hnv-local,hnv-10,hnv-N")
    args = p.parse_args()

    results = {}
    for name in args.scenarios.split(","):
        t0 = time.time()
        ir, n, actions = scenario(args, name)
        per = ir / n if n else float("nan")
        results[name] = per
        label = name if name != "hnv-N" else "hnv-%d" % args.records
        print("%-13s %8.0f instructions per translation (%d translations, "
              "%.0f s)\n              %s"
              % (label, per, n, time.time() - t0, actions), flush=True)
    if "normal" in results and "hnv-10" in results:
        print("HNV (10 records) / NORMAL:            %.2fx   (target <= 1.3x)"
              % (results["hnv-10"] / results["normal"]))
    if "normal" in results and "hnv-local" in results:
        print("HNV local / NORMAL:                   %.2fx"
              % (results["hnv-local"] / results["normal"]))
    if "normal-gre" in results and "hnv-10" in results:
        print("HNV (10 records) / NORMAL into GRE:   %.2fx"
              % (results["hnv-10"] / results["normal-gre"]))
    if "hnv-10" in results and "hnv-N" in results:
        print("HNV (%d records) / HNV (10): %.2fx   (target <= 1.1x)"
              % (args.records, results["hnv-N"] / results["hnv-10"]))


if __name__ == "__main__":
    main()
