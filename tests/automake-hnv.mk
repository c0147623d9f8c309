# ovs-hnv autotests, included into upstream's tests/testsuite.at through
# tests/hnv-testsuite.at.
TESTSUITE_AT += \
	tests/hnv-testsuite.at \
	tests/hnv-build.at
TESTSUITE_AT += tests/hnv-schema.at
TESTSUITE_AT += tests/hnv-ctl.at
