namespace GatewayProxy.Host.Configuration;

/// <summary>The configuration could not be loaded; <see cref="Errors"/> lists every problem found, each naming its field.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception from the collected errors.</summary>
    public ConfigException(IReadOnlyList<string> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception from one error.</summary>
    public ConfigException(string error)
        : this([error])
    {
    }

    /// <summary>Creates an exception with a single generic error.</summary>
    public ConfigException()
        : this("the configuration is invalid")
    {
    }

    /// <summary>Creates the exception from one error and its cause.</summary>
    public ConfigException(string error, Exception innerException)
        : base(error, innerException)
    {
        Errors = [error];
    }

    /// <summary>Every problem found, one line each, each starting with the source name.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string Describe(IReadOnlyList<string> errors) => errors.Count == 1
        ? errors[0]
        : $"{errors.Count} configuration errors:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}";
}
