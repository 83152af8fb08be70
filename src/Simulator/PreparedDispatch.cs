using System.Text;

namespace GatewayProxy.Simulator;

/// <summary>A generated dispatch ready to replay: its event name and serialized <c>d</c>, sequenced per session only when sent.</summary>
public sealed class PreparedDispatch
{
    /// <summary>A dispatch of type <paramref name="type"/> whose <c>d</c> is <paramref name="data"/> (compact JSON).</summary>
    public PreparedDispatch(string type, byte[] data)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(data);
        Type = type;
        TypeBytes = Encoding.ASCII.GetBytes(type);
        Data = data;
    }

    /// <summary>The event name (<c>t</c>).</summary>
    public string Type { get; }

    /// <summary>The event name as ASCII bytes.</summary>
    public byte[] TypeBytes { get; }

    /// <summary>The serialized <c>d</c>.</summary>
    public byte[] Data { get; }
}
