using System.Text;
using GatewayProxy.Simulator;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>
/// What every client of one shard must receive during the firehose: pool entry <c>k % pool</c> as its k-th live event, as
/// the Simulator sent it except for <c>s</c>, and when the k-th event was handed to the Simulator (for latency).
/// </summary>
internal sealed class ExpectedStream
{
    /// <summary>Builds the expectation for a shard's pool with room for <paramref name="totalEvents"/> send stamps;
    /// without <paramref name="bytes"/>, clients can check only the order (<c>s</c>), not the payloads.</summary>
    public ExpectedStream(int shard, IReadOnlyList<PreparedDispatch> pool, long totalEvents, bool bytes = true)
    {
        Shard = shard;
        Pool = pool;
        HasBytes = bytes;
        var count = bytes ? pool.Count : 0;
        Prefixes = new byte[count][];
        Suffixes = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            // GatewayPayloads.WriteDispatch's shape: {"t":"X","s":N,"op":0,"d":data}
            Prefixes[i] = Encoding.ASCII.GetBytes($"{{\"t\":\"{pool[i].Type}\",\"s\":");
            Suffixes[i] = [.. ",\"op\":0,\"d\":"u8, .. pool[i].Data, (byte)'}'];
            PayloadBytes += Prefixes[i].Length + Suffixes[i].Length + 6;
        }

        PayloadBytes /= Math.Max(count, 1);
        SendStamps = new long[totalEvents];
    }

    /// <summary>Whether <see cref="Prefixes"/> and <see cref="Suffixes"/> hold the payloads.</summary>
    public bool HasBytes { get; }

    /// <summary>The shard id.</summary>
    public int Shard { get; }

    /// <summary>The dispatches replayed in a loop.</summary>
    public IReadOnlyList<PreparedDispatch> Pool { get; }

    /// <summary>Per pool entry: the bytes before the <c>s</c> digits.</summary>
    public byte[][] Prefixes { get; }

    /// <summary>Per pool entry: the bytes after the <c>s</c> digits.</summary>
    public byte[][] Suffixes { get; }

    /// <summary>Average uncompressed payload size of the pool, for the report.</summary>
    public long PayloadBytes { get; }

    /// <summary>Stopwatch timestamp at which live event k was handed to the Simulator.</summary>
    public long[] SendStamps { get; }
}
