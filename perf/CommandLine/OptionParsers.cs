using System.CommandLine.Parsing;
using System.Globalization;

namespace GatewayProxy.Perf.CommandLine;

/// <summary>
/// Option parsers that report a bad value as a parse error naming the option (System.CommandLine's own conversion error
/// surfaces as an exception when a validator reads the value): numbers with a range, and comma-separated lists
/// (<c>--targets proxy,raw</c>) that may also be repeated.
/// </summary>
internal static class OptionParsers
{
    /// <summary>A number of at least <paramref name="min"/>; <paramref name="fallback"/> when the option is absent.</summary>
    public static Func<ArgumentResult, double> Double(double min, double fallback) => result =>
        Number(result, fallback, min, static (string s, out double v) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v));

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="fallback"/> when the option is absent.</summary>
    public static Func<ArgumentResult, int> Int(int min, int fallback, int max = int.MaxValue) => result =>
        Number(result, fallback, min, (string s, out int v) => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v) && v <= max);

    /// <summary>An integer of at least <paramref name="min"/>, or null when the option is absent.</summary>
    public static Func<ArgumentResult, long?> OptionalLong(long min) => result =>
        result.Tokens.Count == 0 ? null : Number<long>(result, 0, min, static (string s, out long v) => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v));

    /// <summary>Every token split on commas, empty parts dropped.</summary>
    public static List<string> Strings(ArgumentResult result)
    {
        var list = new List<string>();
        foreach (var token in result.Tokens)
        {
            foreach (var part in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                list.Add(part);
            }
        }

        return list;
    }

    /// <summary>Positive integers; a part that is not one is a parse error naming it.</summary>
    public static List<int> PositiveInts(ArgumentResult result)
    {
        var list = new List<int>();
        foreach (var part in Strings(result))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                result.AddError($"{OptionName(result)}: \"{part}\" is not a positive integer");
                return [];
            }

            list.Add(value);
        }

        return list;
    }

    private delegate bool TryParse<T>(string text, out T value);

    private static T Number<T>(ArgumentResult result, T fallback, T min, TryParse<T> parse)
        where T : struct, IComparable<T>
    {
        if (result.Tokens.Count == 0)
        {
            return fallback;
        }

        var text = result.Tokens[^1].Value;
        if (!parse(text, out var value) || value.CompareTo(min) < 0)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{OptionName(result)} must be a number >= {min} (and in range), not \"{text}\""));
            return fallback;
        }

        return value;
    }

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult o ? o.Option.Name : result.Argument.Name;

    /// <summary>Enum members by name (any case); an unknown name is a parse error listing the valid ones.</summary>
    public static List<T> Enums<T>(ArgumentResult result)
        where T : struct, Enum
    {
        var list = new List<T>();
        foreach (var part in Strings(result))
        {
            if (!Enum.TryParse<T>(part, ignoreCase: true, out var value) || !Enum.IsDefined(value) || int.TryParse(part, out _))
            {
                result.AddError($"{OptionName(result)}: unknown value \"{part}\"; valid: {string.Join(", ", Array.ConvertAll(Enum.GetNames<T>(), n => n.ToLowerInvariant()))}");
                return [];
            }

            list.Add(value);
        }

        return list;
    }
}
