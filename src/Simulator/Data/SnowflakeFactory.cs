namespace GatewayProxy.Simulator.Data;

/// <summary>Makes Discord snowflakes: <c>(ms since 2015) &lt;&lt; 22 | worker &lt;&lt; 17 | process &lt;&lt; 12 | increment</c>.</summary>
internal sealed class SnowflakeFactory
{
    /// <summary>Discord's epoch (2015-01-01T00:00:00Z) in Unix milliseconds.</summary>
    public const long DiscordEpochMs = 1_420_070_400_000;

    private readonly int _worker;
    private readonly int _process;
    private long _timestampMs;
    private int _increment;

    /// <summary>Starts minting at a timestamp (Unix ms) with the given worker and process bits.</summary>
    public SnowflakeFactory(long startUnixMs, int worker = 1, int process = 0)
    {
        _timestampMs = startUnixMs - DiscordEpochMs;
        _worker = worker;
        _process = process;
    }

    /// <summary>A factory that continues from <paramref name="state"/> (see <see cref="Capture"/>).</summary>
    public SnowflakeFactory(SnowflakeState state)
        : this(state.TimestampMs + DiscordEpochMs, state.Worker, state.Process)
    {
        _increment = state.Increment;
    }

    /// <summary>The factory's clock, Unix ms.</summary>
    public long NowUnixMs => _timestampMs + DiscordEpochMs;

    /// <summary>The next id, strictly greater than every id minted before.</summary>
    public ulong Next()
    {
        _increment = (_increment + 1) & 0xFFF;
        if (_increment == 0)
        {
            _timestampMs++;
        }

        return Make(_timestampMs, _worker, _process, _increment);
    }

    /// <summary>The next id whose shard is <paramref name="shard"/> of <paramref name="shardCount"/>, moving time forward to get there.</summary>
    public ulong NextOnShard(int shard, int shardCount)
    {
        _timestampMs++;
        var offset = (int)(_timestampMs % shardCount);
        _timestampMs += (shard - offset + shardCount) % shardCount;
        _increment = 0;
        return Make(_timestampMs, _worker, _process, 0);
    }

    /// <summary>Where the factory stands now: a factory made from it mints the same ids as this one from here on.</summary>
    public SnowflakeState Capture() => new(_timestampMs, _increment, _worker, _process);

    /// <summary>Advances the clock by <paramref name="ms"/> milliseconds.</summary>
    public void Advance(long ms) => _timestampMs += ms;

    /// <summary>Builds a snowflake from its parts.</summary>
    public static ulong Make(long msSinceEpoch, int worker, int process, int increment)
        => ((ulong)msSinceEpoch << 22) | ((uint)(worker & 31) << 17) | ((uint)(process & 31) << 12) | (uint)(increment & 0xFFF);

    /// <summary>The shard a guild id belongs to.</summary>
    public static int ShardOf(ulong guildId, int shardCount) => (int)((guildId >> 22) % (ulong)shardCount);

    /// <summary>The creation time of a snowflake.</summary>
    public static DateTimeOffset TimeOf(ulong id) => DateTimeOffset.FromUnixTimeMilliseconds((long)(id >> 22) + DiscordEpochMs);
}

/// <summary>A captured <see cref="SnowflakeFactory"/> position.</summary>
internal readonly record struct SnowflakeState(long TimestampMs, int Increment, int Worker, int Process);
