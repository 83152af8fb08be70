using System.Globalization;
using System.Text.Json;

namespace GatewayProxy.Host.Configuration;

/// <summary>Typed readers: each checks one field, records an error naming its path, the value and what is wanted.</summary>
internal sealed partial class ConfigValidator
{
    private const int MaxShownValueLength = 60;

    private readonly string _source;
    private readonly List<string> _errors = [];

    private ConfigValidator(string source) => _source = source;

    private void Error(string message) => _errors.Add($"{_source}: {message}");

    private void Wrong(string path, JsonElement value, string wanted) =>
        Error($"\"{path}\" is {Show(path, value)}, wanted {wanted}");

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : prefix + "." + key;

    /// <summary>The value as found in the file, shortened; the token's value is never shown, only its kind.</summary>
    private static string Show(string path, JsonElement value)
    {
        if (path == "token")
        {
            return value.ValueKind switch
            {
                JsonValueKind.Object => "an object",
                JsonValueKind.Array => "an array",
                JsonValueKind.String => "a string",
                JsonValueKind.Number => "a number",
                JsonValueKind.True or JsonValueKind.False => "a boolean",
                _ => "null",
            };
        }

        var raw = value.GetRawText();
        if (raw.Length > MaxShownValueLength)
        {
            raw = string.Concat(raw.AsSpan(0, MaxShownValueLength), "…");
        }

        // Keep a multi-line object or array on one line of the error.
        return raw.ReplaceLineEndings(" ");
    }

    /// <summary>The object's fields by name; reports unknown keys (with a suggestion) and duplicates.</summary>
    private Dictionary<string, JsonElement> Fields(JsonElement obj, string prefix, string[] known)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            var path = Join(prefix, property.Name);
            if (Array.IndexOf(known, property.Name) < 0)
            {
                Error(UnknownKey(property.Name, prefix, known));
            }
            else if (!fields.TryAdd(property.Name, property.Value))
            {
                Error($"\"{path}\" appears more than once; keep one");
            }
        }

        return fields;
    }

    private static string UnknownKey(string key, string prefix, string[] known)
    {
        var path = Join(prefix, key);
        var sameObject = DidYouMean.Closest(key, known);
        if (sameObject is not null)
        {
            return $"unknown key \"{path}\" (did you mean \"{Join(prefix, sameObject)}\"?)";
        }

        // The right key in the wrong object: "compression" at the top instead of "upstream.compression".
        foreach (var candidate in ConfigKeys.AllPaths)
        {
            var leaf = candidate[(candidate.LastIndexOf('.') + 1)..];
            if (string.Equals(leaf, key, StringComparison.OrdinalIgnoreCase) && candidate != path)
            {
                return $"unknown key \"{path}\" (did you mean \"{candidate}\"?)";
            }
        }

        return $"unknown key \"{path}\"; the accepted keys{(prefix.Length == 0 ? "" : $" of \"{prefix}\"")} are {string.Join(", ", known)}";
    }

    /// <summary>Reads an optional field; false when absent, or null and <paramref name="nullable"/> (null then means "absent").</summary>
    private bool TryGet(Dictionary<string, JsonElement> fields, string prefix, string key, bool nullable, string wanted, out JsonElement value)
    {
        if (!fields.TryGetValue(key, out value))
        {
            return false;
        }

        if (value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (!nullable)
        {
            Wrong(Join(prefix, key), value, wanted);
        }

        return false;
    }

    private bool? ReadBool(Dictionary<string, JsonElement> fields, string prefix, string key)
    {
        const string wanted = "true or false";
        if (!TryGet(fields, prefix, key, nullable: false, wanted, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Wrong(Join(prefix, key), value, wanted);
        return null;
    }

    private long? ReadInteger(
        Dictionary<string, JsonElement> fields, string prefix, string key, long min, long max, bool nullable,
        string? wanted = null, Func<long, bool>? accept = null)
    {
        wanted ??= $"an integer between {min} and {max}";
        if (nullable)
        {
            wanted += " or null";
        }

        if (!TryGet(fields, prefix, key, nullable, wanted, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            && number >= min && number <= max && (accept is null || accept(number)))
        {
            return number;
        }

        Wrong(Join(prefix, key), value, wanted);
        return null;
    }

    private string? ReadString(
        Dictionary<string, JsonElement> fields, string prefix, string key, bool nullable, string wanted,
        Func<string, bool>? accept = null, IEnumerable<string>? suggestions = null)
    {
        if (nullable)
        {
            wanted += " or null";
        }

        if (!TryGet(fields, prefix, key, nullable, wanted, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (accept is null || accept(text))
            {
                return text;
            }

            var hint = suggestions is null ? null : DidYouMean.Closest(text, suggestions);
            if (hint is not null)
            {
                wanted += $" (did you mean \"{hint}\"?)";
            }
        }

        Wrong(Join(prefix, key), value, wanted);
        return null;
    }

    private static bool IsPowerOfTwo(long value) => value > 0 && (value & (value - 1)) == 0;

    private static bool IsUrl(string text, params string[] schemes) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && Array.IndexOf(schemes, uri.Scheme) >= 0 && uri.Host.Length > 0;

    /// <summary>"host:port" with a port 1..65535; an IPv6 host is bracketed ("[::1]:3000").</summary>
    private static bool IsHostPort(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || text.Contains("//", StringComparison.Ordinal) || text.Contains('/', StringComparison.Ordinal)
            || text.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        var host = text[..colon];
        if (host.Contains(':', StringComparison.Ordinal) && !(host.StartsWith('[') && host.EndsWith(']')))
        {
            return false;
        }

        return int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is >= 1 and <= 65535;
    }

    /// <summary>A literal IPv4 or IPv6 address; "1" is not accepted even though IPAddress would read it as 0.0.0.1.</summary>
    private static bool IsIpAddress(string text) =>
        (text.Contains('.', StringComparison.Ordinal) || text.Contains(':', StringComparison.Ordinal))
        && System.Net.IPAddress.TryParse(text, out _);
}
