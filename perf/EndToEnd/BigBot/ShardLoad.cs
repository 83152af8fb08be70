namespace GatewayProxy.Perf.EndToEnd.BigBot;

/// <summary>
/// One shard's live load, drawn from the seed: a rate (most shards 1–10 events/s, log-uniform; a few 100–500), active
/// periods of 10–40 s separated by idle ones of 2–10 s, and a burst each time the pool reaches its outage segment (several
/// guilds go unavailable at once, then come back: GUILD_DELETE each, then GUILD_CREATE each).
/// </summary>
internal sealed class ShardLoad
{
    private readonly Random _random;
    private readonly int _normal;
    private readonly int _burst;
    private double _credit;
    private double _switchAt;
    private bool _active;

    private ShardLoad(Random random, double rate, int normal, int burst)
    {
        _random = random;
        Rate = rate;
        _normal = normal;
        _burst = burst;
        _active = random.Next(4) != 0;
        _switchAt = random.NextDouble() * (_active ? 40 : 10);
    }

    /// <summary>Events per second while active.</summary>
    public double Rate { get; private set; }

    /// <summary>Whether this is one of the few busy shards.</summary>
    public bool Busy => Rate >= 50;

    /// <summary>Pool index of the next event (events sent so far).</summary>
    public long Cursor { get; private set; }

    /// <summary>Bursts sent so far.</summary>
    public int Bursts { get; private set; }

    /// <summary>Seconds spent idle so far (at the last <see cref="Due"/>).</summary>
    public double IdleSeconds { get; private set; }

    /// <summary>Loads for <paramref name="shards"/> shards whose pools hold <paramref name="normal"/> events then a burst of <paramref name="burst"/>, scaled to <paramref name="meanRate"/>.</summary>
    public static ShardLoad[] Create(int shards, int seed, double meanRate, int normal, int burst)
    {
        var pick = new Random(seed * 31 + 7);
        var busy = new HashSet<int>();
        var busyCount = Math.Max(1, (int)Math.Round(shards * 0.02));
        while (busy.Count < Math.Min(busyCount, shards))
        {
            busy.Add(pick.Next(shards));
        }

        var loads = new ShardLoad[shards];
        double sum = 0;
        for (var s = 0; s < shards; s++)
        {
            var random = new Random(unchecked((seed * 7919) + (s * 104_729)));
            var rate = busy.Contains(s) ? 100 + (random.NextDouble() * 400) : Math.Pow(10, random.NextDouble());
            loads[s] = new ShardLoad(random, rate, normal, burst);
            sum += rate;
        }

        var scale = meanRate / (sum / shards);
        foreach (var load in loads)
        {
            load.Rate *= scale;
        }

        return loads;
    }

    /// <summary>How many events to send now (<paramref name="seconds"/> since the load started, <paramref name="dt"/> since the last call).</summary>
    public int Due(double seconds, double dt)
    {
        while (seconds >= _switchAt)
        {
            _active = !_active;
            _switchAt += _active ? 10 + (_random.NextDouble() * 30) : 2 + (_random.NextDouble() * 8);
        }

        if (!_active)
        {
            IdleSeconds += dt;
            return 0;
        }

        var position = Cursor % (_normal + _burst);
        if (position == _normal)
        {
            Bursts++;
            Cursor += _burst;
            return _burst;
        }

        _credit += Rate * dt;
        var due = (int)Math.Min(_credit, _normal - position);
        _credit -= due;
        Cursor += due;
        return due;
    }
}
