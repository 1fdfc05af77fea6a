using System.Globalization;
using MediaWorker.Ffmpeg.Audio;

namespace MediaWorker.Plugins.Gemini.Highlights;

/// <summary>
/// Scores segments without a model, from signals ffmpeg measures: how much louder a segment is
/// than the media's typical level (astats RMS, energy-averaged), how loud its loudest moment is
/// (ebur128 momentary loudness), and how often the picture cuts (scene changes per minute).
/// </summary>
/// <remarks>
/// Each signal maps onto 0-1: 15 dB above the median counts as 1, and so do 20 cuts a minute.
/// Rules cannot judge their own certainty, so every confidence is reported as 0.5 and the rubric's
/// confidence threshold does not apply.
/// </remarks>
internal static class RulesSegmentScorer
{
    public const double Confidence = 0.5;

    private const double FullScaleDb = 15;
    private const double FullScaleCutsPerMinute = 20;

    public static IReadOnlyList<SegmentScore> Score(IReadOnlyList<Segment> segments, LoudnessProfile loudness, IReadOnlyList<double>? cuts, double threshold)
    {
        var referenceRms = Median(loudness.Windows.Select(w => w.RmsDb));
        var referenceMomentary = Median(loudness.Windows.Select(w => w.MomentaryLufs));
        var weights = cuts is null
            ? new Dictionary<string, double> { ["loudness"] = 0.65, ["loudness_peak"] = 0.35 }
            : new Dictionary<string, double> { ["loudness"] = 0.45, ["loudness_peak"] = 0.25, ["scene_density"] = 0.30 };

        return segments.Select(segment =>
        {
            var windows = loudness.Between(TimeSpan.FromSeconds(segment.Start), TimeSpan.FromSeconds(segment.End)).ToList();
            var level = windows.Count == 0 ? LoudnessProfile.Floor : 10 * Math.Log10(windows.Average(w => Math.Pow(10, w.RmsDb / 10)));
            var peak = windows.Count == 0 ? LoudnessProfile.Floor : windows.Max(w => w.MomentaryLufs);
            var dimensions = new Dictionary<string, double>
            {
                ["loudness"] = Math.Clamp((level - referenceRms) / FullScaleDb, 0, 1),
                ["loudness_peak"] = Math.Clamp((peak - referenceMomentary) / FullScaleDb, 0, 1),
            };
            var reason = string.Create(CultureInfo.InvariantCulture, $"Audio {level - referenceRms:+0.0;-0.0} dB against the typical level, loudest moment {peak:0.0} LUFS.");
            if (cuts is not null)
            {
                var count = cuts.Count(c => c > segment.Start && c <= segment.End);
                dimensions["scene_density"] = Math.Clamp(count / Math.Max(segment.Duration, 1) * 60 / FullScaleCutsPerMinute, 0, 1);
                reason += string.Create(CultureInfo.InvariantCulture, $" {count} scene change{(count == 1 ? string.Empty : "s")}.");
            }

            var score = dimensions.Sum(d => d.Value * weights[d.Key]);
            return new SegmentScore(segment, score, Confidence, dimensions, reason, score >= threshold);
        }).ToArray();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? LoudnessProfile.Floor : sorted[sorted.Length / 2];
    }
}
