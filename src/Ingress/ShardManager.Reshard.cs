using GatewayProxy.Ingress.Identify;
using GatewayProxy.Ingress.Rest;

namespace GatewayProxy.Ingress;

/// <summary>Resharding: a second shard set for a new shard count, started beside this one (docs/operations.md,
/// "Virtual shards and resharding").</summary>
public sealed partial class ShardManager
{
    /// <summary>Checks the identify budget, then creates and starts connecting a new set of <paramref name="totalShards"/>
    /// shards through this set's identify queue (which the new set then owns); returns once started, not ready.</summary>
    /// <param name="totalShards">The new shard count.</param>
    /// <param name="tune">Adjusts the new set's options (tests point it elsewhere).</param>
    /// <param name="ct">Cancels the budget check.</param>
    /// <exception cref="ReshardRefusedException">This set does not own every shard, or the budget is too low.</exception>
    /// <exception cref="GatewayInfoException">The gateway information could not be fetched.</exception>
    public async Task<ShardManager> StartSuccessorAsync(int totalShards, Action<IngressOptions>? tune, CancellationToken ct)
    {
        if (totalShards is < 1 or > 65536)
        {
            throw new ReshardRefusedException($"cannot reshard to {totalShards} shards: the count must be 1..65536");
        }

        if (ShardStart != 0 || ShardEnd != TotalShards)
        {
            throw new ReshardRefusedException($"cannot reshard: this process runs shards [{ShardStart}, {ShardEnd}) of {TotalShards}, and a reshard needs one process running every shard");
        }

        if (Volatile.Read(ref _stopped) != 0)
        {
            throw new ReshardRefusedException("cannot reshard: the shards are stopping");
        }

        IngressOptions options = _options.Copy();
        options.ShardCount = totalShards;
        options.ShardStart = 0;
        options.ShardEnd = null;
        options.ResumeStates = null;
        tune?.Invoke(options);
        options.Validate();

        GatewayBotInfo gateway = await FetchGatewayAsync(options, _logger, ct).ConfigureAwait(false);
        int remaining = gateway.SessionStartLimit.Remaining;
        if (_identifyQueue is IdentifyQueue local)
        {
            // The in-process queue also counts what this process spent since /gateway/bot was last read.
            remaining = Math.Min(remaining, local.Remaining);
        }

        if (remaining < totalShards)
        {
            throw new ReshardRefusedException(
                $"identify budget too low: session_start_limit.remaining is {remaining}, and {totalShards} shards need {totalShards} IDENTIFYs; the budget resets in {gateway.SessionStartLimit.ResetAfter.TotalMinutes:0} minutes");
        }

        // The new set identifies through the same queue (one pace per bucket for the whole process) and owns it from now on;
        // the state file belongs to the set that serves at shutdown.
        _ownsQueue = false;
        ShardManager successor = Create(options, gateway, totalShards, 0, totalShards, _identifyQueue, restored: null, _logger);
        successor._stateFile = _stateFile;
        _stateFile = null;
        return successor;
    }

    /// <summary>Ends a successor that will not take over (its sessions closed with 1000); this set owns the queue and the state file again.</summary>
    public async Task AbandonSuccessorAsync(ShardManager successor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(successor);
        successor._ownsQueue = false;
        _stateFile = successor._stateFile;
        successor._stateFile = null;
        await successor.EndSessionsAsync(ct).ConfigureAwait(false);
        _ownsQueue = true;
    }

    /// <summary>Reads <c>/gateway/bot</c> again (Discord's recommended shard count and the identify budget now), with the
    /// options a new set would get (<paramref name="tune"/> as for <see cref="StartSuccessorAsync"/>).</summary>
    public Task<GatewayBotInfo> FetchGatewayAsync(Action<IngressOptions>? tune, CancellationToken ct)
    {
        IngressOptions options = _options;
        if (tune is not null)
        {
            options = _options.Copy();
            tune(options);
        }

        return FetchGatewayAsync(options, _logger, ct);
    }

    /// <summary>How many shards of the set are ready.</summary>
    public int ReadyCount
    {
        get
        {
            int ready = 0;
            foreach (Shard shard in _shards)
            {
                if (shard.IsReady) ready++;
            }

            return ready;
        }
    }

    /// <summary>Completes once every shard of the set is ready (READY and every guild answered).</summary>
    public async Task WaitAllReadyAsync(CancellationToken ct)
    {
        foreach (Shard shard in _shards)
        {
            if (!shard.IsReady)
            {
                await shard.WaitReadyAsync(ct).ConfigureAwait(false);
            }
        }
    }
}
