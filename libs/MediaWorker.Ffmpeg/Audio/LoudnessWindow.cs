namespace MediaWorker.Ffmpeg.Audio;

/// <summary>The loudness of one short window of audio.</summary>
/// <param name="Start">Where the window starts.</param>
/// <param name="RmsDb">The window's RMS level in dBFS (astats), floored at <see cref="LoudnessProfile.Floor"/>.</param>
/// <param name="PeakDb">The window's sample peak in dBFS (astats), floored likewise.</param>
/// <param name="MomentaryLufs">EBU R128 momentary loudness (the 400 ms ending with this window) in LUFS (ebur128).</param>
public sealed record LoudnessWindow(TimeSpan Start, double RmsDb, double PeakDb, double MomentaryLufs);
