using System.Globalization;

namespace GatewayProxy.Simulator;

/// <summary>Parses the standalone simulator's command line into options and periodic faults.</summary>
public static class CommandLine
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        GatewayProxy.Simulator: a local Discord (REST + gateway) on 127.0.0.1.

        usage: dotnet run --project src/Simulator -- [options]
          --port N                  TCP port (default 7979; 0 = any free port)
          --token T                 bot token clients must present (default sim-token)
          --shards N                shard count (default 2)
          --guilds N                guilds, spread over shards by (id >> 22) % shards (default 20)
          --members N               members per guild (default 50)
          --guild-size-mix          draw guild sizes from a large bot's mix (90% 10-100 members, 9% 251-1000, 1% huge)
          --live-guilds N           live events touch only the first N guilds of each shard (default 0 = all)
          --hot-guilds N            changed guilds kept as trees per shard between calls (default unlimited)
          --rate R                  live events per second per shard (default 10; 0 = paused)
          --events N                live events per shard before the stream stops (default unlimited)
          --seed N                  data generator seed (default 1)
          --max-concurrency N       identify buckets (default 1)
          --identify-interval-ms N  time between identifies of a bucket (default 5000)
          --identify-stamp-delay-ms N  time an accepted identify late, as a busy gateway does (default 0)
          --session-start-limit N   session_start_limit.total (default 1000)
          --heartbeat-ms N          heartbeat_interval in HELLO (default 41250)
          --tls                     serve https:// and wss:// with a generated self-signed certificate
          --reconnect-every S       send op 7 to every connected shard every S seconds
          --invalidate-every S      send op 9 (resumable) to every connected shard every S seconds
          --drop-every S            drop every shard's TCP connection mid-frame every S seconds
          --verbose                 log connections, closes and faults to stderr
          --help                    this text

        While running, commands on stdin: reconnect SHARD | invalidate SHARD true|false | drop SHARD |
          close SHARD CODE [REASON] | stall SHARD | unstall SHARD | emit SHARD COUNT | rate R | quit
        """;

    /// <summary>Periodic faults requested on the command line (seconds; 0 = off).</summary>
    public sealed record Faults(double ReconnectEvery, double InvalidateEvery, double DropEvery);

    /// <summary>Parses arguments; false with a message naming the bad argument.</summary>
    public static bool TryParse(string[] args, out SimulatorOptions options, out Faults faults, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new SimulatorOptions { Port = 7979, RecordLimit = 10_000 };
        var f = new Faults(0, 0, 0);
        options = o;
        faults = f;
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "--tls")
            {
                o.Tls = true;
                continue;
            }

            if (name is "--guild-size-mix")
            {
                o.GuildSizeMix = true;
                continue;
            }

            if (name is "--verbose")
            {
                o.Verbose = true;
                continue;
            }

            if (name is "--help" or "-h")
            {
                error = Usage;
                return false;
            }

            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value";
                return false;
            }

            var value = args[++i];
            var ok = name switch
            {
                "--port" => Int(value, v => o.Port = v),
                "--token" => Set(() => o.Token = value),
                "--shards" => Int(value, v => o.ShardCount = v),
                "--guilds" => Int(value, v => o.GuildCount = v),
                "--members" => Int(value, v => o.MembersPerGuild = v),
                "--live-guilds" => Int(value, v => o.LiveGuildsPerShard = v),
                "--hot-guilds" => Int(value, v => o.HotGuildsPerShard = v),
                "--rate" => Double(value, v => o.EventsPerSecond = v),
                "--events" => Long(value, v => o.EventCount = v),
                "--seed" => Int(value, v => o.Seed = v),
                "--max-concurrency" => Int(value, v => o.MaxConcurrency = v),
                "--identify-interval-ms" => Int(value, v => o.IdentifyInterval = TimeSpan.FromMilliseconds(v)),
                "--identify-stamp-delay-ms" => Int(value, v => o.IdentifyStampDelay = TimeSpan.FromMilliseconds(v)),
                "--session-start-limit" => Int(value, v => o.SessionStartLimit = v),
                "--heartbeat-ms" => Int(value, v => o.HeartbeatIntervalMs = v),
                "--reconnect-every" => Double(value, v => f = f with { ReconnectEvery = v }),
                "--invalidate-every" => Double(value, v => f = f with { InvalidateEvery = v }),
                "--drop-every" => Double(value, v => f = f with { DropEvery = v }),
                _ => (bool?)null,
            };
            if (ok is null)
            {
                error = $"unknown option {name} (see --help)";
                return false;
            }

            if (ok == false)
            {
                error = $"{name}: '{value}' is not a valid value";
                return false;
            }
        }

        faults = f;
        try
        {
            o.Validate();
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return false;
        }

        return true;
    }

    private static bool? Set(Action set)
    {
        set();
        return true;
    }

    private static bool? Int(string value, Action<int> set)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
        {
            return false;
        }

        set(v);
        return true;
    }

    private static bool? Long(string value, Action<long> set)
    {
        if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
        {
            return false;
        }

        set(v);
        return true;
    }

    private static bool? Double(string value, Action<double> set)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || double.IsNaN(v) || v < 0)
        {
            return false;
        }

        set(v);
        return true;
    }
}
