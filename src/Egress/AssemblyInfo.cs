// Downstream: listener, HTTP endpoints, client sessions.
[assembly: System.CLSCompliant(false)]
