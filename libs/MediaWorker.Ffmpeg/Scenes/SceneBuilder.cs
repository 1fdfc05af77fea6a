namespace MediaWorker.Ffmpeg.Scenes;

/// <summary>Turns cuts into scenes that cover the whole duration, none shorter than the minimum.</summary>
public static class SceneBuilder
{
    /// <summary>Builds the scenes.</summary>
    /// <param name="cuts">Cuts in any order; ones at 0 or at/after the end are ignored.</param>
    /// <param name="duration">The video's duration; the last scene ends here.</param>
    /// <param name="minSceneLength">
    /// A cut closer than this to the previous kept cut (or to the start) is dropped, merging the
    /// short scene into the one before; a last scene shorter than this merges into its predecessor.
    /// </param>
    /// <returns>At least one scene; consecutive scenes share their boundary; the first starts at 0.</returns>
    public static IReadOnlyList<Scene> Build(IEnumerable<SceneCut> cuts, TimeSpan duration, TimeSpan minSceneLength)
    {
        ArgumentNullException.ThrowIfNull(cuts);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var kept = new List<SceneCut>();
        var sceneStart = TimeSpan.Zero;
        foreach (var cut in cuts.OrderBy(c => c.Time))
        {
            if (cut.Time <= TimeSpan.Zero || cut.Time >= duration || cut.Time - sceneStart < minSceneLength)
            {
                continue;
            }

            kept.Add(cut);
            sceneStart = cut.Time;
        }

        if (kept.Count > 0 && duration - kept[^1].Time < minSceneLength)
        {
            kept.RemoveAt(kept.Count - 1);
        }

        var scenes = new List<Scene>(kept.Count + 1);
        for (var i = 0; i <= kept.Count; i++)
        {
            var start = i == 0 ? TimeSpan.Zero : kept[i - 1].Time;
            var end = i == kept.Count ? duration : kept[i].Time;
            scenes.Add(new Scene(i, start, end, i == 0 ? 0 : kept[i - 1].Score));
        }

        return scenes;
    }
}
