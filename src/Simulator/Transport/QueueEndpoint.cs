using System.Globalization;
using System.Text;
using GatewayProxy.Protocol.Http;

namespace GatewayProxy.Simulator.Transport;

/// <summary><c>/queue?shard=N</c>: twilight's gateway-queue HTTP protocol (any method; answered 200 once shard N may identify).</summary>
internal static class QueueEndpoint
{
    private static readonly byte[] Go = Encoding.UTF8.GetBytes("{\"message\": \"You're free to connect now! :)\"}");

    /// <summary>Whether the request is for the queue.</summary>
    public static bool Matches(HttpRequest request) => request.Path is "/queue" or "/queue/";

    /// <summary>Holds the request until the shard's turn; 400 when <c>shard</c> is missing or out of range.</summary>
    public static async Task<RestApi.Response> HandleAsync(DiscordSimulator simulator, HttpRequest request, CancellationToken ct)
    {
        // twilight's server would default a missing shard to 0 and mis-bucket it; saying so is more useful in tests.
        var value = request.GetQueryValue("shard");
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var shard) || shard >= simulator.Options.ShardCount)
        {
            var why = $"{{\"message\": \"query parameter shard must be 0..{simulator.Options.ShardCount - 1}, not '{value}'\"}}";
            return new RestApi.Response(400, "Bad Request", Encoding.UTF8.GetBytes(why));
        }

        await simulator.GrantIdentifyTurnAsync(shard, ct).ConfigureAwait(false);
        return new RestApi.Response(200, "OK", Go);
    }
}
