# ovs-hnv sources in utilities/ (see ovs-hnv's README.md).
