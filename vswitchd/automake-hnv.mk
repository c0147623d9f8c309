# vswitchd: the HNV tables of the switch database -> the host's HNV policy.
vswitchd_ovs_vswitchd_SOURCES += \
	vswitchd/bridge-hnv.c \
	vswitchd/bridge-hnv.h
