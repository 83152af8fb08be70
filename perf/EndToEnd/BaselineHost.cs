using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GatewayProxy.Perf.EndToEnd;

/// <summary>
/// The child-process side of a baseline: listens on 127.0.0.1, serves each client with the raw relay or the naive proxy
/// against the Simulator's port, and answers <c>stats</c> on stdin with its allocation and GC counters.
/// </summary>
internal static class BaselineHost
{
    /// <summary>Command-line mode of the raw byte relay.</summary>
    public const string RawMode = "relay-raw";

    /// <summary>Command-line mode of the naive proxy.</summary>
    public const string NaiveMode = "relay-naive";

    /// <summary>Printed once listening, followed by the port.</summary>
    public const string ListeningLine = "baseline listening on 127.0.0.1:";

    /// <summary>Asks the child for its counters.</summary>
    public const string StatsCommand = "stats";

    /// <summary>Prefix of the answer: allocated bytes, gen0, gen1, gen2.</summary>
    public const string StatsLine = "baseline stats ";

    /// <summary>The child command of one baseline (<see cref="RawMode"/> or <see cref="NaiveMode"/>): <c>--upstream-port PORT</c>.</summary>
    public static System.CommandLine.Command Create(string mode)
    {
        var port = new System.CommandLine.Option<int>("--upstream-port")
        {
            Description = "The Simulator's port on 127.0.0.1.",
            Required = true,
            CustomParser = CommandLine.OptionParsers.Int(1, 0, max: 65535),
        };
        var command = new System.CommandLine.Command(mode, mode == RawMode
            ? "Used by e2e (a baseline child process): forwards TCP bytes between each client and the Simulator untouched; answers \"stats\" on stdin."
            : "Used by e2e (a baseline child process): a naive proxy (one upstream connection per client, JsonNode re-serialization); answers \"stats\" on stdin.")
        {
            port,
        };
        command.SetAction((result, _) => RunAsync(mode, result.GetValue(port)));
        return command;
    }

    /// <summary>Runs a baseline until stdin closes; returns the exit code.</summary>
    public static async Task<int> RunAsync(string mode, int upstreamPort)
    {
        var upstream = new IPEndPoint(IPAddress.Loopback, upstreamPort);
        using var stop = new CancellationTokenSource();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(512);
        var accept = AcceptLoopAsync(listener, mode == RawMode, upstream, stop.Token);
        Console.WriteLine(ListeningLine + ((IPEndPoint)listener.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture));
        while (await Console.In.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line == StatsCommand)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{StatsLine}{GC.GetTotalAllocatedBytes(precise: true)} {GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)}"));
            }
        }

        await stop.CancelAsync().ConfigureAwait(false);
        listener.Close();
        await accept.ConfigureAwait(false);
        return 0;
    }

    private static async Task AcceptLoopAsync(Socket listener, bool raw, IPEndPoint upstream, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            client.NoDelay = true;
            _ = raw ? RawRelay.RunAsync(client, upstream, ct) : NaiveProxy.RunAsync(client, upstream, ct);
        }
    }
}
