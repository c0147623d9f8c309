# ovs-hnv sources in vswitchd/ (see ovs-hnv's README.md).
