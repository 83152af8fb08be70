using System.Globalization;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>Command line of <c>e2e</c>: <c>[--quick] [--scenario NAME]... [--targets proxy,raw,naive] [--events N] [--warmup N] [--no-scale] [--no-cache] [--cache-only] [--cache-guilds 1000,10000]</c>.</summary>
internal sealed class E2eOptions
{
    /// <summary>CI mode: a few small scenarios, bounded counts.</summary>
    public bool Quick { get; private set; }

    /// <summary>Only these scenarios (names like <c>4s-64c-zlib</c>); empty = the mode's list.</summary>
    public List<string> Scenarios { get; } = [];

    /// <summary>Targets to run each main scenario against.</summary>
    public List<TargetKind> Targets { get; } = [TargetKind.Proxy, TargetKind.Raw, TargetKind.Naive];

    /// <summary>Measured live events delivered per run (spread over the clients); null = the mode's default.</summary>
    public long? Events { get; private set; }

    /// <summary>Warm-up events per shard; null = the mode's default.</summary>
    public long? Warmup { get; private set; }

    /// <summary>Skip the scale curve (full mode).</summary>
    public bool NoScale { get; private set; }

    /// <summary>Skip the cache memory table (full mode).</summary>
    public bool NoCache { get; private set; }

    /// <summary>Run only the cache memory table.</summary>
    public bool CacheOnly { get; private set; }

    /// <summary>Guild counts of the cache memory table.</summary>
    public List<int> CacheGuilds { get; } = [1000, 10_000, 100_000];

    /// <summary>Parses the arguments after <c>e2e</c>; throws <see cref="ArgumentException"/> naming a wrong one.</summary>
    public static E2eOptions Parse(string[] args)
    {
        var o = new E2eOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    o.Quick = true;
                    break;
                case "--scenario":
                    o.Scenarios.Add(Value(args, ref i));
                    break;
                case "--targets":
                    o.Targets.Clear();
                    foreach (var t in Value(args, ref i).Split(','))
                    {
                        o.Targets.Add(Enum.Parse<TargetKind>(t, ignoreCase: true));
                    }

                    break;
                case "--events":
                    o.Events = long.Parse(Value(args, ref i), CultureInfo.InvariantCulture);
                    break;
                case "--warmup":
                    o.Warmup = long.Parse(Value(args, ref i), CultureInfo.InvariantCulture);
                    break;
                case "--no-scale":
                    o.NoScale = true;
                    break;
                case "--cache-only":
                    o.CacheOnly = true;
                    break;
                case "--cache-guilds":
                    o.CacheGuilds.Clear();
                    foreach (var g in Value(args, ref i).Split(','))
                    {
                        o.CacheGuilds.Add(int.Parse(g, CultureInfo.InvariantCulture));
                    }

                    break;
                case "--no-cache":
                    o.NoCache = true;
                    break;
                default:
                    throw new ArgumentException($"unknown e2e argument \"{args[i]}\"");
            }
        }

        return o;
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value");
}
