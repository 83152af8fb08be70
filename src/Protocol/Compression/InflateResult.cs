namespace GatewayProxy.Protocol.Compression;

/// <summary>Outcome of one <see cref="ZlibInflater.Inflate"/> call.</summary>
internal enum InflateResult
{
    /// <summary>All input was consumed and all output it yields was written; the stream goes on.</summary>
    Ok,
    /// <summary>The zlib stream ended (its Adler-32 trailer was checked).</summary>
    StreamEnd,
    /// <summary>Invalid data or output over the limit; the reason is in the error.</summary>
    Error,
}
