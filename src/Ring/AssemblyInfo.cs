// The Disruptor-pattern ring: knows nothing of Discord.
[assembly: System.CLSCompliant(false)]
