using System.Text.Json;

namespace GatewayProxy.Host.Configuration;

/// <summary>
/// Loads config.json: parses it, checks every field strictly (<see cref="ConfigValidator"/>), then maps it to
/// <see cref="ProxyConfig"/> through the source-generated <see cref="ConfigJsonContext"/>. The token comes from the
/// TOKEN environment variable when that is set and non-empty, else from the file.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The environment variable that supplies (and overrides) the bot token.</summary>
    public const string TokenVariable = "TOKEN";

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads and loads the file at <paramref name="path"/>; errors are prefixed with the path. Throws <see cref="ConfigException"/>.</summary>
    public static ProxyConfig Load(string path, Func<string, string?> getEnv)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ConfigException($"{path}: cannot read the file: {e.Message}", e);
        }

        return LoadFromJson(json, path, getEnv);
    }

    /// <summary>Loads config from JSON text; <paramref name="sourceName"/> prefixes every error. Throws <see cref="ConfigException"/> with all errors.</summary>
    public static ProxyConfig LoadFromJson(string json, string sourceName, Func<string, string?> getEnv)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(getEnv);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new ConfigException(DescribeInvalidJson(sourceName, e), e);
        }

        using (document)
        {
            var errors = ConfigValidator.Validate(document.RootElement, sourceName, getEnv(TokenVariable), out var token);
            if (errors.Count > 0)
            {
                throw new ConfigException(errors);
            }

            ProxyConfig? config;
            try
            {
                config = document.RootElement.Deserialize(ConfigJsonContext.Default.ProxyConfig);
            }
            catch (JsonException e)
            {
                // The validator accepts only what the model maps; reaching this means the two disagree.
                throw new ConfigException($"{sourceName}: {e.Message}", e);
            }

            return (config ?? throw new ConfigException($"{sourceName}: the document is null, wanted an object with the settings"))
                with { Token = token };
        }
    }

    private static string DescribeInvalidJson(string sourceName, JsonException e)
    {
        var reason = e.Message;
        // System.Text.Json appends its own zero-based position; say it once, one-based, in words.
        var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            reason = reason[..cut];
        }

        var line = (e.LineNumber ?? 0) + 1;
        var position = (e.BytePositionInLine ?? 0) + 1;
        return $"{sourceName}: invalid JSON at line {line}, position {position}: {reason}";
    }
}
