# ovs-hnv autotests, included into upstream's tests/testsuite.at through
# tests/hnv-testsuite.at.
TESTSUITE_AT += \
	tests/hnv-testsuite.at \
	tests/hnv-build.at

# Unit tests of lib/hnv ("ovstest test-hnv ...").
tests_ovstest_SOURCES += tests/test-hnv.c
TESTSUITE_AT += tests/hnv-lib.at
