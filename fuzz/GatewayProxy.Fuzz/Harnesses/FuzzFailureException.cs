namespace GatewayProxy.Fuzz.Harnesses;

/// <summary>Thrown by a harness when an oracle or invariant fails: a real bug, never a "bad input" result.</summary>
public sealed class FuzzFailureException : Exception
{
    /// <summary>Creates the failure with what was expected and what was seen.</summary>
    public FuzzFailureException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the failure (for serializers and analyzers).</summary>
    public FuzzFailureException()
    {
    }

    /// <summary>Creates the failure with an inner exception.</summary>
    public FuzzFailureException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Throws when <paramref name="condition"/> is false: the harness found a bug.</summary>
    public static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new FuzzFailureException(what);
        }
    }
}
