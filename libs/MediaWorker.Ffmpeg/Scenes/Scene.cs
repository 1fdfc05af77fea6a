namespace MediaWorker.Ffmpeg.Scenes;

/// <summary>A run of frames between two hard cuts.</summary>
/// <param name="Index">0 for the first scene, then 1, 2, ...</param>
/// <param name="Start">Where the scene starts (the first frame after the cut).</param>
/// <param name="End">Where it ends: the next scene's start, or the end of the video.</param>
/// <param name="Score">How strong the cut that starts it was (the detector's score, 0-1); 0 for the first scene.</param>
public sealed record Scene(int Index, TimeSpan Start, TimeSpan End, double Score)
{
    /// <summary>The scene's length.</summary>
    public TimeSpan Duration => End - Start;
}
