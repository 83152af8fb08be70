using System.Runtime.InteropServices;

namespace GatewayProxy.Protocol.Compression;

/// <summary>
/// P/Invoke into the zlib shim that ships with the .NET runtime (<c>libSystem.IO.Compression.Native</c>,
/// zlib-ng in zlib-compatible mode). Using the runtime's own library means no extra native dependency and a
/// struct layout the runtime itself depends on (dotnet/runtime <c>pal_zlib.h</c>), unlike the platform-specific
/// <c>z_stream</c> of a system <c>libz</c>.
/// </summary>
internal static unsafe partial class ZlibNative
{
    private const string Library = "libSystem.IO.Compression.Native";

    /// <summary>zlib <c>Z_NO_FLUSH</c>.</summary>
    public const int NoFlush = 0;
    /// <summary>zlib <c>Z_SYNC_FLUSH</c>: byte-align and emit an empty stored block (00 00 ff ff).</summary>
    public const int SyncFlush = 2;
    /// <summary>zlib <c>Z_FINISH</c>: end the stream with the Adler-32 trailer.</summary>
    public const int Finish = 4;

    /// <summary>zlib <c>Z_OK</c>.</summary>
    public const int Ok = 0;
    /// <summary>zlib <c>Z_STREAM_END</c>.</summary>
    public const int StreamEnd = 1;
    /// <summary>zlib <c>Z_NEED_DICT</c>.</summary>
    public const int NeedDict = 2;
    /// <summary>zlib <c>Z_STREAM_ERROR</c>.</summary>
    public const int StreamError = -2;
    /// <summary>zlib <c>Z_DATA_ERROR</c>.</summary>
    public const int DataError = -3;
    /// <summary>zlib <c>Z_MEM_ERROR</c>.</summary>
    public const int MemError = -4;
    /// <summary>zlib <c>Z_BUF_ERROR</c>: no progress was possible (not fatal).</summary>
    public const int BufError = -5;

    /// <summary>zlib <c>Z_DEFLATED</c>.</summary>
    public const int Deflated = 8;
    /// <summary>15-bit window with the zlib (RFC 1950) wrapper; negative would be raw deflate, +16 gzip.</summary>
    public const int ZlibWindowBits = 15;
    /// <summary>zlib's default memLevel.</summary>
    public const int DefaultMemLevel = 8;
    /// <summary>zlib <c>Z_DEFAULT_STRATEGY</c>.</summary>
    public const int DefaultStrategy = 0;

    /// <summary>
    /// Native deflate state at windowBits 15 / memLevel 8: zlib documents (1 &lt;&lt; (wbits+2)) + (1 &lt;&lt; (memLevel+9))
    /// = 256 KiB; zlib-ng adds a larger hash table and alignment padding, so count ~64 KiB more.
    /// </summary>
    public const long DeflateMemoryEstimate = (1L << (ZlibWindowBits + 2)) + (1L << (DefaultMemLevel + 9)) + (64 * 1024);

    /// <summary>Native inflate state: the 32 KiB window plus ~8 KiB of state and tables.</summary>
    public const long InflateMemoryEstimate = (1L << ZlibWindowBits) + (8 * 1024);

    /// <summary>The runtime's <c>PAL_ZStream</c>: the real <c>z_stream</c> lives behind <see cref="InternalState"/>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ZStream
    {
        /// <summary>Next input byte.</summary>
        public byte* NextIn;
        /// <summary>Next output byte.</summary>
        public byte* NextOut;
        /// <summary>Last error message (static C string), or null.</summary>
        public byte* Message;
        /// <summary>The shim's heap-allocated <c>z_stream</c>; null when not initialised.</summary>
        public void* InternalState;
        /// <summary>Bytes available at <see cref="NextIn"/>.</summary>
        public uint AvailIn;
        /// <summary>Free space at <see cref="NextOut"/>.</summary>
        public uint AvailOut;
    }

    [LibraryImport(Library, EntryPoint = "CompressionNative_DeflateInit2_")]
    public static partial int DeflateInit2(ZStream* stream, int level, int method, int windowBits, int memLevel, int strategy);

    [LibraryImport(Library, EntryPoint = "CompressionNative_Deflate")]
    public static partial int Deflate(ZStream* stream, int flush);

    [LibraryImport(Library, EntryPoint = "CompressionNative_DeflateEnd")]
    public static partial int DeflateEnd(ZStream* stream);

    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateInit2_")]
    public static partial int InflateInit2(ZStream* stream, int windowBits);

    [LibraryImport(Library, EntryPoint = "CompressionNative_Inflate")]
    public static partial int Inflate(ZStream* stream, int flush);

    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateEnd")]
    public static partial int InflateEnd(ZStream* stream);

    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateReset2_")]
    public static partial int InflateReset2(ZStream* stream, int windowBits);

    /// <summary>zlib's message for the last error, or a generic text for the code (cold path: allocates).</summary>
    public static string Describe(in ZStream stream, int code)
    {
        string? message = stream.Message is null ? null : Marshal.PtrToStringUTF8((nint)stream.Message);
        if (!string.IsNullOrEmpty(message))
        {
            return "zlib: " + message;
        }

        return code switch
        {
            NeedDict => "zlib: a preset dictionary is required",
            StreamError => "zlib: stream error",
            DataError => "zlib: invalid compressed data",
            MemError => "zlib: out of memory",
            BufError => "zlib: truncated data",
            _ => "zlib: error " + code.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
