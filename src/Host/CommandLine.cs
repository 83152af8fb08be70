using System.Globalization;

namespace GatewayProxy.Host;

/// <summary>The executable's command line.</summary>
internal sealed class CommandLine
{
    public const string Usage = """
        GatewayProxy: holds a Discord bot's gateway shards and serves them to the bot.

        usage: GatewayProxy [--config PATH] [--simulate [--sim-shards N] [--sim-guilds N] [--sim-rate EVENTS_PER_S]] [--port N]

          --config PATH       config file (default ./config.json)
          --simulate          start a local simulated Discord in-process and point the proxy at it
          --sim-shards N      simulated shard count (default 2)
          --sim-guilds N      simulated guild count (default 20)
          --sim-rate R        simulated live events per second per shard (default 2)
          --port N            client port, overriding config.json's "port"
          --help              this text
        """;

    public string ConfigPath { get; private set; } = "config.json";

    public bool Simulate { get; private set; }

    public int SimShards { get; private set; } = 2;

    public int SimGuilds { get; private set; } = 20;

    public double SimRate { get; private set; } = 2;

    public int? Port { get; private set; }

    public bool Help { get; private set; }

    public static bool TryParse(string[] args, out CommandLine result, out string? error)
    {
        result = new CommandLine();
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--help" or "-h":
                    result.Help = true;
                    break;
                case "--simulate":
                    result.Simulate = true;
                    break;
                case "--config":
                    if (!TryValue(args, ref i, out string? path, out error))
                    {
                        return false;
                    }

                    result.ConfigPath = path!;
                    break;
                case "--sim-shards" or "--sim-guilds" or "--port":
                    if (!TryValue(args, ref i, out string? text, out error))
                    {
                        return false;
                    }

                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < (arg == "--port" ? 0 : 1) || n > (arg == "--port" ? 65535 : 100_000))
                    {
                        error = $"{arg} is \"{text}\", wanted a whole number{(arg == "--port" ? " from 0 to 65535" : " from 1 to 100000")}";
                        return false;
                    }

                    if (arg == "--sim-shards")
                    {
                        result.SimShards = n;
                    }
                    else if (arg == "--sim-guilds")
                    {
                        result.SimGuilds = n;
                    }
                    else
                    {
                        result.Port = n;
                    }

                    break;
                case "--sim-rate":
                    if (!TryValue(args, ref i, out string? rate, out error))
                    {
                        return false;
                    }

                    if (!double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out double r) || r < 0 || r > 1_000_000)
                    {
                        error = $"--sim-rate is \"{rate}\", wanted events per second from 0 to 1000000";
                        return false;
                    }

                    result.SimRate = r;
                    break;
                default:
                    error = $"unknown argument \"{arg}\" (see --help)";
                    return false;
            }
        }

        return true;
    }

    private static bool TryValue(string[] args, ref int i, out string? value, out string? error)
    {
        if (i + 1 >= args.Length)
        {
            value = null;
            error = $"{args[i]} needs a value (see --help)";
            return false;
        }

        value = args[++i];
        error = null;
        return true;
    }
}
