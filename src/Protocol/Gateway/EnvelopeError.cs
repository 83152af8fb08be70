namespace GatewayProxy.Protocol.Gateway;

/// <summary>Why a payload is not a usable gateway envelope (see <see cref="EnvelopeScanner.TryScan"/>).</summary>
public enum EnvelopeError
{
    /// <summary>The payload is a valid envelope.</summary>
    None,
    /// <summary>The top-level JSON value is not an object.</summary>
    NotAnObject,
    /// <summary>Malformed or truncated JSON (bad token, unclosed string or container, nesting too deep).</summary>
    InvalidJson,
    /// <summary>The object has no <c>op</c> key.</summary>
    MissingOp,
    /// <summary>One of <c>t</c>, <c>s</c>, <c>op</c>, <c>d</c> appears twice at the top level.</summary>
    DuplicateKey,
    /// <summary><c>op</c> is not an integer that fits in 32 bits.</summary>
    InvalidOp,
    /// <summary><c>s</c> is neither null nor a non-negative integer that fits in 64 bits.</summary>
    InvalidSeq,
    /// <summary><c>t</c> is neither null nor a string.</summary>
    InvalidType,
    /// <summary>Something other than whitespace follows the closing brace.</summary>
    TrailingData,
}
