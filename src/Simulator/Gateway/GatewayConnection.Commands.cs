using System.Text.Json;
using GatewayProxy.Protocol.Compression;
using GatewayProxy.Protocol.Gateway;

namespace GatewayProxy.Simulator.Gateway;

/// <summary>Client commands: heartbeats here, sessions and shard requests through the simulator.</summary>
internal sealed partial class GatewayConnection
{
    /// <summary>Turns on IDENTIFY <c>compress:true</c> (payload compression), unless the URL asked for transport compression.</summary>
    public void EnablePayloadCompression()
    {
        if (Compression == TransportCompression.None)
        {
            _payloadCompression = true;
        }
    }

    private async Task HandleCommandAsync(int op, JsonElement d)
    {
        switch ((GatewayOpcode)op)
        {
            case GatewayOpcode.Heartbeat:
                Interlocked.Exchange(ref _lastHeartbeatTicks, Environment.TickCount64);
                if (!_stalled)
                {
                    EnqueueBuilt(GatewayPayloads.WriteHeartbeatAck);
                }

                return;
            case GatewayOpcode.Identify:
                if (Session is not null)
                {
                    await CloseAsync((ushort)GatewayCloseCode.AlreadyAuthenticated, "Already authenticated.").ConfigureAwait(false);
                    return;
                }

                await _simulator.IdentifyAsync(this, d).ConfigureAwait(false);
                return;
            case GatewayOpcode.Resume:
                if (Session is not null)
                {
                    await CloseAsync((ushort)GatewayCloseCode.AlreadyAuthenticated, "Already authenticated.").ConfigureAwait(false);
                    return;
                }

                await _simulator.ResumeAsync(this, d).ConfigureAwait(false);
                return;
        }

        if (Session is null)
        {
            await CloseAsync((ushort)GatewayCloseCode.NotAuthenticated, "Not authenticated.").ConfigureAwait(false);
            return;
        }

        switch ((GatewayOpcode)op)
        {
            case GatewayOpcode.PresenceUpdate:
            case GatewayOpcode.VoiceStateUpdate:
            case GatewayOpcode.RequestGuildMembers:
            case GatewayOpcode.RequestSoundboardSounds:
                if (!_simulator.HandleShardCommand(this, (GatewayOpcode)op, d))
                {
                    await CloseAsync((ushort)GatewayCloseCode.UnknownOpcode, "Invalid payload for opcode.").ConfigureAwait(false);
                }

                return;
            default:
                await CloseAsync((ushort)GatewayCloseCode.UnknownOpcode, "Unknown opcode.").ConfigureAwait(false);
                return;
        }
    }
}
