# hnv-hosts.sh: HNV hosts and VMs in network namespaces, for the system
# tests (tests/system-hnv.at) and the demo (tools/hnv-demo).
#
# Source it with HNV_BIN pointing at a directory tree that holds the
# programs (a build tree: its utilities/, vswitchd/ and ovsdb/), or with
# them on PATH, and HNV_BASE at a scratch directory.  Every object gets the
# prefix $HNV_PREFIX (default "hnv"), so that tests can run side by side.
#
#   underlay             a Linux bridge ${P}ul in the root namespace that
#                        carries the provider addresses, 192.168.100.0/24
#   hnv_host_add N       host N: namespace ${P}hN, with its own
#                        ovsdb-server and ovs-vswitchd (userspace datapath),
#                        bridge br-phy (PA 192.168.100.N on its internal
#                        port, uplink eth1 to the underlay) and the HNV
#                        bridge br-int with the NVGRE port nvgre0
#   hnv_ovsdb_start N, hnv_vswitchd_start N
#                        (re)start host N's daemons (a fault test kills
#                        them)
#   hnv_vm_add N VM VSID CA/PLEN MAC [GW]
#                        VM namespace ${P}VM attached to host N's br-int,
#                        its port bound to VSID; eth0 has CA and MAC, MTU
#                        1458 (the 42-byte NVGRE overhead on a 1500-byte
#                        underlay), checksum offload off
#   hnv_vm_move VM FROM TO VSID CA/PLEN MAC [GW]
#                        a live migration of VM from host FROM to host TO:
#                        the VM namespace, with its sockets, is kept; its
#                        eth0 is replaced by a new veth attached to host TO
#                        (the same MAC, address and MTU), and its port
#                        leaves host FROM.  Updating the
#                        lookup record's PA is the caller's job.
#   hnv_on N CMD...      runs an Open vSwitch tool against host N
#   hnv_vm VM CMD...     runs CMD inside VM's namespace
#   hnv_all CMD...       hnv_on for every host (the same policy everywhere)
#   hnv_cleanup          stops every daemon and removes every namespace and
#                        link created (safe to call twice, and under set -e)

P=${HNV_PREFIX:-hnv}

hnv_on() {
    local d=$HNV_BASE/h$1
    shift
    env OVS_RUNDIR=$d OVS_LOGDIR=$d OVS_DBDIR=$d OVS_SYSCONFDIR=$d \
        OVS_PKGDATADIR=$d "$@"
}

# The hosts created so far, from their directories (the functions may run
# in subshells, e.g. inside AT_CHECK, so no shell variable can keep them).
hnv_hosts() {
    local d
    for d in "$HNV_BASE"/h[0-9]*; do
        test -e "$d/conf.db" && echo "${d##*/h}"
    done
}

hnv_all() {
    local n hosts
    hosts=$(hnv_hosts)
    test -n "$hosts" || { echo "hnv_all: no hosts" >&2; return 1; }
    for n in $hosts; do
        hnv_on "$n" "$@" || return 1
    done
}

hnv_vm() {
    local vm=$1; shift
    ip netns exec "$P$vm" "$@"
}

hnv_underlay_add() {
    ip link add "${P}ul" type bridge || return 1
    ip link set "${P}ul" up
}

hnv_ovsdb_start() {
    hnv_on "$1" ip netns exec "$P"h"$1" ovsdb-server --detach --no-chdir \
        --pidfile --log-file -vconsole:off \
        --remote=punix:"$HNV_BASE/h$1/db.sock" "$HNV_BASE/h$1/conf.db"
}

hnv_vswitchd_start() {
    hnv_on "$1" ip netns exec "$P"h"$1" ovs-vswitchd --detach --no-chdir \
        --pidfile --log-file -vconsole:off
}

hnv_host_add() {
    local n=$1 ns=$P"h"$1 d=$HNV_BASE/h$1
    mkdir -p "$d" || return 1
    ip netns add "$ns" || return 1
    ip -n "$ns" link set lo up
    ip link add "${P}u$n" type veth peer name eth1 netns "$ns" || return 1
    ip link set "${P}u$n" master "${P}ul" up
    ip -n "$ns" link set eth1 up
    ip netns exec "$ns" ethtool -K eth1 tx off >/dev/null 2>&1

    hnv_on "$n" ovsdb-tool create "$d/conf.db" "$HNV_SCHEMA" || return 1
    hnv_ovsdb_start "$n" || return 1
    hnv_on "$n" ovs-vsctl --no-wait init || return 1
    hnv_vswitchd_start "$n" || return 1

    hnv_on "$n" ovs-vsctl \
        -- add-br br-phy -- set bridge br-phy datapath_type=netdev \
        -- add-port br-phy eth1 \
        -- add-br br-int -- set bridge br-int datapath_type=netdev \
        -- add-port br-int nvgre0 \
        -- set interface nvgre0 type=gre options:remote_ip=flow \
           options:key=flow || return 1
    ip -n "$ns" addr add "192.168.100.$n/24" dev br-phy || return 1
    ip -n "$ns" link set br-phy up
    hnv_on "$n" ovs-hnvctl enable-bridge br-int nvgre0 \
        -- add-provider-address "192.168.100.$n/24" br-phy || return 1
}

