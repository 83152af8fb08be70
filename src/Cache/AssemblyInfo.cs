// The guild cache: applied by Ingress's cache updater, read by Egress through immutable snapshots.
[assembly: System.CLSCompliant(false)]
