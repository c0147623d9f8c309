# ovs-hnv sources in ofproto/ (see ovs-hnv's README.md).
