using GatewayProxy.Tests.Host.EndToEnd;
using GatewayProxy.Tests.Support;

namespace GatewayProxy.Tests.Host.Faults;

/// <summary>A proxy client of a fault test, with every live dispatch it received across its connections (a RESUME continues
/// the list) and the bounds of the ring position its snapshot was taken at.</summary>
internal sealed class TrackedClient(int shard, ProxyClient first, long snapshotFloor, long snapshotCeiling)
{
    public int Shard { get; } = shard;

    public string SessionId { get; } = first.SessionId;

    /// <summary>The client sequence of its first live event: READY is 1, then one per guild answer.</summary>
    public long FirstLiveSeq { get; } = first.Guilds.Count + 2;

    /// <summary>The snapshot position is at least this (the shard cache's position before the IDENTIFY).</summary>
    public long SnapshotFloor { get; } = snapshotFloor;

    /// <summary>The snapshot position is at most this (the ring cursor once READY and the burst arrived).</summary>
    public long SnapshotCeiling { get; } = snapshotCeiling;

    /// <summary>The connection in use now.</summary>
    public RawGatewayClient Client { get; set; } = first.Client;

    /// <summary>Each RESUMED received: the <see cref="Live"/> index it came before, and its <c>s</c> (it takes one).</summary>
    public List<(int Before, long? Seq)> Resumed { get; } = [];

    /// <summary>Live dispatches received so far, in order (RESUMED and heartbeat ACKs left out).</summary>
    public List<GatewayMessage> Live { get; } = [];

    /// <summary>Disposes the current connection once (RawGatewayClient.DisposeAsync is not idempotent).</summary>
    public async ValueTask DisposeConnectionAsync()
    {
        if (_disposed == Client) return;
        _disposed = Client;
        await Client.DisposeAsync();
    }

    private RawGatewayClient? _disposed;

    /// <summary>Where each RESUME happened (for failure messages): Live count before it, the seq sent, events replayed.</summary>
    public List<(int LiveCount, long Seq, int Replayed)> ResumePoints { get; } = [];

    /// <summary>Connections this client resumed on.</summary>
    public int Resumes { get; set; }

    /// <summary>True once it closed itself with 1000 (its list is then a prefix, not the whole tail).</summary>
    public bool Left { get; set; }

    /// <summary>The relay it reads through when it is the stalling client, else null.</summary>
    public PausableRelay? Relay { get; set; }

    /// <summary>The close code the proxy cut it with (only the stalling client may be cut: 4000, lagging too far).</summary>
    public ushort? CutWith { get; private set; }

    /// <summary>Takes every payload already received into <see cref="Live"/>, up to a dispatch equal to <paramref name="until"/>
    /// (or, with null, until the connection ends); fails on a close it did not ask for.</summary>
    public async Task CollectAsync(Func<GatewayMessage, bool>? until)
    {
        while (true)
        {
            GatewayMessage message;
            try
            {
                message = await Client.ReceiveAsync(ProxyFixture.WaitLimit);
            }
            catch (GatewayClosedException) when (until is null)
            {
                return;
            }
            catch (GatewayClosedException closed) when (Relay is not null && closed.Code is not null)
            {
                CutWith = closed.Code;
                return;
            }

            if (message.Op == 9) throw new InvalidOperationException($"client of shard {Shard} got INVALID_SESSION: {message}");
            if (message.Op != 0) continue;
            if (message.Type == "RESUMED")
            {
                Resumed.Add((Live.Count, message.Seq));
                continue;
            }

            Live.Add(message);
            if (until is not null && until(message)) return;
        }
    }
}
