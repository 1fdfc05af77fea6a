namespace MediaWorker.Ffmpeg.Scenes;

/// <summary>Turns cuts into scenes that cover the whole duration, none shorter than the minimum.</summary>
public static class SceneBuilder
{
    /// <summary>Builds the scenes.</summary>
    /// <param name="cuts">Cuts in any order; ones at 0 or at/after the end are ignored.</param>
    /// <param name="duration">The video's duration; the last scene ends here.</param>
    /// <param name="minSceneLength">
    /// A scene shorter than this merges into the scene before it (its starting cut is dropped, so
    /// the previous scene runs on to its end). The first scene has none before it, so a short first
    /// scene merges into the one after it.
    /// </param>
    /// <returns>At least one scene; consecutive scenes share their boundary; the first starts at 0.</returns>
    public static IReadOnlyList<Scene> Build(IEnumerable<SceneCut> cuts, TimeSpan duration, TimeSpan minSceneLength)
    {
        ArgumentNullException.ThrowIfNull(cuts);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var kept = new List<SceneCut>();
        foreach (var cut in cuts.Where(c => c.Time > TimeSpan.Zero && c.Time < duration).OrderBy(c => c.Time))
        {
            // The scene that this cut ends started at the last kept cut (or at 0).
            var sceneStart = kept.Count > 0 ? kept[^1].Time : TimeSpan.Zero;
            if (cut.Time - sceneStart >= minSceneLength)
            {
                kept.Add(cut);
            }
            else if (kept.Count > 0)
            {
                // Too short: drop the cut that started it, so it becomes the tail of the scene before.
                kept[^1] = cut;
            }
        }

        // The last scene ends at the end of the video; if it is too short, it too joins the one before.
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
