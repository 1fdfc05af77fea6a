namespace MediaWorker.Ffmpeg.Processes;

/// <summary>Keeps the last N lines of a stream, so a chatty process cannot grow memory without bound.</summary>
internal sealed class BoundedLineTail(int capacity)
{
    private readonly Queue<string> _lines = new(Math.Max(capacity, 0));
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        if (capacity <= 0)
        {
            return;
        }

        // A single runaway line (binary junk on stderr) must not defeat the bound either.
        if (line.Length > 4096)
        {
            line = line[..4096] + "…";
        }

        lock (_gate)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    public IReadOnlyList<string> ToList()
    {
        lock (_gate)
        {
            return [.. _lines];
        }
    }
}
