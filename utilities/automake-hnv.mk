# ovs-hnv sources in utilities/ (see ovs-hnv's README.md).

# ovs-hnvctl: the HNV configuration utility (HNV-SPEC section 4.1), built and
# installed like ovs-vsctl, with its manpage.
bin_PROGRAMS += utilities/ovs-hnvctl
utilities_ovs_hnvctl_SOURCES = \
	utilities/ovs-hnvctl.c \
	utilities/ovs-hnvctl.h \
	utilities/ovs-hnvctl-cache.c \
	utilities/ovs-hnvctl-direct.c \
	utilities/ovs-hnvctl-import.c \
	utilities/ovs-hnvctl-policy.c \
	utilities/ovs-hnvctl-show.c
utilities_ovs_hnvctl_LDADD = lib/libopenvswitch.la

MAN_ROOTS += utilities/ovs-hnvctl.8.in
man_MANS += utilities/ovs-hnvctl.8
CLEANFILES += utilities/ovs-hnvctl.8
DISTCLEANFILES += utilities/ovs-hnvctl.8
EXTRA_DIST += utilities/ovs-hnvctl.8.in
