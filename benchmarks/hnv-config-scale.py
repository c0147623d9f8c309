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

"""hnv-config-scale: HNV policy at data-center scale, in a real switch.

Starts a private ovsdb-server and ovs-vswitchd (dummy datapath) from the
build tree and measures, for N lookup records (default 1,000,000) spread
over V virtual subnets (default 10,000, one customer route each):

  - ovs-hnvctl import: wall time of the one transaction;
  - activation: time from the start of the import until "ovs-appctl
    hnv/show" in ovs-vswitchd reports all N records;
  - resident memory of ovs-vswitchd and ovsdb-server before and after,
    per record;
  - a live migration: "ovs-hnvctl set-lookup-record VSID CA --pa=NEW" until
    "ovs-appctl hnv/lookup" in ovs-vswitchd shows the new PA, several
    times, median; and the same change written straight to the database by
    row UUID (ovsdb-client), which isolates the switch's own share;
  - a new VM and its removal: add-lookup-record, then del-lookup-record,
    each until hnv/lookup shows it, as many times;

and then, side by side, the same policy compiled into OpenFlow the way
Neutron's l2population does it (one ARP-responder flow and one forwarding
flow per remote VM), loaded with "ovs-ofctl add-flows" into a fresh switch,
for M records (default 100,000; the per-record figures scale linearly):
load rate and ovs-vswitchd memory per record.

usage: benchmarks/hnv-config-scale.py [--records N] [--vsids V]
           [--openflow-records M] [--migrations K] [--builddir DIR]

It prints a report; nothing here is a pass/fail test.
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rss_bytes(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def cpu_seconds(pid):
    """User + system CPU time that process 'pid' has used so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


