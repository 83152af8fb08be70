using System.CommandLine;
using BenchmarkDotNet.Running;
using GatewayProxy.Perf.EndToEnd;

namespace GatewayProxy.Perf;

/// <summary>
/// Entry point: the commands <c>e2e</c> (end-to-end driver), <c>soak</c>, and <c>relay-raw</c>/<c>relay-naive</c>
/// (e2e's baseline children); any other first argument goes to BenchmarkDotNet (<c>--filter '*Ring*' --job short</c>).
/// </summary>
public static class Program
{
    /// <summary>Runs the command the first argument names (see perf/README.md); exit code 2 for a bad command line.</summary>
    public static async Task<int> Main(string[] args)
    {
        var root = CreateRootCommand();
        if (args.Length == 0 || !IsOurs(root, args[0]))
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return 0;
        }

        var result = root.Parse(args);
        // --help clears parse errors (a required option left out, say): its action runs instead.
        if (result.Errors.Count > 0 && result.Action is not { ClearsParseErrors: true })
        {
            foreach (var error in result.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
            }

            var command = result.CommandResult.Command;
            await Console.Error.WriteLineAsync($"See: {(command == root ? "" : command.Name + " ")}--help").ConfigureAwait(false);
            return 2;
        }

        return await result.InvokeAsync().ConfigureAwait(false);
    }

    /// <summary>The command tree (also what <c>--help</c> prints).</summary>
    internal static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("GatewayProxy perf driver. Commands below; any other arguments go to BenchmarkDotNet, e.g. --filter '*Ring*' --job short (its own help: --list flat, --info). perf/README.md has every table and the command that made it.")
        {
            E2eCommandLine.Create(),
            Soak.SoakCommand.Create(),
            BaselineHost.Create(BaselineHost.RawMode),
            BaselineHost.Create(BaselineHost.NaiveMode),
        };
        return root;
    }

    /// <summary>True for one of our commands or the root's help; everything else is BenchmarkDotNet's.</summary>
    private static bool IsOurs(RootCommand root, string first)
    {
        if (first is "--help" or "-h" or "-?" or "/?")
        {
            return true;
        }

        foreach (var command in root.Subcommands)
        {
            if (command.Name == first)
            {
                return true;
            }
        }

        return false;
    }
}
