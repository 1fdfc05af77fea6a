using System.Text.RegularExpressions;
using MediaWorker.Ffmpeg.Inputs;

namespace MediaWorker.Plugins.Video.Streams;

/// <summary>
/// Tells a live HTTP source that ended its stream from one that dropped: ffmpeg reaches the end of
/// the response and exits without an error in both cases, so the difference is read from its http
/// protocol's trace log (<c>-loglevel level+trace</c>). A response body is complete when its chunked
/// encoding ended with the terminating empty chunk (<c>Chunked encoding data size: 0</c>), or when it had a
/// Content-Length and ffmpeg did not report it short (<c>Stream ends prematurely</c>). A body that
/// ends with the connection (reset, or closed without the terminator, as a killed encoder leaves it)
/// is a drop. Each http connection is followed on its own (an HLS input opens several): the source
/// ended cleanly when the last response of every one was complete.
/// </summary>
/// <remarks>Lines below the error level are the caller's: they are kept out of the error messages.</remarks>
internal sealed partial class HttpEndSignal
{
    private readonly Dictionary<string, Response> _connections = new(StringComparer.Ordinal);

    /// <summary>The signal for an http(s) input, or <see langword="null"/> for other protocols.</summary>
    public static HttpEndSignal? For(MediaInput input) =>
        input.IsUrl && (input.Location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || input.Location.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            ? new HttpEndSignal()
            : null;

    /// <summary>The log level ffmpeg runs with for this signal.</summary>
    public const string LogLevel = "level+trace";

    /// <summary>True when every http connection's last response was read to its complete end.</summary>
    public bool Complete
    {
        get
        {
            lock (_connections)
            {
                return _connections.Count > 0 && _connections.Values.All(r => r.Complete);
            }
        }
    }

    /// <summary>Reads one line of ffmpeg's standard error; true for the lines below the error level (not a failure's reason).</summary>
    public bool OnLine(string line)
    {
        var match = LevelLine().Match(line);
        if (!match.Success)
        {
            return false;
        }

        if (match.Groups["context"].Value == "http")
        {
            Observe(match.Groups["address"].Value, line.AsSpan(match.Length));
        }

        return match.Groups["level"].Value is not ("error" or "fatal" or "panic");
    }

    private void Observe(string connection, ReadOnlySpan<char> message)
    {
        lock (_connections)
        {
            if (message.StartsWith("request: "))
            {
                _connections[connection] = new Response();
                return;
            }

            if (!_connections.TryGetValue(connection, out var response))
            {
                return;
            }

            if (message.StartsWith("header='Transfer-Encoding: chunked'", StringComparison.OrdinalIgnoreCase))
            {
                response.Chunked = true;
            }
            else if (message.StartsWith("header='Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                response.Sized = true;
            }
            else if (message.StartsWith("Chunked encoding data size: 0") && message.Trim().Length == "Chunked encoding data size: 0".Length)
            {
                response.Terminated = true;
            }
            else if (message.StartsWith("Stream ends prematurely"))
            {
                response.Short = true;
            }
        }
    }

    /// <summary><c>[http @ 0x55d1…] [trace] message</c>, or a level alone (<c>[info] message</c>).</summary>
    [GeneratedRegex(@"^(?:\[(?<context>[^\]@ ]+) @ (?<address>(?:0x)?[0-9a-fA-F]+)\] )*\[(?<level>trace|debug|verbose|info|warning|error|fatal|panic)\] ")]
    private static partial Regex LevelLine();

    private sealed class Response
    {
        public bool Chunked { get; set; }

        public bool Sized { get; set; }

        public bool Terminated { get; set; }

        public bool Short { get; set; }

        public bool Complete => Chunked ? Terminated : Sized && !Short;
    }
}
