using System.Diagnostics;

namespace GatewayProxy.Ingress.Connection;

/// <summary>Heartbeat bookkeeping for one connection: jittered first beat, ACK tracking, zombie detection, round-trip latency.</summary>
/// <remarks>Written by the heartbeat task (beats) and the read loop (ACKs); both fields are read with Volatile.</remarks>
public sealed class HeartbeatMonitor
{
    private long _sentTimestamp;
    private int _awaitingAck;
    private long _latencyTicks = -1;

    /// <summary>Creates the monitor for a connection whose HELLO said <paramref name="interval"/>.</summary>
    public HeartbeatMonitor(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        Interval = interval;
    }

    /// <summary>The heartbeat interval from HELLO.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The last measured round trip (beat → ACK), or null before the first ACK.</summary>
    public TimeSpan? Latency
    {
        get
        {
            long ticks = Volatile.Read(ref _latencyTicks);
            return ticks < 0 ? null : TimeSpan.FromTicks(ticks);
        }
    }

    /// <summary>True while a beat has gone out without its ACK.</summary>
    public bool AwaitingAck => Volatile.Read(ref _awaitingAck) != 0;

    /// <summary>The delay before the first beat: interval × random(0..1), as Discord asks (spreads reconnect storms).</summary>
    public TimeSpan FirstDelay(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Interval * random.NextDouble();
    }

    /// <summary>Starts a scheduled beat; false when the previous one was never ACKed (a zombie connection).</summary>
    public bool TryBeginBeat()
    {
        if (Interlocked.Exchange(ref _awaitingAck, 1) != 0)
        {
            return false;
        }

        Volatile.Write(ref _sentTimestamp, Stopwatch.GetTimestamp());
        return true;
    }

    /// <summary>Notes a beat the server asked for (op 1): it is answered at once and does not make the connection a zombie.</summary>
    public void OnRequestedBeat()
    {
        if (Interlocked.Exchange(ref _awaitingAck, 1) == 0)
        {
            Volatile.Write(ref _sentTimestamp, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Records an ACK (op 11) and returns the round trip, or null for an ACK nobody waited for.</summary>
    public TimeSpan? OnAck()
    {
        if (Interlocked.Exchange(ref _awaitingAck, 0) == 0)
        {
            return null;
        }

        TimeSpan rtt = Stopwatch.GetElapsedTime(Volatile.Read(ref _sentTimestamp));
        Volatile.Write(ref _latencyTicks, rtt.Ticks);
        return rtt;
    }
}
