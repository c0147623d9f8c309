# hnv-peer.sh: NVGRE endpoints that are not ovs-hnv, on the underlay of
# tests/hnv-hosts.sh (source that first: it sets P and the underlay ${P}ul),
# for tests/system-hnv-peer.at.
#
#   hnv_peer_add NAME N  namespace ${P}NAME on the underlay, eth0 with
#                        192.168.100.N/24: where tests/hnv-nvgre-peer.py
#                        sends and captures NVGRE with Scapy
#   hnv_peer NAME CMD... runs CMD in ${P}NAME
#   hnv_stock_host_add N VSID KEY-PA SERVER CA/PLEN MAC
#                        a host running Debian's stock Open vSwitch (the
#                        programs on $STOCK_OVS_PATH, see tools/stock-ovs,
#                        with their own schema $STOCK_OVS_SCHEMA): namespace
#                        ${P}stock with its own ovsdb-server and ovs-vswitchd
#                        (userspace datapath, native tunnelling), br-phy with
#                        PA 192.168.100.N on the underlay, and br-int with a
#                        static-key gre port gre0 (remote_ip=KEY-PA,
#                        key=VSID << 8) and the port of the "physical
#                        server" namespace ${P}SERVER (eth0 with CA/PLEN,
#                        MAC, MTU 1458); NORMAL everywhere
#   hnv_stock_on CMD...  runs a stock Open vSwitch tool against that host
#   hnv_stock_cleanup    stops the stock daemons (hnv_cleanup removes the
#                        namespaces and links, which all have the prefix)

hnv_peer() {
    local name=$1; shift
    ip netns exec "$P$name" "$@"
}

hnv_peer_add() {
    local name=$1 n=$2 ns=$P$1
    ip netns add "$ns" || return 1
    ip -n "$ns" link set lo up
    ip link add "${P}p$name" type veth peer name eth0 netns "$ns" || return 1
    ip link set "${P}p$name" master "${P}ul" up
    ip -n "$ns" addr add "192.168.100.$n/24" dev eth0 || return 1
    ip -n "$ns" link set eth0 up
    ip netns exec "$ns" ethtool -K eth0 tx off >/dev/null 2>&1
    return 0
}

hnv_stock_on() {
    local d=$HNV_BASE/stock
    env PATH="$STOCK_OVS_PATH:$PATH" \
        LD_LIBRARY_PATH="$STOCK_OVS_LD_LIBRARY_PATH" \
        OVS_RUNDIR=$d OVS_LOGDIR=$d OVS_DBDIR=$d OVS_SYSCONFDIR=$d \
        OVS_PKGDATADIR=$d "$@"
}

hnv_stock_host_add() {
    local n=$1 vsid=$2 remote=$3 server=$4 ca=$5 mac=$6
    local ns=${P}stock d=$HNV_BASE/stock
    mkdir -p "$d" || return 1
    ip netns add "$ns" || return 1
    ip -n "$ns" link set lo up
    ip link add "${P}u$n" type veth peer name eth1 netns "$ns" || return 1
    ip link set "${P}u$n" master "${P}ul" up
    ip -n "$ns" link set eth1 up
    ip netns exec "$ns" ethtool -K eth1 tx off >/dev/null 2>&1

    hnv_stock_on ovsdb-tool create "$d/conf.db" "$STOCK_OVS_SCHEMA" || return 1
    hnv_stock_on ip netns exec "$ns" ovsdb-server --detach --no-chdir \
        --pidfile --log-file -vconsole:off \
        --remote=punix:"$d/db.sock" "$d/conf.db" || return 1
    hnv_stock_on ovs-vsctl --no-wait init || return 1
    hnv_stock_on ip netns exec "$ns" ovs-vswitchd --detach --no-chdir \
        --pidfile --log-file -vconsole:off || return 1

    # The physical server: no IPv6, so that it sends nothing on its own
    # (router solicitations) that would reach the VMs' hosts.
    ip netns add "$P$server" || return 1
    ip netns exec "$P$server" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1
    ip -n "$P$server" link set lo up
    ip link add "${P}v$server" type veth peer name eth0 netns "$P$server" \
        || return 1
    ip link set "${P}v$server" netns "$ns" || return 1
    ip -n "$ns" link set "${P}v$server" up
    ip -n "$P$server" link set eth0 address "$mac" mtu 1458 up
    ip -n "$P$server" addr add "$ca" dev eth0 || return 1
    ip netns exec "$P$server" ethtool -K eth0 tx off >/dev/null 2>&1

    hnv_stock_on ovs-vsctl \
        -- add-br br-phy -- set bridge br-phy datapath_type=netdev \
        -- add-port br-phy eth1 \
        -- add-br br-int -- set bridge br-int datapath_type=netdev \
        -- add-port br-int gre0 \
        -- set interface gre0 type=gre options:remote_ip="$remote" \
           options:key=$((vsid << 8)) \
        -- add-port br-int "${P}v$server" || return 1
    ip -n "$ns" addr add "192.168.100.$n/24" dev br-phy || return 1
    ip -n "$ns" link set br-phy up
}

hnv_stock_cleanup() {
    local pidfile
    for pidfile in "$HNV_BASE"/stock/ovs-vswitchd.pid \
                   "$HNV_BASE"/stock/ovsdb-server.pid; do
        if test -e "$pidfile"; then
            kill "$(cat "$pidfile")" 2>/dev/null || true
            rm -f "$pidfile"
        fi
    done
    return 0
}
