using System.Text;

namespace MediaWorker.Plugins.Video.Tasks;

/// <summary>Counts the frames ffmpeg's <c>metadata=print</c> filter reports (one <c>frame:N pts:... pts_time:...</c> line each).</summary>
internal sealed class SelectedFrameCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public async Task ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("frame:", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }
        }
    }
}