hnv_vm_add() {
    local n=$1 vm=$2 vsid=$3 ca=$4 mac=$5 gw=$6 ns=$P$2
    ip netns add "$ns" || return 1
    ip -n "$ns" link set lo up
    ip link add "${P}v$vm" type veth peer name eth0 netns "$ns" || return 1
    ip link set "${P}v$vm" netns "${P}h$n" || return 1
    ip -n "${P}h$n" link set "${P}v$vm" up
    ip -n "$ns" link set eth0 address "$mac" mtu 1458 up
    case $ca in
        *:*) ip -n "$ns" -6 addr add "$ca" dev eth0 nodad ;;
        *) ip -n "$ns" addr add "$ca" dev eth0 ;;
    esac
    case $gw in
        '') ;;
        *:*) ip -n "$ns" -6 route add default via "$gw" ;;
        *) ip -n "$ns" route add default via "$gw" ;;
    esac
    ip netns exec "$ns" ethtool -K eth0 tx off >/dev/null 2>&1
    hnv_on "$n" ovs-vsctl add-port br-int "${P}v$vm" \
        -- set port "${P}v$vm" hnv_vsid="$vsid"
}

hnv_vm_move() {
    local vm=$1 from=$2 to=$3 vsid=$4 ca=$5 mac=$6 gw=$7 ns=$P$1
    # The new attachment first, under a temporary name in the VM.
    ip link add "${P}v$vm" type veth peer name eth0new netns "$ns" || return 1
    ip link set "${P}v$vm" netns "${P}h$to" || return 1
    ip -n "${P}h$to" link set "${P}v$vm" up
    hnv_on "$to" ovs-vsctl add-port br-int "${P}v$vm" \
        -- set port "${P}v$vm" hnv_vsid="$vsid" || return 1
    ip netns exec "$ns" ethtool -K eth0new tx off >/dev/null 2>&1
    ip -n "$ns" link set eth0new address "$mac" mtu 1458 || return 1
    # The switch-over: the old eth0 goes, with its peer on host FROM.
    ip -n "$ns" link del eth0 || return 1
    ip -n "$ns" link set eth0new name eth0 up || return 1
    case $ca in
        *:*) ip -n "$ns" -6 addr add "$ca" dev eth0 nodad ;;
        *) ip -n "$ns" addr add "$ca" dev eth0 ;;
    esac
    case $gw in
        '') ;;
        *:*) ip -n "$ns" -6 route add default via "$gw" ;;
        *) ip -n "$ns" route add default via "$gw" ;;
    esac
    # (The old port is gone already; no need to wait for host FROM.)
    hnv_on "$from" ovs-vsctl --no-wait --if-exists del-port br-int "${P}v$vm"
}

hnv_cleanup() {
    local n ns pidfile
    for pidfile in "$HNV_BASE"/h*/ovs-vswitchd.pid "$HNV_BASE"/h*/ovsdb-server.pid; do
        if test -e "$pidfile"; then
            kill "$(cat "$pidfile")" 2>/dev/null || true
            rm -f "$pidfile"
        fi
    done
    # Everything with the prefix, including what an earlier run left.
    for ns in $(ip netns list | sed -n "s/^\($P[a-z0-9]*\)\( .*\)\{0,1\}$/\1/p"); do
        ip netns del "$ns" 2>/dev/null || true
    done
    for n in $(ip -o link show | sed -n "s/^[0-9]*: \($P[a-z0-9]*\)[@:].*/\1/p"); do
        # (A veth whose peer was in a deleted namespace may vanish
        # meanwhile.)
        ip link del "$n" 2>/dev/null || true
    done
    return 0
}

if test -n "$HNV_BIN"; then
    PATH=$HNV_BIN/utilities:$HNV_BIN/vswitchd:$HNV_BIN/ovsdb:$PATH
    HNV_SCHEMA=${HNV_SCHEMA:-$HNV_BIN/vswitchd/vswitch.ovsschema}
fi
