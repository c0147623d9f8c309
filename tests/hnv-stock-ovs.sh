#! /bin/sh
# hnv-stock-ovs.sh (also tools/stock-ovs): Debian's own Open vSwitch, the
# stock switch that the interop tests (tests/system-hnv-peer.at) run beside
# ovs-hnv.
#
# usage: stock-ovs [DIR]      (default /var/cache/ovs-hnv/stock-ovs)
#
# Makes sure DIR holds Debian's openvswitch-common and openvswitch-switch
# packages, unpacked (apt-get download + dpkg-deb -x, nothing installed),
# and prints, as shell assignments:
#
#   STOCK_OVS_VERSION   what the stock ovs-vswitchd --version says
#   STOCK_OVS_PATH      DIR/usr/sbin:DIR/usr/bin: ovs-vswitchd, ovsdb-server,
#                       ovs-vsctl, ovs-appctl, ovsdb-tool...
#   STOCK_OVS_SCHEMA    the package's own vswitch.ovsschema
#   STOCK_OVS_LD_LIBRARY_PATH
#                       the package's own shared libraries, if it has any
#                       (Debian 12 links libopenvswitch statically: empty)
#
# DIR is reused when it is complete.  The package's ovs-vswitchd lives in
# /usr/lib/openvswitch-switch (Debian installs /usr/sbin/ovs-vswitchd as an
# alternative); DIR/usr/sbin/ovs-vswitchd is a link to it.  Exits non-zero,
# saying why, when the packages cannot be had (no network, no apt) or their
# programs cannot run here (a missing shared library).

set -e

dir=${1:-/var/cache/ovs-hnv/stock-ovs}
packages="openvswitch-common openvswitch-switch"

fail() {
    echo "stock-ovs: $*" >&2
    exit 1
}

complete() {
    test -x "$dir/usr/lib/openvswitch-switch/ovs-vswitchd" &&
    test -x "$dir/usr/sbin/ovsdb-server" &&
    test -x "$dir/usr/bin/ovs-vsctl" &&
    test -f "$dir/usr/share/openvswitch/vswitch.ovsschema"
}

fetch() {
    command -v apt-get >/dev/null || fail "apt-get is missing"
    command -v dpkg-deb >/dev/null || fail "dpkg-deb is missing"
    tmp=$(mktemp -d "$dir.tmp.XXXXXX")
    # (apt's download user must be able to write there.)
    chmod 755 "$tmp"
    mkdir "$tmp/debs" "$tmp/root"
    chmod 777 "$tmp/debs"
    if ! (cd "$tmp/debs" && apt-get download $packages) >"$tmp/log" 2>&1; then
        cat "$tmp/log" >&2
        rm -rf "$tmp"
        fail "apt-get download $packages failed"
    fi
    for deb in "$tmp"/debs/*.deb; do
        dpkg-deb -x "$deb" "$tmp/root" || { rm -rf "$tmp"; fail "dpkg-deb -x $deb failed"; }
    done
    ln -sf ../lib/openvswitch-switch/ovs-vswitchd "$tmp/root/usr/sbin/ovs-vswitchd"
    (cd "$tmp/debs" && ls *.deb) > "$tmp/root/PACKAGES"
    rm -rf "$dir"
    mv "$tmp/root" "$dir"
    rm -rf "$tmp"
}

mkdir -p "$(dirname "$dir")"
# Two tests may ask at once: one downloads, the other waits.
exec 9>"$dir.lock"
flock 9
complete || fetch
complete || fail "$dir: the packages lack a program"

libdir=
if ls "$dir"/usr/lib/*/lib*.so* >/dev/null 2>&1; then
    libdir=$(dirname "$(ls "$dir"/usr/lib/*/lib*.so* | head -n 1)")
fi
for prog in usr/sbin/ovs-vswitchd usr/sbin/ovsdb-server usr/bin/ovs-vsctl \
            usr/bin/ovs-appctl usr/bin/ovsdb-tool usr/bin/ovs-ofctl; do
    missing=$(LD_LIBRARY_PATH=$libdir ldd "$dir/$prog" | grep 'not found' || true)
    test -z "$missing" || fail "$prog cannot run here: $missing"
done
version=$(LD_LIBRARY_PATH=$libdir "$dir/usr/sbin/ovs-vswitchd" --version | sed -n '1s/.* //p')
case $version in
    *hnv*) fail "$dir holds ovs-hnv ($version), not the stock switch" ;;
    '') fail "$dir/usr/sbin/ovs-vswitchd --version failed" ;;
esac

echo "STOCK_OVS_VERSION='$version'"
echo "STOCK_OVS_PATH='$dir/usr/sbin:$dir/usr/bin'"
echo "STOCK_OVS_SCHEMA='$dir/usr/share/openvswitch/vswitch.ovsschema'"
echo "STOCK_OVS_LD_LIBRARY_PATH='$libdir'"
