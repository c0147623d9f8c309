# lib/hnv: the HNV policy model shared by ovs-vswitchd, ovs-hnvctl and the
# unit tests (address/MAC/VSID parsing, the route table, the policy
# snapshot, the forwarding decision, the VSID-scoped MAC table, the
# per-VSID counters).  Built into libopenvswitch so that
# ovstest can test it.
lib_libopenvswitch_la_SOURCES += \
	lib/hnv/hnv-l2.c \
	lib/hnv/hnv-l2.h \
	lib/hnv/hnv-policy.c \
	lib/hnv/hnv-policy.h \
	lib/hnv/hnv-route.c \
	lib/hnv/hnv-route.h \
	lib/hnv/hnv-stage.c \
	lib/hnv/hnv-stage.h \
	lib/hnv/hnv-stats.c \
	lib/hnv/hnv-stats.h \
	lib/hnv/hnv-types.c \
	lib/hnv/hnv-types.h
