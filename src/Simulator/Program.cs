using System.Globalization;

namespace GatewayProxy.Simulator;

/// <summary>Standalone entry point of the local Discord simulator.</summary>
public static class Program
{
    /// <summary>Runs the simulator until Ctrl-C, end of stdin after <c>quit</c>, or SIGTERM.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (!CommandLine.TryParse(args, out var options, out var faults, out var error))
        {
            Console.Error.WriteLine(error);
            return error == CommandLine.Usage ? 0 : 2;
        }

        await using var simulator = await DiscordSimulator.StartAsync(options).ConfigureAwait(false);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

        Console.WriteLine($"simulator listening: api {simulator.ApiBaseUrl} gateway {simulator.GatewayUrl} identify queue {simulator.IdentifyQueueUrl}");
        Console.WriteLine($"token {options.Token}, {options.ShardCount} shards, {simulator.State.GuildCount} guilds, {options.EventsPerSecond} events/s per shard");
        if (simulator.Certificate is { } certificate)
        {
            Console.WriteLine($"TLS certificate thumbprint {certificate.Thumbprint} (self-signed)");
        }

        var tasks = new List<Task>
        {
            Periodic(faults.ReconnectEvery, s => simulator.SendReconnectAsync(s), simulator, stop.Token),
            Periodic(faults.InvalidateEvery, s => simulator.SendInvalidSessionAsync(s, true), simulator, stop.Token),
            Periodic(faults.DropEvery, s => simulator.DropConnectionAsync(s, midFrame: true), simulator, stop.Token),
            Task.Run(() => ReadCommandsAsync(simulator, stop), CancellationToken.None),
        };

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        Console.WriteLine("simulator stopping");
        return 0;
    }

    private static async Task Periodic(double seconds, Func<int, Task> fault, DiscordSimulator simulator, CancellationToken ct)
    {
        if (seconds <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                for (var shard = 0; shard < simulator.Options.ShardCount; shard++)
                {
                    try
                    {
                        await fault(shard).ConfigureAwait(false);
                    }
                    catch (InvalidOperationException)
                    {
                        // Shard not connected right now.
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static async Task ReadCommandsAsync(DiscordSimulator simulator, CancellationTokenSource stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var line = await Console.In.ReadLineAsync().ConfigureAwait(false);
            if (line is null)
            {
                // No stdin (or closed): keep running until a signal.
                return;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            try
            {
                await RunCommandAsync(simulator, stop, parts).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or IndexOutOfRangeException or OverflowException)
            {
                Console.WriteLine($"error: {e.Message}");
            }
        }
    }

    private static async Task RunCommandAsync(DiscordSimulator simulator, CancellationTokenSource stop, string[] parts)
    {
        int Shard() => int.Parse(parts[1], CultureInfo.InvariantCulture);
        switch (parts[0])
        {
            case "reconnect":
                await simulator.SendReconnectAsync(Shard()).ConfigureAwait(false);
                break;
            case "invalidate":
                await simulator.SendInvalidSessionAsync(Shard(), parts.Length > 2 && bool.Parse(parts[2])).ConfigureAwait(false);
                break;
            case "drop":
                await simulator.DropConnectionAsync(Shard()).ConfigureAwait(false);
                break;
            case "close":
                await simulator.CloseConnectionAsync(Shard(), ushort.Parse(parts[2], CultureInfo.InvariantCulture), parts.Length > 3 ? string.Join(' ', parts[3..]) : "").ConfigureAwait(false);
                break;
            case "stall":
                simulator.SetStalled(Shard(), true);
                break;
            case "unstall":
                simulator.SetStalled(Shard(), false);
                break;
            case "emit":
                Console.WriteLine($"emitted {await simulator.EmitEventsAsync(Shard(), int.Parse(parts[2], CultureInfo.InvariantCulture)).ConfigureAwait(false)}");
                break;
            case "rate":
                simulator.SetRate(double.Parse(parts[1], CultureInfo.InvariantCulture));
                break;
            case "quit":
                await stop.CancelAsync().ConfigureAwait(false);
                return;
            default:
                Console.WriteLine($"unknown command '{parts[0]}'");
                return;
        }

        Console.WriteLine("ok");
    }
}
