using GatewayProxy.Host.Configuration;

namespace GatewayProxy.Tests.Host.Configuration;

/// <summary>Shared inputs for the configuration tests.</summary>
internal static class ConfigTestData
{
    public const string Token = "MTEyMzQ1Njc4OTAxMjM0NTY3OA.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB";

    /// <summary>The reference implementation's sample config.json, verbatim (it lives outside this repository).</summary>
    public const string ReferenceConfig = """
        {
          "log_level": "info",
          "token": "",
          "intents": 32511,
          "port": 7878,
          "activity": {
            "type": 0,
            "name": "with kubernetes"
          },
          "status": "idle",
          "backpressure": 100,
          "cache": {
            "channels": false,
            "presences": false,
            "emojis": false,
            "members": false,
            "roles": false,
            "stage_instances": false,
            "stickers": false,
            "users": false,
            "voice_states": false
          }
        }
        """;

    public static Func<string, string?> Env(string? token) =>
        name => name == ConfigLoader.TokenVariable ? token : null;

    public static readonly Func<string, string?> NoEnv = static _ => null;

    /// <summary>Loads a config made of a valid token and intents plus <paramref name="fields"/> (JSON members, no braces).</summary>
    public static ProxyConfig LoadWith(string fields) =>
        ConfigLoader.LoadFromJson(WithFields(fields), "config.json", NoEnv);

    /// <summary>The errors reported for a config made of a valid token and intents plus <paramref name="fields"/>.</summary>
    public static IReadOnlyList<string> ErrorsWith(string fields) => ErrorsOf(WithFields(fields));

    /// <summary>The errors reported for <paramref name="json"/> (no TOKEN in the environment).</summary>
    public static IReadOnlyList<string> ErrorsOf(string json, Func<string, string?>? env = null)
    {
        var e = Xunit.Assert.Throws<ConfigException>(() => ConfigLoader.LoadFromJson(json, "config.json", env ?? NoEnv));
        return e.Errors;
    }

    private static string WithFields(string fields) =>
        $$"""{"token": "{{Token}}", "intents": 513{{(fields.Length == 0 ? "" : ", " + fields)}}}""";
}
