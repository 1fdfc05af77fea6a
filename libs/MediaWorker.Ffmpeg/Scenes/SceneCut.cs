namespace MediaWorker.Ffmpeg.Scenes;

/// <summary>A frame whose scene score passed the threshold: the first frame of a new scene.</summary>
/// <param name="Time">The frame's presentation time.</param>
/// <param name="Score">the detector's score for it (0-1).</param>
public readonly record struct SceneCut(TimeSpan Time, double Score);
