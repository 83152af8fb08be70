namespace GatewayProxy.Simulator;

/// <summary>
/// Firehose support for load drivers: generate a pool of real-shaped dispatches once, then replay it at any rate.
/// Generating JSON per event costs far more than relaying it, so a driver that generated live would measure itself.
/// </summary>
public sealed partial class DiscordSimulator
{
    /// <summary>
    /// Generates <paramref name="count"/> live dispatches for <paramref name="shard"/> (the usual event mix, applied to
    /// the simulated state as usual) without sending them; GUILD_CREATEs are built as a session with every intent sees them.
    /// </summary>
    public IReadOnlyList<PreparedDispatch> GenerateDispatches(int shard, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var runtime = Shard(shard);
        lock (runtime.Gate)
        {
            return runtime.GenerateLocked(count);
        }
    }

    /// <summary>
    /// Sends <paramref name="count"/> dispatches of <paramref name="pool"/>, starting at index <paramref name="start"/> and
    /// wrapping around, to every ready session of <paramref name="shard"/>, each with the session's next <c>s</c>.
    /// They are neither recorded (<see cref="GetSentDispatches"/>) nor kept for replay. Returns how many sessions got them.
    /// </summary>
    public int EmitPrepared(int shard, IReadOnlyList<PreparedDispatch> pool, long start, int count)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (pool.Count == 0)
        {
            throw new ArgumentException("The pool is empty.", nameof(pool));
        }

        var runtime = Shard(shard);
        lock (runtime.Gate)
        {
            return runtime.EmitPreparedLocked(pool, start, count);
        }
    }
}
