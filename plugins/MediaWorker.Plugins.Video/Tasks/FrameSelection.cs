namespace MediaWorker.Plugins.Video.Tasks;

/// <summary>
/// The seed's smart selection: when fewer frames are allowed than there are candidates, keep the
/// first and the last, and spread the rest evenly in time between them, in order.
/// </summary>
internal static class FrameSelection
{
    /// <summary>Picks at most <paramref name="maxFrames"/> of <paramref name="candidates"/> (ascending times).</summary>
    /// <returns>Indexes into <paramref name="candidates"/>, ascending, without repeats.</returns>
    public static IReadOnlyList<int> SelectEvenly(IReadOnlyList<TimeSpan> candidates, int maxFrames)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrames, 1);
        var count = candidates.Count;
        if (count <= maxFrames)
        {
            return [.. Enumerable.Range(0, count)];
        }

        if (maxFrames == 1)
        {
            return [0];
        }

        var first = candidates[0];
        var span = candidates[^1] - first;
        var picked = new List<int>(maxFrames);
        var next = 0;
        for (var i = 0; i < maxFrames; i++)
        {
            var target = first + (span * i / (maxFrames - 1));

            // Choose the candidate nearest the target among those after the previous pick, leaving
            // enough behind it for the picks still to come (ties go to the earlier one).
            var last = count - (maxFrames - i);
            var best = next;
            for (var j = next + 1; j <= last; j++)
            {
                if ((candidates[j] - target).Duration() < (candidates[best] - target).Duration())
                {
                    best = j;
                }
            }

            picked.Add(best);
            next = best + 1;
        }

        return picked;
    }
}
