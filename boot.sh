#! /bin/sh
# Generates ovs-hnv's own configure script.  Upstream Open vSwitch is
# bootstrapped separately, inside build/, by "make".
set -e
cd "$(dirname "$0")"
autoreconf --install --force
