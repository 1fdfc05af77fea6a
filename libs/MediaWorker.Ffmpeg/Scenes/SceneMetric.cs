namespace MediaWorker.Ffmpeg.Scenes;

/// <summary>How <see cref="SceneDetector"/> measures the change between two consecutive frames.</summary>
public enum SceneMetric
{
    /// <summary>
    /// Hue, saturation and value: the mean absolute difference of each, averaged, like
    /// PySceneDetect's content detector (scaled so its default threshold 27 is 0.3 here). Sees a cut
    /// between two colours of equal brightness.
    /// </summary>
    Colour,

    /// <summary>ffmpeg's scene score (<c>select='gt(scene,T)'</c>), which compares brightness only.</summary>
    Luma,
}
