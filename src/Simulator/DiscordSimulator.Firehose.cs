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
    public IReadOnlyList<PreparedDispatch> GenerateDispatches(int shard, int count) => GenerateDispatches(shard, count, GatewayProxy.Protocol.Gateway.GatewayIntents.All, 250);

    /// <summary>
    /// Generates up to <paramref name="count"/> live dispatches for <paramref name="shard"/> as a session with
    /// <paramref name="intents"/> and <paramref name="largeThreshold"/> receives them (kinds it does not receive are not
    /// drawn; GUILD_CREATEs are that session's view; message content blanked without MESSAGE_CONTENT).
    /// </summary>
    public IReadOnlyList<PreparedDispatch> GenerateDispatches(int shard, int count, long intents, int largeThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var runtime = Shard(shard);
        lock (runtime.Gate)
        {
            return runtime.GenerateLocked(count, intents, largeThreshold);
        }
    }

    /// <summary>
    /// An outage of <paramref name="guilds"/> guilds of <paramref name="shard"/> from READY position
    /// <paramref name="firstGuild"/> on: a GUILD_DELETE (unavailable) for each, then each one's GUILD_CREATE as a session
    /// with <paramref name="intents"/> sees it. Nothing changes in the world (the guilds come back as they were).
    /// </summary>
    public IReadOnlyList<PreparedDispatch> GenerateOutage(int shard, int firstGuild, int guilds, long intents, int largeThreshold)
    {
        var runtime = Shard(shard);
        lock (runtime.Gate)
        {
            return runtime.OutageLocked(firstGuild, guilds, intents, largeThreshold);
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
