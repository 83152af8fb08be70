using System.Globalization;
using GatewayProxy.Simulator.Sessions;

namespace GatewayProxy.Simulator;

/// <summary>The identify queue endpoint (<c>/queue?shard=N</c>) and the record of every queue grant and IDENTIFY, on one timeline.</summary>
public sealed partial class DiscordSimulator
{
    private readonly Lock _identifyGate = new();
    private readonly List<IdentifyRecord> _identifies = [];
    private readonly List<QueueGrantRecord> _grants = [];
    private long _identifyOrder;
    private int _identifyViolations;

    /// <summary>The twilight gateway-queue compatible endpoint: <c>http(s)://127.0.0.1:PORT/queue</c> (clients add <c>?shard=N</c>).</summary>
    public Uri IdentifyQueueUrl => new(string.Create(CultureInfo.InvariantCulture, $"{(Options.Tls ? "https" : "http")}://127.0.0.1:{Port}/queue"));

    /// <summary>IDENTIFYs refused for breaking a limit (bucket window or session_start_limit): each one a client's rate-limit violation.</summary>
    public int IdentifyRateLimitViolations => Volatile.Read(ref _identifyViolations);

    /// <summary>Every IDENTIFY that parsed, accepted or refused, in arrival order.</summary>
    public IReadOnlyList<IdentifyRecord> GetIdentifyAttempts()
    {
        lock (_identifyGate)
        {
            return _identifies.ToArray();
        }
    }

    /// <summary>Every turn the identify queue granted, in grant order.</summary>
    public IReadOnlyList<QueueGrantRecord> GetQueueGrants()
    {
        lock (_identifyGate)
        {
            return _grants.ToArray();
        }
    }

    internal IdentifyQueueServer IdentifyQueue { get; }

    /// <summary>Holds a queue request until the shard may identify, then records the grant.</summary>
    internal async Task GrantIdentifyTurnAsync(int shard, CancellationToken ct)
    {
        await IdentifyQueue.WaitTurnAsync(shard, ct).ConfigureAwait(false);
        lock (_identifyGate)
        {
            _grants.Add(new QueueGrantRecord(_identifyOrder++, shard, Options.Clock.GetUtcNow()));
        }

        Log($"identify queue: shard {shard} may identify");
    }

    private void RecordIdentify(int shard, bool accepted, string? refusal)
    {
        lock (_identifyGate)
        {
            _identifies.Add(new IdentifyRecord(_identifyOrder++, shard, Options.Clock.GetUtcNow(), accepted, refusal));
        }

        if (!accepted)
        {
            Interlocked.Increment(ref _identifyViolations);
        }

        IdentifyQueue.OnIdentify(shard);
    }
}
