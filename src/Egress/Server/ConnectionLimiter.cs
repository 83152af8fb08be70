using System.Net;

namespace GatewayProxy.Egress.Server;

/// <summary>Counts open TCP connections, in total and per remote IP, and refuses one more than the per-IP limit.</summary>
/// <remarks>Cold path (once per accept and once per close), so a plain lock around a dictionary: simple and exact.
/// Counted from accept to the socket's disposal, so connections that never upgrade (slowloris, HTTP scrapes) count too.</remarks>
internal sealed class ConnectionLimiter(int maxPerIp)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, int> _perIp = [];
    private int _open;

    /// <summary>Open TCP connections, any state.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Counts a new connection from <paramref name="address"/>; false (and nothing counted) when that address
    /// already has <c>maxPerIp</c> open.</summary>
    public bool TryAcquire(IPAddress address)
    {
        address = Normalize(address);
        lock (_lock)
        {
            _perIp.TryGetValue(address, out int count);
            if (count >= maxPerIp) return false;
            _perIp[address] = count + 1;
            _open++;
            return true;
        }
    }

    /// <summary>Uncounts a connection <see cref="TryAcquire"/> counted.</summary>
    public void Release(IPAddress address)
    {
        address = Normalize(address);
        lock (_lock)
        {
            if (!_perIp.TryGetValue(address, out int count)) return;
            if (count <= 1) _perIp.Remove(address);
            else _perIp[address] = count - 1;
            _open--;
        }
    }

    // A dual-mode listener reports IPv4 peers as ::ffff:a.b.c.d; one peer must count once whichever way it arrives.
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
