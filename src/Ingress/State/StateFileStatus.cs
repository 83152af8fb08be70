namespace GatewayProxy.Ingress.State;

/// <summary>Why a state file was or was not used.</summary>
public enum StateFileStatus
{
    /// <summary>Read, verified and fresh.</summary>
    Loaded,

    /// <summary>There is no file.</summary>
    Missing,

    /// <summary>The file could not be read (permissions, I/O error).</summary>
    Unreadable,

    /// <summary>Shorter than its header says (a write cut short, a full disk).</summary>
    Truncated,

    /// <summary>Not a state file: the first bytes are not <c>GPXS</c>.</summary>
    BadMagic,

    /// <summary>Written by a proxy with another format version.</summary>
    VersionMismatch,

    /// <summary>The checksum does not match: the bytes changed after they were written.</summary>
    ChecksumMismatch,

    /// <summary>The checksum matched but the body does not decode (a bug, not bit rot).</summary>
    Corrupt,

    /// <summary>Older than the configured maximum age: the sessions are probably gone, the cache out of date.</summary>
    Stale,

    /// <summary>Saved for another shard count or shard range than this process runs.</summary>
    ShardMismatch,
}
