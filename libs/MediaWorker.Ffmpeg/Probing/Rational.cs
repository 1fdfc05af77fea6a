using System.Globalization;

namespace MediaWorker.Ffmpeg.Probing;

/// <summary>An exact ratio such as a frame rate (<c>30000/1001</c>), as ffprobe reports it.</summary>
/// <param name="Numerator">The numerator.</param>
/// <param name="Denominator">The denominator, never 0.</param>
public readonly record struct Rational(long Numerator, long Denominator)
{
    /// <summary>The ratio as a floating-point number.</summary>
    public double Value => (double)Numerator / Denominator;

    /// <summary>Parses <c>"30000/1001"</c> or <c>"25"</c>; <c>"0/0"</c>, empty or malformed text gives <see langword="null"/>.</summary>
    public static Rational? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var numerator = slash < 0 ? text : text[..slash];
        var denominator = slash < 0 ? "1" : text[(slash + 1)..];
        if (!long.TryParse(numerator, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            || !long.TryParse(denominator, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d)
            || n == 0 || d == 0)
        {
            return null;
        }

        return new Rational(n, d);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");
}
