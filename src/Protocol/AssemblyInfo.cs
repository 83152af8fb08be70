// Pure protocol code: no I/O, no threads.
[assembly: System.CLSCompliant(false)]
