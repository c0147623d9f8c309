# ofproto: the HNV stage of ofproto-dpif bridges: settings, introspection
# and the forwarding stage called from NORMAL.
ofproto_libofproto_la_SOURCES += \
	ofproto/ofproto-dpif-hnv.c \
	ofproto/ofproto-dpif-hnv.h

MAN_FRAGMENTS += ofproto/ofproto-dpif-hnv-unixctl.man
