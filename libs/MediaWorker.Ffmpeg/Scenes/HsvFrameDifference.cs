namespace MediaWorker.Ffmpeg.Scenes;

/// <summary>
/// PySceneDetect's content value between consecutive RGB frames: each pixel in 8-bit HSV as OpenCV
/// has it (H 0-179, S and V 0-255), the mean absolute difference of H, of S and of V, averaged.
/// </summary>
internal sealed class HsvFrameDifference(int pixels)
{
    /// <summary>PySceneDetect's default threshold (27) becomes 0.3: the default of both metrics.</summary>
    public const double ContentPerUnitScore = 90;

    private byte[] _previous = new byte[pixels * 3];
    private byte[] _current = new byte[pixels * 3];
    private bool _hasPrevious;

    /// <summary>The score (0-1) of <paramref name="rgb"/> against the frame before it; 0 for the first frame.</summary>
    public double Next(ReadOnlySpan<byte> rgb)
    {
        ToHsv(rgb, _current);
        var score = 0.0;
        if (_hasPrevious)
        {
            long h = 0, s = 0, v = 0;
            for (var i = 0; i < _current.Length; i += 3)
            {
                h += Math.Abs(_current[i] - _previous[i]);
                s += Math.Abs(_current[i + 1] - _previous[i + 1]);
                v += Math.Abs(_current[i + 2] - _previous[i + 2]);
            }

            var content = (h + s + v) / (3.0 * pixels);
            score = Math.Min(1, content / ContentPerUnitScore);
        }

        (_previous, _current) = (_current, _previous);
        _hasPrevious = true;
        return score;
    }

    private static void ToHsv(ReadOnlySpan<byte> rgb, byte[] hsv)
    {
        for (var i = 0; i < hsv.Length; i += 3)
        {
            int r = rgb[i], g = rgb[i + 1], b = rgb[i + 2];
            var max = Math.Max(r, Math.Max(g, b));
            var min = Math.Min(r, Math.Min(g, b));
            var delta = max - min;
            var hue = 0;
            if (delta > 0)
            {
                // Degrees / 2, as OpenCV stores hue in a byte.
                var degrees = max == r ? (60.0 * (g - b) / delta) : max == g ? 120 + (60.0 * (b - r) / delta) : 240 + (60.0 * (r - g) / delta);
                if (degrees < 0)
                {
                    degrees += 360;
                }

                hue = (int)Math.Round(degrees / 2) % 180;
            }

            hsv[i] = (byte)hue;
            hsv[i + 1] = (byte)(max == 0 ? 0 : ((255 * delta) + (max / 2)) / max);
            hsv[i + 2] = (byte)max;
        }
    }
}
