using System.Text;

namespace MediaWorker.Ffmpeg.Running;

/// <summary>Reads a process's text output line by line as it arrives.</summary>
internal static class StreamLines
{
    public static async Task ReadAsync(Stream stream, Action<string> onLine)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        while (await reader.ReadLineAsync() is { } line)
        {
            onLine(line);
        }
    }
}
