# ovs-hnv autotests, included into upstream's tests/testsuite.at through
# tests/hnv-testsuite.at, and unit tests of lib/hnv ("ovstest test-hnv").
TESTSUITE_AT += \
	tests/hnv-testsuite.at \
	tests/hnv-build.at \
	tests/hnv-lib.at \
	tests/hnv-schema.at \
	tests/hnv-config.at \
	tests/hnv-ctl.at \
	tests/hnv-forward.at \
	tests/hnv-isolation.at \
	tests/hnv-underlay.at \
	tests/system-hnv.at \
	tests/system-hnv-peer.at

tests_ovstest_SOURCES += tests/test-hnv.c tests/test-hnv-rcu.c \
	tests/test-hnv-stage.c tests/test-hnv.h
EXTRA_DIST += tests/hnv-nvgre.py tests/hnv-hosts.sh \
	tests/hnv-peer.sh tests/hnv-nvgre-peer.py tests/hnv-stock-ovs.sh
