using System.Globalization;

namespace MediaWorker.Ffmpeg.Audio;

/// <summary>
/// Reads the lines <c>ametadata=mode=print</c> writes: a <c>frame:N pts:P pts_time:T</c> line per
/// window, followed by <c>lavfi.astats.Overall.RMS_level=-20.1</c>, <c>lavfi.r128.M=-18.3</c>, ...
/// </summary>
internal sealed class LoudnessMetadataParser
{
    private readonly List<LoudnessWindow> _windows = [];
    private TimeSpan? _start;
    private double _rms = LoudnessProfile.Floor;
    private double _peak = LoudnessProfile.Floor;
    private double _momentary = LoudnessProfile.Floor;

    /// <summary>The last integrated loudness seen (it covers everything before it).</summary>
    public double IntegratedLufs { get; private set; } = LoudnessProfile.Floor;

    public IReadOnlyList<LoudnessWindow> Windows
    {
        get
        {
            Flush();
            return _windows;
        }
    }

    public void OnLine(string line)
    {
        if (line.StartsWith("frame:", StringComparison.Ordinal))
        {
            Flush();
            var at = line.IndexOf("pts_time:", StringComparison.Ordinal);
            _start = at >= 0 && double.TryParse(line.AsSpan(at + "pts_time:".Length).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(Math.Max(0, seconds))
                : null;
            return;
        }

        var equals = line.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            return;
        }

        var value = Level(line.AsSpan(equals + 1));
        switch (line.AsSpan(0, equals))
        {
            case "lavfi.astats.Overall.RMS_level":
                _rms = value;
                break;
            case "lavfi.astats.Overall.Peak_level":
                _peak = value;
                break;
            case "lavfi.r128.M":
                _momentary = value;
                break;
            case "lavfi.r128.I":
                IntegratedLufs = value;
                break;
        }
    }

    private void Flush()
    {
        if (_start is { } start)
        {
            _windows.Add(new LoudnessWindow(start, _rms, _peak, _momentary));
        }

        _start = null;
        _rms = _peak = _momentary = LoudnessProfile.Floor;
    }

    /// <summary>A level in dB; "-inf", "nan" and anything below the floor become the floor.</summary>
    private static double Level(ReadOnlySpan<char> text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? Math.Max(value, LoudnessProfile.Floor)
            : LoudnessProfile.Floor;
}