class Switch:
    """A private ovsdb-server + ovs-vswitchd pair in a temporary directory."""

    def __init__(self, builddir, name):
        self.builddir = builddir
        self.dir = tempfile.mkdtemp(prefix="hnv-bench-%s." % name)
        self.env = dict(os.environ)
        self.env["OVS_RUNDIR"] = self.dir
        self.env["OVS_LOGDIR"] = self.dir
        self.env["OVS_DBDIR"] = self.dir
        self.env["OVS_SYSCONFDIR"] = self.dir
        path = [os.path.join(builddir, d)
                for d in ("utilities", "vswitchd", "ovsdb", "tests")]
        self.env["PATH"] = ":".join(path + [self.env.get("PATH", "")])
        self.db = "unix:%s/db.sock" % self.dir

    def run(self, *args, **kwargs):
        return subprocess.run(args, env=self.env, cwd=self.dir, check=True,
                              capture_output=True, text=True, **kwargs)

    def pid(self, daemon):
        with open(os.path.join(self.dir, daemon + ".pid")) as f:
            return int(f.read())

    def start(self):
        """Starts both daemons and adds bridge br0 (dummy datapath) with the
        NVGRE port gre0 (OpenFlow port 10)."""
        self.start_ovsdb_server()
        self.start_vswitchd()
        self.run("ovs-vsctl", "add-br", "br0", "--",
                 "set", "bridge", "br0", "datapath_type=dummy", "--",
                 "add-port", "br0", "gre0", "--",
                 "set", "interface", "gre0", "type=gre",
                 "options:remote_ip=flow", "options:key=flow",
                 "ofport_request=10")

    def start_ovsdb_server(self):
        schema = os.path.join(self.builddir, "vswitchd", "vswitch.ovsschema")
        self.run("ovsdb-tool", "create", "conf.db", schema)
        self.run("ovsdb-server", "--detach", "--no-chdir", "--pidfile",
                 "--log-file", "--remote=punix:%s/db.sock" % self.dir,
                 "conf.db")
        self.run("ovs-vsctl", "--no-wait", "init")

    def start_vswitchd(self):
        self.run("ovs-vswitchd", "--enable-dummy=override", "--disable-system",
                 "--disable-system-route", "--detach", "--no-chdir",
                 "--pidfile", "--log-file", "-vconsole:off")

    def stop(self):
        for daemon in ("ovs-vswitchd", "ovsdb-server"):
            try:
                self.run("ovs-appctl", "-t", daemon, "exit")
            except subprocess.CalledProcessError:
                pass
        if os.environ.get("HNV_BENCH_KEEP"):
            print("kept %s" % self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


def gen_policy(path, n_records, n_vsids):
    """Writes an import file: n_vsids VSIDs in routing domains of 10, one
    /16 on-link customer route per VSID, n_records records spread evenly,
    each on one of 1,000 remote hosts."""
    per_vsid = max(1, n_records // n_vsids)
    with open(path, "w") as f:
        f.write('{"customer_routes": [\n')
        for v in range(n_vsids):
            rd = "{%08x-0000-0000-0000-000000000000}" % (v // 10)
            f.write('%s{"routing_domain": "%s", "vsid": %d, '
                    '"destination_prefix": "10.%d.0.0/16", '
                    '"next_hop": "0.0.0.0"}\n'
                    % ("," if v else "", rd, 5000 + v, v % 10))
        f.write('],\n"lookup_records": [\n')
        for i in range(n_records):
            v, j = divmod(i, per_vsid)
            v %= n_vsids
            ca = "10.%d.%d.%d" % (v % 10, (j >> 8) & 255, j & 255)
            mac = "02:%02x:%02x:%02x:%02x:%02x" % (
                (i >> 32) & 255, (i >> 24) & 255, (i >> 16) & 255,
                (i >> 8) & 255, i & 255)
            pa = "192.168.%d.%d" % ((i % 1000) // 250, (i % 250) + 1)
            f.write('%s{"vsid": %d, "customer_address": "%s", "mac": "%s", '
                    '"provider_address": "%s"}\n'
                    % ("," if i else "", 5000 + v, ca, mac, pa))
        f.write(']}\n')
    return per_vsid


def records_active(sw):
    out = sw.run("ovs-appctl", "hnv/show").stdout
    for line in out.splitlines():
        if line.startswith("lookup records:"):
            return int(line.split(":")[1])
    return 0


def bench_hnv(args):
    sw = Switch(args.builddir, "hnv")
    try:
        sw.start()
        sw.run("ovs-hnvctl", "enable-bridge", "br0", "gre0")
        sw.run("ovs-hnvctl", "add-provider-address", "192.168.100.1/24",
               "eth0")
        policy = os.path.join(sw.dir, "policy.json")
        t = time.time()
        per_vsid = gen_policy(policy, args.records, args.vsids)
        print("generated %d records + %d routes in %.1f s (%d MB)"
              % (args.records, args.vsids, time.time() - t,
                 os.path.getsize(policy) >> 20))
        time.sleep(1)
        vs0, db0 = rss_bytes(sw.pid("ovs-vswitchd")), rss_bytes(
            sw.pid("ovsdb-server"))

        cpu0 = (children_cpu_seconds(), cpu_seconds(sw.pid("ovsdb-server")),
                cpu_seconds(sw.pid("ovs-vswitchd")))
        t0 = time.time()
        sw.run("ovs-hnvctl", "--timeout=600", "import", policy)
        t_import = time.time() - t0
        cpu_ctl = children_cpu_seconds() - cpu0[0]
        while records_active(sw) < args.records:
            time.sleep(0.05)
        t_active = time.time() - t0
        cpu_import = (cpu_ctl,
                      cpu_seconds(sw.pid("ovsdb-server")) - cpu0[1],
                      cpu_seconds(sw.pid("ovs-vswitchd")) - cpu0[2])
        time.sleep(1)
        vs1, db1 = rss_bytes(sw.pid("ovs-vswitchd")), rss_bytes(
            sw.pid("ovsdb-server"))

        # Live migrations: move a record to a new PA, wait until the switch
        # shows it.
        lat = []
        for k in range(args.migrations):
            i = (k * 7919) % args.records
            v, j = divmod(i, per_vsid)
            vsid = 5000 + v % args.vsids
            ca = "10.%d.%d.%d" % (v % args.vsids % 10, (j >> 8) & 255,
                                  j & 255)
            pa = "172.16.%d.%d" % (k // 250, k % 250 + 1)
            t0 = time.time()
            sw.run("ovs-hnvctl", "--timeout=60", "set-lookup-record",
                   str(vsid), ca, "--pa=" + pa)
            t_cmd = time.time() - t0
            while ("PA %s," % pa) not in sw.run(
                    "ovs-appctl", "hnv/lookup", "br0", str(vsid), ca).stdout:
                time.sleep(0.001)
            lat.append((time.time() - t0, t_cmd))
        # The same migrations written straight to the database by row UUID
        # (looked up beforehand): what the switch itself takes, from the
        # database commit until hnv/lookup shows the new PA.
        lat_db = []
        for k in range(args.migrations):
            i = (k * 7919 + 1) % args.records
            v, j = divmod(i, per_vsid)
            vsid = 5000 + v % args.vsids
            ca = "10.%d.%d.%d" % (v % args.vsids % 10, (j >> 8) & 255,
                                  j & 255)
            pa = "172.17.%d.%d" % (k // 250, k % 250 + 1)
            q = json.loads(sw.run(
                "ovsdb-client", "transact", sw.db, json.dumps(
                    ["Open_vSwitch",
                     {"op": "select", "table": "HNV_Lookup_Record",
                      "where": [["vsid", "==", vsid],
                                ["customer_address", "==", ca]],
                      "columns": ["_uuid"]}])).stdout)
            uuid = q[0]["rows"][0]["_uuid"][1]
            txn = json.dumps(
                ["Open_vSwitch",
                 {"op": "update", "table": "HNV_Lookup_Record",
                  "where": [["_uuid", "==", ["uuid", uuid]]],
                  "row": {"provider_address": pa}}])
            t0 = time.time()
            sw.run("ovsdb-client", "transact", sw.db, txn)
            while ("PA %s," % pa) not in sw.run(
                    "ovs-appctl", "hnv/lookup", "br0", str(vsid), ca).stdout:
                time.sleep(0.001)
            lat_db.append(time.time() - t0)
        # New VMs and removed VMs: add-lookup-record of a new IPv4 record,
        # then del-lookup-record, each until hnv/lookup shows it.
        lat_add, lat_del = [], []
        for k in range(args.migrations):
            v = (k * 7) % args.vsids
            vsid = 5000 + v
            ca = "10.%d.250.%d" % (v % 10, k % 250 + 1)
            mac = "04:00:00:00:%02x:%02x" % (k >> 8, k & 255)
            t0 = time.time()
            sw.run("ovs-hnvctl", "--timeout=60", "add-lookup-record",
                   str(vsid), ca, mac, "192.168.5.5")
            while "PA 192.168.5.5," not in sw.run(
                    "ovs-appctl", "hnv/lookup", "br0", str(vsid), ca).stdout:
                time.sleep(0.001)
            lat_add.append(time.time() - t0)
            t0 = time.time()
            sw.run("ovs-hnvctl", "--timeout=60", "del-lookup-record",
                   str(vsid), ca)
            while "PA 192.168.5.5," in sw.run(
                    "ovs-appctl", "hnv/lookup", "br0", str(vsid), ca).stdout:
                time.sleep(0.001)
            lat_del.append(time.time() - t0)
        return {
            "add_ms": [1000 * a for a in lat_add],
            "del_ms": [1000 * a for a in lat_del],
            "migration_db_ms": [1000 * a for a in lat_db],
            "t_import": t_import, "t_active": t_active,
            "cpu_import": cpu_import,
            "vswitchd_before": vs0, "vswitchd_after": vs1,
            "ovsdb_before": db0, "ovsdb_after": db1,
            "migration_ms": [1000 * a for a, _ in lat],
            "migration_cmd_ms": [1000 * b for _, b in lat],
        }
    finally:
        sw.stop()


def bench_openflow(args):
    """Neutron l2population style: per remote VM, one ARP responder flow in
    table 21 and one unicast forwarding flow in table 20."""
    sw = Switch(args.builddir, "of")
    n = args.openflow_records
    try:
        sw.start()
        flows = os.path.join(sw.dir, "flows.txt")
        with open(flows, "w") as f:
            for i in range(n):
                vsid = 5000 + i % args.vsids
                ca = "10.%d.%d.%d" % (i % 10, (i >> 8) & 255, i & 255)
                mac = "02:%02x:%02x:%02x:%02x:%02x" % (
                    (i >> 32) & 255, (i >> 24) & 255, (i >> 16) & 255,
                    (i >> 8) & 255, i & 255)
                pa = "192.168.%d.%d" % ((i % 1000) // 250, (i % 250) + 1)
                f.write(
                    "table=21,priority=1,arp,metadata=%d,arp_tpa=%s "
                    "actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],"
                    "mod_dl_src:%s,load:0x2->NXM_OF_ARP_OP[],"
                    "move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],"
                    "move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],"
                    "set_field:%s->arp_sha,set_field:%s->arp_spa,in_port\n"
                    % (vsid, ca, mac, mac, ca))
                f.write(
                    "table=20,priority=2,metadata=%d,dl_dst=%s "
                    "actions=set_field:%d->tun_id,set_field:%s->tun_dst,"
                    "output:10\n" % (vsid, mac, vsid << 8, pa))
        time.sleep(1)
        vs0 = rss_bytes(sw.pid("ovs-vswitchd"))
        t0 = time.time()
        sw.run("ovs-ofctl", "add-flows", "br0", flows)
        t_load = time.time() - t0
        time.sleep(1)
        vs1 = rss_bytes(sw.pid("ovs-vswitchd"))
        return {"t_load": t_load, "vswitchd_before": vs0,
                "vswitchd_after": vs1}
    finally:
        sw.stop()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--records", type=int, default=1000000)
    p.add_argument("--vsids", type=int, default=10000)
    p.add_argument("--openflow-records", type=int, default=100000)
    p.add_argument("--migrations", type=int, default=21)
    p.add_argument("--builddir", default=os.path.join(TOP, "build", "ovs"))
    args = p.parse_args()

    print("== HNV policy in the switch database: %d records, %d VSIDs"
          % (args.records, args.vsids))
    h = bench_hnv(args)
    n = args.records
    print("import (one transaction):        %.1f s" % h["t_import"])
    print("  CPU time during the import:    ovs-hnvctl %.1f s, "
          "ovsdb-server %.1f s, ovs-vswitchd %.1f s" % h["cpu_import"])
    print("active in ovs-vswitchd:          %.1f s after the import started"
          % h["t_active"])
    print("ovs-vswitchd RSS:                %d -> %d MB, %.0f bytes/record"
          % (h["vswitchd_before"] >> 20, h["vswitchd_after"] >> 20,
             (h["vswitchd_after"] - h["vswitchd_before"]) / n))
    print("ovsdb-server RSS:                %d -> %d MB, %.0f bytes/record"
          % (h["ovsdb_before"] >> 20, h["ovsdb_after"] >> 20,
             (h["ovsdb_after"] - h["ovsdb_before"]) / n))
    m = h["migration_ms"]
    print("live migration visible:          median %.1f ms, min %.1f, "
          "max %.1f (%d runs; ovs-hnvctl itself: median %.1f ms)"
          % (statistics.median(m), min(m), max(m), len(m),
             statistics.median(h["migration_cmd_ms"])))
    print("  each run, in order (ms):       "
          + " ".join("%.1f" % x for x in m))

    m = h["migration_db_ms"]
    print("the same, written by row UUID:   median %.1f ms, min %.1f, "
          "max %.1f (ovsdb-client transact, then hnv/lookup polled)"
          % (statistics.median(m), min(m), max(m)))
    for key, what in (("add_ms", "new VM (add-lookup-record):"),
                      ("del_ms", "VM removed (del-lookup-record):")):
        x = h[key]
        print("%-33s median %.1f ms, min %.1f, max %.1f (%d runs)"
              % (what, statistics.median(x), min(x), max(x), len(x)))

    if args.openflow_records:
        print("== The same policy as OpenFlow (l2population style): "
              "%d records, 2 flows each" % args.openflow_records)
        o = bench_openflow(args)
        n = args.openflow_records
        print("ovs-ofctl add-flows:             %.1f s, %.0f records/s"
              % (o["t_load"], n / o["t_load"]))
        print("ovs-vswitchd RSS:                %d -> %d MB, "
              "%.0f bytes/record"
              % (o["vswitchd_before"] >> 20, o["vswitchd_after"] >> 20,
                 (o["vswitchd_after"] - o["vswitchd_before"]) / n))


if __name__ == "__main__":
    sys.exit(main())
