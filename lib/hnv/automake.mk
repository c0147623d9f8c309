# lib/hnv: the HNV policy model shared by ovs-vswitchd, ovs-hnvctl and the
# unit tests (address/MAC/VSID parsing, the route table, the policy
# snapshot).  Built into libopenvswitch so that ovstest can test it.
lib_libopenvswitch_la_SOURCES += \
	lib/hnv/hnv-policy.h \
	lib/hnv/hnv-route.h \
	lib/hnv/hnv-types.h
# Temporary (branch hnvctl): replaced by the lib/hnv owner's implementation.
lib_libopenvswitch_la_SOURCES += lib/hnv/hnv-types.c
