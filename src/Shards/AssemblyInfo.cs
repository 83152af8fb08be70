// The seam between Ingress (which owns the shards) and Egress (which serves them to clients).
[assembly: System.CLSCompliant(false)]
